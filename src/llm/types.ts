import type { z } from 'zod';

/** Token accounting for one call or summed over a session. */
export type Usage = {
  inputTokens: number;
  cachedInputTokens: number;
  outputTokens: number;
};

export const zeroUsage = (): Usage => ({ inputTokens: 0, cachedInputTokens: 0, outputTokens: 0 });

/** A session's tokens: the total, and the coach's part of it, so that each model is priced at its own rate. */
export type SessionUsage = Usage & { coach?: Usage };

/** The buyer's tokens added to a session's total; the coach's part stays as it was. */
export const addBuyerUsage = (u: SessionUsage, b: Usage | null | undefined): SessionUsage =>
  u.coach ? { ...addUsage(u, b), coach: u.coach } : addUsage(u, b);

/** The coach's tokens added to a session's total and to its coach part. */
export const addCoachUsage = (u: SessionUsage, c: Usage | null | undefined): SessionUsage =>
  c ? { ...addUsage(u, c), coach: addUsage(u.coach ?? zeroUsage(), c) } : u;
export const addUsage = (a: Usage, b: Usage | null | undefined): Usage =>
  b
    ? {
        inputTokens: a.inputTokens + b.inputTokens,
        cachedInputTokens: a.cachedInputTokens + b.cachedInputTokens,
        outputTokens: a.outputTokens + b.outputTokens,
      }
    : a;

export type ChatMessage = { role: 'system' | 'user' | 'assistant'; content: string };

export type LlmRequest<T> = {
  /** Which configured model: the buyer's or the coach's. */
  purpose: 'buyer' | 'coach';
  messages: readonly ChatMessage[];
  schema: z.ZodType<T>;
  /** Name of the structured output, e.g. "buyer_turn". */
  schemaName: string;
  temperature?: number;
  maxOutputTokens?: number;
};

export type LlmResult<T> = {
  value: T;
  /** The assistant message as the model produced it (JSON text). */
  raw: string;
  usage: Usage;
  model: string;
};

/** The only door to a language model. Tests pass a fake; `src/llm/openai.ts` is the real one. */
export type Llm = {
  generate<T>(req: LlmRequest<T>): Promise<LlmResult<T>>;
};
