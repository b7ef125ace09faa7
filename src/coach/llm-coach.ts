import { z } from 'zod';
import type { Transcript } from '../domain/transcript.js';
import { AppError } from '../errors.js';
import { describeLanguage, type Prompts } from '../llm/prompts.js';
import type { Llm, Usage } from '../llm/types.js';
import type { Logger } from '../logger.js';
import type { Scenario } from '../scenarios/schema.js';
import { type CoachContext, coachContextOf } from './context.js';
import { verifyDimensions } from './evidence.js';
import { DIMENSION_IDS, type Dimension, type Feedback, type Metrics, VerdictSchema } from './feedback.js';

const nonEmpty = (s: string) => s.trim().length > 0;

const DimensionAnswerSchema = z.object({
  score: z.number().int().min(1).max(5),
  comment: z.string(),
  evidence: z.array(
    z.object({
      // An explicit maximum keeps a 2^53 bound out of the JSON schema sent to the server.
      turn: z.number().int().min(0).max(9999).describe('0-based turn number as shown in the transcript'),
      quote: z.string().describe('copied verbatim from that turn'),
    }),
  ),
});

/**
 * The model's own reading of the label fields, defined as in transcripts/README.md. In model mode these replace
 * the rule-based figures in `metrics`; the rules only go to the model as hints.
 */
export const ReadingsSchema = z.object({
  close_attempts: z
    .number()
    .int()
    .min(0)
    .max(99)
    .describe('Rep turns that ask for a commitment; a turn counts once'),
  final_close_type: z.enum(['order', 'next_step', 'none']),
  recap_before_final_close: z.boolean(),
  added_argument_after_close: z.boolean(),
  pitched_before_discovery: z.boolean(),
  buyer_flat_no: z.boolean(),
  disguised_no: z.boolean(),
});
export type Readings = z.infer<typeof ReadingsSchema>;

/**
 * The coach's structured output. The four dimensions are four required properties, so a strict structured output
 * holds each exactly once (an array allowed one missing or repeated, and then the whole feedback fell back).
 * The readings come first and the dimensions before the verdict, so the model reads and judges before it concludes.
 */
export const RubricSchema = z.object({
  readings: ReadingsSchema,
  dimensions: z.object({
    discovery: DimensionAnswerSchema,
    listening: DimensionAnswerSchema,
    handling_no: DimensionAnswerSchema,
    close: DimensionAnswerSchema,
  }),
  verdict: VerdictSchema,
  summary: z.string().refine(nonEmpty, 'summary must not be empty'),
  nextTime: z.string().refine(nonEmpty, 'nextTime must not be empty'),
});
export type Rubric = z.infer<typeof RubricSchema>;

/** The rubric's dimensions as the coach JSON lists them: `{id, score, comment, evidence}`, in the fixed order. */
export const rubricDimensions = (rubric: Rubric): Dimension[] =>
  DIMENSION_IDS.map((id) => ({ id, ...rubric.dimensions[id] }));

/**
 * The metrics in model mode: the model's reading for the label fields, code's measurements for the rest (word
 * share, question counts, longest turn). A reading of no close is no close: no close type, no recap.
 */
export function metricsWithReadings(measured: Metrics, r: Readings): Metrics {
  const closed = r.close_attempts > 0 && r.final_close_type !== 'none';
  return {
    ...measured,
    closeAttempts: closed ? r.close_attempts : 0,
    finalCloseType: closed ? r.final_close_type : 'none',
    recapBeforeClose: closed && r.recap_before_final_close,
    addedArgumentAfterClose: closed && r.added_argument_after_close,
    pitchedBeforeDiscovery: r.pitched_before_discovery,
    buyerFlatNo: r.buyer_flat_no,
    disguisedNo: r.disguised_no,
  };
}

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

const conversationSoFarText = (context: CoachContext): string =>
  context.closeSummary === null
    ? 'None: the transcript below is the whole conversation.'
    : [
        "This is a close drill: the transcript starts at the close. Before turn 0 the rep and the buyer had this conversation, told in the buyer's words. It is part of the conversation: judge discovery and listening on it too, and judge the rep's recap against it (a recap of what counts here, in the buyer's terms, is a recap in the buyer's own words). Quote evidence only from the transcript's turns.",
        '',
        ...context.closeSummary
          .trim()
          .split('\n')
          .map((l) => `> ${l}`),
      ].join('\n');

