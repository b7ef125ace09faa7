import { z } from 'zod';
import type { Transcript } from '../domain/transcript.js';
import { AppError } from '../errors.js';
import { describeLanguage, type Prompts } from '../llm/prompts.js';
import type { Llm, Usage } from '../llm/types.js';
import type { Logger } from '../logger.js';
import type { Scenario } from '../scenarios/schema.js';
import { verifyDimensions } from './evidence.js';
import { DIMENSION_IDS, DimensionIdSchema, type Feedback, type Metrics, VerdictSchema } from './feedback.js';

const nonEmpty = (s: string) => s.trim().length > 0;

/**
 * The coach's structured output. Dimensions come first so the model judges before it concludes. Every dimension
 * must appear exactly once; the refinement makes the adapter ask again when one is missing.
 */
export const RubricSchema = z.object({
  dimensions: z
    .array(
      z.object({
        id: DimensionIdSchema,
        score: z.number().int().min(1).max(5),
        comment: z.string(),
        evidence: z.array(
          z.object({
            // An explicit maximum keeps a 2^53 bound out of the JSON schema sent to the server.
            turn: z
              .number()
              .int()
              .min(0)
              .max(9999)
              .describe('0-based turn number as shown in the transcript'),
            quote: z.string().describe('copied verbatim from that turn'),
          }),
        ),
      }),
    )
    .superRefine((dims, ctx) => {
      for (const id of DIMENSION_IDS) {
        const n = dims.filter((d) => d.id === id).length;
        if (n !== 1)
          ctx.addIssue({ code: 'custom', message: `dimension "${id}" appears ${n} times, not once` });
      }
    }),
  verdict: VerdictSchema,
  summary: z.string().refine(nonEmpty, 'summary must not be empty'),
  nextTime: z.string().refine(nonEmpty, 'nextTime must not be empty'),
});
export type Rubric = z.infer<typeof RubricSchema>;

function scenarioText(scenario: Scenario | undefined): string {
  if (!scenario) return 'None given: judge from the transcript alone.';
  const p = scenario.persona;
  return [
    `- Buyer: ${p.name}, ${p.role} at ${p.company}. ${p.personality}`,
    `- Situation: ${scenario.situation}`,
    `- Buying process: ${scenario.buying_process}`,
    '- What there was to uncover:',
    ...scenario.hidden_facts.map((f) => `  - ${f.kind}${f.essential ? ' (essential)' : ''}: ${f.fact}`),
    `- What the buyer would agree to when earned: ${scenario.earned_yes.description}`,
  ].join('\n');
}

const metricsText = (metrics: Metrics): string =>
  Object.entries(metrics)
    .map(([k, v]) => `- ${k}: ${typeof v === 'number' && !Number.isInteger(v) ? v.toFixed(2) : String(v)}`)
    .join('\n');

const transcriptText = (transcript: Transcript): string =>
  transcript.turns.map((t, i) => `### Turn ${i} (${t.role})\n\n${t.text}`).join('\n\n');

/** The coach's messages: the rubric as a fixed system prompt (cached across transcripts), the case as user text. */
export function coachMessages(
  prompts: Prompts,
  transcript: Transcript,
  metrics: Metrics,
  scenario?: Scenario,
) {
  const sale = transcript.sale ?? scenario?.sale;
  return [
    { role: 'system' as const, content: prompts.render('coach', {}) },
    {
      role: 'user' as const,
      content: prompts.render('coach-input', {
        language: describeLanguage(transcript.language ?? scenario?.language ?? 'en'),
        sale:
          sale ??
          'not stated (judge it from the conversation: one decision is simple, several people is complex)',
        scenario: scenarioText(scenario),
        metrics: metricsText(metrics),
        transcript: transcriptText(transcript),
      }),
    },
  ];
}

/** The LLM half of the coach: rubric scores with verbatim evidence; the metrics stay the deterministic ones. */
export function createLlmRubric(deps: { llm: Llm; prompts: Prompts; logger: Logger }) {
  const log = deps.logger.child({ module: 'coach' });
  return {
    async assess(
      transcript: Transcript,
      metrics: Metrics,
      scenario?: Scenario,
    ): Promise<{ feedback: Feedback; usage: Usage }> {
      const result = await deps.llm.generate({
        purpose: 'coach',
        messages: coachMessages(deps.prompts, transcript, metrics, scenario),
        schema: RubricSchema,
        schemaName: 'coach_rubric',
        temperature: 0.2,
        maxOutputTokens: 2000,
      });
      // The adapter has already validated; this guards any other Llm (zod at every door).
      const parsed = RubricSchema.safeParse(result.value);
      if (!parsed.success) {
        throw new AppError(
          'llm_bad_output',
          `The coach model's rubric is incomplete: ${parsed.error.issues[0]?.message}`,
          {
            cause: parsed.error,
          },
        );
      }
      const rubric = parsed.data;
      const ordered = DIMENSION_IDS.map((id) => rubric.dimensions.find((d) => d.id === id)!);
      const dimensions = verifyDimensions(transcript.turns, ordered);

      const quotes = (ds: typeof ordered) => ds.reduce((n, d) => n + d.evidence.length, 0);
      log.info(
        {
          verdict: rubric.verdict,
          quotes: quotes(ordered),
          droppedQuotes: quotes(ordered) - quotes(dimensions),
        },
        'coach assessed',
      );
      return {
        feedback: {
          verdict: rubric.verdict,
          mode: 'llm',
          summary: rubric.summary.trim(),
          metrics,
          dimensions,
          nextTime: rubric.nextTime.trim(),
        },
        usage: result.usage,
      };
    },
  };
}
