import { z } from 'zod';

/** Deterministic metrics, names exactly as in DESIGN.md's coach JSON. */
export const MetricsSchema = z.object({
  repWordShare: z.number().min(0).max(1),
  repQuestions: z.number().int().min(0),
  discoveryQuestions: z.number().int().min(0),
  longestRepTurnWords: z.number().int().min(0),
  closeAttempts: z.number().int().min(0),
  finalCloseType: z.enum(['order', 'next_step', 'none']),
  recapBeforeClose: z.boolean(),
  addedArgumentAfterClose: z.boolean(),
  pitchedBeforeDiscovery: z.boolean(),
  buyerFlatNo: z.boolean(),
  disguisedNo: z.boolean(),
});
export type Metrics = z.infer<typeof MetricsSchema>;

export const VerdictSchema = z.enum(['connected', 'script', 'mixed']);
export type Verdict = z.infer<typeof VerdictSchema>;

export const DIMENSION_IDS = ['discovery', 'listening', 'handling_no', 'close'] as const;
export const DimensionIdSchema = z.enum(DIMENSION_IDS);
export type DimensionId = z.infer<typeof DimensionIdSchema>;

export const EvidenceSchema = z.object({
  /** 0-based index into the transcript's turns. */
  turn: z.number().int().min(0),
  /** A verbatim substring of that turn. */
  quote: z.string().min(1),
});
export type Evidence = z.infer<typeof EvidenceSchema>;

export const DimensionSchema = z.object({
  id: DimensionIdSchema,
  score: z.number().int().min(1).max(5),
  comment: z.string(),
  evidence: z.array(EvidenceSchema),
});
export type Dimension = z.infer<typeof DimensionSchema>;

/** Why a model coach's feedback is the offline coach's: the model call failed (an error code and what happened). */
export const FallbackSchema = z.object({
  /** The AppError code: llm_bad_output, llm_timeout, llm_unavailable. */
  code: z.string(),
  reason: z.string(),
});
export type Fallback = z.infer<typeof FallbackSchema>;

/** What `coach --json` prints and what the feedback card shows. */
export const FeedbackSchema = z.object({
  verdict: VerdictSchema,
  mode: z.enum(['llm', 'offline']),
  /** Only when a model is configured and its coach failed: this is the offline coach's judgement instead. */
  fallback: FallbackSchema.optional(),
  summary: z.string(),
  metrics: MetricsSchema,
  dimensions: z.array(DimensionSchema),
  nextTime: z.string(),
});
export type Feedback = z.infer<typeof FeedbackSchema>;