const fmt = (v: unknown) => (typeof v === 'number' && !Number.isInteger(v) ? v.toFixed(2) : String(v));

/** What code counts reliably: facts. */
const measuredText = (m: Metrics): string =>
  [
    `- repWordShare (the rep's share of all words): ${fmt(m.repWordShare)}`,
    `- repQuestions (question sentences by the rep): ${m.repQuestions}`,
    `- discoveryQuestions (of those, about the buyer's situation, needs, process, people or budget): ${m.discoveryQuestions}`,
    `- longestRepTurnWords: ${m.longestRepTurnWords}`,
  ].join('\n');

/** What simple rules guessed for the label fields: hints the model checks against the transcript. */
const hintsText = (m: Metrics): string =>
  [
    `- close_attempts: ${m.closeAttempts}`,
    `- final_close_type: ${m.finalCloseType}`,
    `- recap_before_final_close: ${m.recapBeforeClose}`,
    `- added_argument_after_close: ${m.addedArgumentAfterClose}`,
    `- pitched_before_discovery: ${m.pitchedBeforeDiscovery}`,
    `- buyer_flat_no: ${m.buyerFlatNo}`,
    `- disguised_no: ${m.disguisedNo}`,
  ].join('\n');

const transcriptText = (transcript: Transcript): string =>
  transcript.turns.map((t, i) => `### Turn ${i} (${t.role})\n\n${t.text}`).join('\n\n');

/** The coach's messages: the rubric as a fixed system prompt (cached across transcripts), the case as user text. */
export function coachMessages(
  prompts: Prompts,
  transcript: Transcript,
  metrics: Metrics,
  scenario?: Scenario,
  context: CoachContext = coachContextOf(scenario),
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
        conversation_so_far: conversationSoFarText(context),
        measured: measuredText(metrics),
        hints: hintsText(metrics),
        transcript: transcriptText(transcript),
      }),
    },
  ];
}

/** The LLM half of the coach: rubric scores with verbatim evidence and the model's own reading of the labels. */
export function createLlmRubric(deps: { llm: Llm; prompts: Prompts; logger: Logger }) {
  const log = deps.logger.child({ module: 'coach' });
  return {
    async assess(
      transcript: Transcript,
      metrics: Metrics,
      scenario?: Scenario,
      context: CoachContext = coachContextOf(scenario),
    ): Promise<{ feedback: Feedback; usage: Usage }> {
      const result = await deps.llm.generate({
        purpose: 'coach',
        messages: coachMessages(deps.prompts, transcript, metrics, scenario, context),
        schema: RubricSchema,
        schemaName: 'coach_rubric',
        temperature: 0.2,
        maxOutputTokens: 2000,
      });
      // The adapter has already validated; this guards any other Llm (zod at every door).
      const parsed = RubricSchema.safeParse(result.value);
      if (!parsed.success) {
        const issue = parsed.error.issues[0];
        throw new AppError(
          'llm_bad_output',
          `The coach model's rubric is incomplete: ${issue?.path.join('.') ?? ''}: ${issue?.message}`,
          { cause: parsed.error },
        );
      }
      const rubric = parsed.data;
      const ordered = rubricDimensions(rubric);
      const dimensions = verifyDimensions(transcript.turns, ordered);
      const read = metricsWithReadings(metrics, rubric.readings);

      const quotes = (ds: readonly Dimension[]) => ds.reduce((n, d) => n + d.evidence.length, 0);
      const disagreements = (Object.keys(read) as Array<keyof Metrics>).filter((k) => read[k] !== metrics[k]);
      log.info(
        {
          verdict: rubric.verdict,
          quotes: quotes(ordered),
          droppedQuotes: quotes(ordered) - quotes(dimensions),
          // Where the model's reading and the rules differ: what to look at when the rules need work.
          readingsOverRules: disagreements,
          closeDrill: context.closeSummary !== null,
        },
        'coach assessed',
      );
      return {
        feedback: {
          verdict: rubric.verdict,
          mode: 'llm',
          summary: rubric.summary.trim(),
          metrics: read,
          dimensions,
          nextTime: rubric.nextTime.trim(),
        },
        usage: result.usage,
      };
    },
  };
}
