import type { Transcript } from '../domain/transcript.js';
import { isAppError } from '../errors.js';
import type { Usage } from '../llm/types.js';
import type { Logger } from '../logger.js';
import type { Scenario } from '../scenarios/schema.js';
import { coachContextOf } from './context.js';
import type { Feedback } from './feedback.js';
import type { createLlmRubric } from './llm-coach.js';
import { computeMetrics } from './metrics.js';
import { offlineFeedback } from './offline-coach.js';

export type CoachResult = { feedback: Feedback; usage: Usage | null };

/** Judges a transcript: deterministic metrics always, the LLM rubric on top when a model is configured. */
export type Coach = {
  readonly mode: 'llm' | 'offline';
  evaluate(transcript: Transcript, scenario?: Scenario): Promise<CoachResult>;
};

export type CoachDeps = {
  rubric: ReturnType<typeof createLlmRubric> | null;
  logger: Logger;
  /** When the model fails, fall back to the offline coach's feedback (mode offline, with `fallback`) instead of failing. */
  fallbackToOffline?: boolean;
};

export function createCoach({ rubric, logger, fallbackToOffline = false }: CoachDeps): Coach {
  const log = logger.child({ module: 'coach' });
  return {
    mode: rubric ? 'llm' : 'offline',
    async evaluate(transcript, scenario) {
      const context = coachContextOf(scenario);
      const metrics = computeMetrics(transcript, context);
      if (!rubric) return { feedback: offlineFeedback(transcript, metrics, context), usage: null };
      try {
        return await rubric.assess(transcript, metrics, scenario, context);
      } catch (err) {
        if (!fallbackToOffline || !isAppError(err)) throw err;
        log.warn(
          { code: err.code, scenario: scenario?.id ?? transcript.scenario, err },
          'llm coach failed; offline feedback instead',
        );
        // Labelled, never silent: the rep is told the model coach failed and whose judgement this is.
        const fallback = { code: err.code, reason: err.message };
        return { feedback: { ...offlineFeedback(transcript, metrics, context), fallback }, usage: null };
      }
    },
  };
}
