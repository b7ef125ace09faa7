import { z } from 'zod';
import type { Language } from '../domain/language.js';
import type { Turn } from '../domain/transcript.js';
import type { Usage } from '../llm/types.js';
import type { Scenario } from '../scenarios/schema.js';

export const OutcomeSchema = z.enum(['yes', 'next_step', 'no', 'open']);
/** How a conversation ends: `open` while it runs, and when it ends without a commitment or a refusal. */
export type Outcome = z.infer<typeof OutcomeSchema>;

export const StageSchema = z.enum(['opening', 'discovery', 'closing', 'ended']);
export type Stage = z.infer<typeof StageSchema>;

/** The buyer's hidden state: kept per session, validated, and read by the coach and the Slack app. */
export const BuyerStateSchema = z.object({
  /** 0 (hostile) .. 100 (fully with the rep). */
  trust: z.number().int().min(0).max(100),
  stage: StageSchema,
  /** Ids of hidden facts the rep has uncovered. */
  uncovered: z.array(z.string()),
  /** Rep turns that asked for a commitment. */
  closeAttempts: z.number().int().min(0),
  /** Of those, the ones the buyer turned down as not earned. */
  unearnedCloses: z.number().int().min(0),
  outcome: OutcomeSchema,
  /** True once the buyer has made a final decision or left. */
  ended: z.boolean(),
  /**
   * Model mode: how often the code's guard overrode the model's yes (not earned, the wrong kind of close,
   * essential facts not out) and the buyer was asked again. Missing in states stored before it was counted.
   */
  overrides: z.number().int().min(0).optional(),
});
export type BuyerState = z.infer<typeof BuyerStateSchema>;

/** A turn as the buyer sees its history: `raw` is the buyer's own structured output, kept verbatim so that
 * the LLM prompt prefix stays byte-identical across turns. */
export type HistoryTurn = Turn & { raw?: string | null };

export type BuyerTurnResult = {
  text: string;
  state: BuyerState;
  /** What to store as the assistant message for later prompts (LLM mode). */
  raw: string | null;
  usage: Usage | null;
};

export type BuyerReplyInput = {
  scenario: Scenario;
  /** Everything said so far, buyer opening included, in order. Not mutated. */
  history: readonly HistoryTurn[];
  state: BuyerState;
  repText: string;
};

/** A buyer: the LLM one or the scripted offline one. Pure over its inputs apart from the model call. */
export type Buyer = {
  readonly mode: 'llm' | 'offline';
  open(scenario: Scenario): BuyerTurnResult;
  reply(input: BuyerReplyInput): Promise<BuyerTurnResult>;
};

export const initialState = (scenario: Scenario): BuyerState => ({
  trust:
    scenario.start === 'close' ? Math.max(scenario.offline.trust_start, 55) : scenario.offline.trust_start,
  stage: scenario.start === 'close' ? 'closing' : 'opening',
  // In a close drill the discovery already happened: everything the buyer told is on the table.
  uncovered: scenario.start === 'close' ? scenario.hidden_facts.map((f) => f.id) : [],
  closeAttempts: 0,
  unearnedCloses: 0,
  outcome: 'open',
  ended: false,
});

export type { Language };
