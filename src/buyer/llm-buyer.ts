import { z } from 'zod';
import { AppError, isAppError } from '../errors.js';
import { describeLanguage, type Prompts } from '../llm/prompts.js';
import { addUsage, type ChatMessage, type Llm, type LlmResult } from '../llm/types.js';
import type { Logger } from '../logger.js';
import type { Scenario } from '../scenarios/schema.js';
import {
  type Buyer,
  type BuyerState,
  type BuyerTurnResult,
  type HistoryTurn,
  initialState,
  OutcomeSchema,
} from './types.js';

const nonEmpty = (s: string) => s.trim().length > 0;

/**
 * One buyer turn as the model produces it. Decisions come before the reply, so the model settles what the rep's
 * message earned before it writes what it says. Kept free of `.optional()` and string-length keywords so that
 * every OpenAI-compatible server accepts it as a strict schema; emptiness is checked by the refinement.
 */
export const BuyerTurnSchema = z.object({
  thought: z.string().describe("The buyer's private reaction to the rep's last message; never shown."),
  close_attempt: z.boolean().describe("The rep's last message asks for a commitment."),
  close_kind: z.enum(['order', 'next_step']).nullable(),
  close_earned: z.boolean(),
  trust: z.number().int().min(0).max(100),
  newly_uncovered: z.array(z.string()).describe('Ids of hidden facts this reply reveals for the first time.'),
  outcome: OutcomeSchema,
  ended: z.boolean(),
  reply: z.string().refine(nonEmpty, 'reply must not be empty').describe('What the buyer says, in Slack.'),
});
export type BuyerTurn = z.infer<typeof BuyerTurnSchema>;

/** Trust moves at most this much per turn, whatever the model says: one message cannot win or lose a buyer. */
export const MAX_TRUST_STEP = 20;

const clamp = (n: number, lo: number, hi: number) => Math.min(hi, Math.max(lo, n));

/**
 * The buyer's state after one model turn. The model proposes; this decides. A yes only counts for a close of the
 * kind the sale needs (simple: the order; complex: a next step) once every essential fact is out.
 */
export function nextState(scenario: Scenario, prev: BuyerState, turn: BuyerTurn): BuyerState {
  if (prev.ended) return prev;

  const known = new Set(scenario.hidden_facts.map((f) => f.id));
  const uncovered = [...prev.uncovered];
  for (const id of turn.newly_uncovered) {
    if (known.has(id) && !uncovered.includes(id)) uncovered.push(id);
  }

  const trust = clamp(
    Math.round(clamp(turn.trust, prev.trust - MAX_TRUST_STEP, prev.trust + MAX_TRUST_STEP)),
    0,
    100,
  );

  const fitting = scenario.sale === 'simple' ? 'order' : 'next_step';
  const essentialsOut = scenario.hidden_facts.every((f) => !f.essential || uncovered.includes(f.id));
  const earned = turn.close_attempt && turn.close_earned && turn.close_kind === fitting && essentialsOut;
  const winning = scenario.sale === 'simple' ? 'yes' : 'next_step';

  // The close kind decides what was agreed to; a model that calls agreeing to a demo "yes" still agreed.
  const agreed = turn.outcome === 'yes' || turn.outcome === 'next_step';
  const outcome = turn.outcome === 'no' ? 'no' : agreed && earned ? winning : ('open' as const);
  // A buyer may walk away without a decision; a yes the guard turned down does not end the conversation.
  const ended = outcome !== 'open' || (turn.ended && turn.outcome === 'open');

  return {
    trust,
    stage: ended ? 'ended' : turn.close_attempt || prev.stage === 'closing' ? 'closing' : 'discovery',
    uncovered,
    closeAttempts: prev.closeAttempts + (turn.close_attempt ? 1 : 0),
    unearnedCloses: prev.unearnedCloses + (turn.close_attempt && !earned ? 1 : 0),
    outcome,
    ended,
    // The per-session count of overridden agreements carries over; `reask` adds to it.
    ...(prev.overrides === undefined ? {} : { overrides: prev.overrides }),
  };
}

/**
 * Why the guard in `nextState` turned the model's agreement into "open", in words for the model; null when it did
 * not (no agreement, a no, or an agreement that counts). `next` is the state `nextState` gave for this turn.
 */
export function overrideReason(
  scenario: Scenario,
  prev: BuyerState,
  turn: BuyerTurn,
  next: BuyerState,
): string | null {
  const agreed = turn.outcome === 'yes' || turn.outcome === 'next_step';
  if (prev.ended || !agreed || next.outcome !== 'open') return null;
  const fitting = scenario.sale === 'simple' ? 'order' : 'next_step';
  if (!turn.close_attempt) return "the rep's last message did not ask you for a commitment.";
  if (turn.close_kind !== fitting) {
    return scenario.sale === 'simple'
      ? 'this is a simple sale, and the only yes that counts here is the order itself; the rep asked for something else.'
      : 'this is a complex sale: what you can agree to is a concrete next step, never the order, a signature or a contract today.';
  }
  if (!turn.close_earned) return 'by your own judgement this close was not earned yet.';
  const missing = scenario.hidden_facts.filter((f) => f.essential && !next.uncovered.includes(f.id));
  return `you cannot agree before the rep knows what matters for this decision, and the rep has not uncovered ${missing
    .map((f) => `\`${f.id}\``)
    .join(', ')} yet.`;
}

/**
 * The assistant message for a buyer line the model did not write (the authored opening, or a turn stored
 * without raw): the same JSON shape the model answers in, built only from the scenario, so it is byte-stable.
 */
export function authoredTurnRaw(scenario: Scenario, text: string): string {
  const state = initialState(scenario);
  const turn: BuyerTurn = {
    thought: '',
    close_attempt: false,
    close_kind: null,
    close_earned: false,
    trust: state.trust,
    newly_uncovered: state.uncovered,
    outcome: 'open',
    ended: false,
    reply: text,
  };
  return JSON.stringify(turn);
}

const bullets = (items: readonly string[]) => items.map((i) => `- "${i}"`).join('\n');
const inline = (items: readonly string[]) => items.map((i) => `"${i}"`).join(' / ');

// Rendered once per scenario (the catalog keeps its objects), not on every turn.
const systemPrompts = new WeakMap<Prompts, WeakMap<Scenario, string>>();

/** The buyer's system prompt: the scenario only, nothing that changes from turn to turn. */
export function buyerSystemPrompt(prompts: Prompts, scenario: Scenario): string {
  let byScenario = systemPrompts.get(prompts);
  if (!byScenario) {
    byScenario = new WeakMap();
    systemPrompts.set(prompts, byScenario);
  }
  let text = byScenario.get(scenario);
  if (text === undefined) {
    text = renderSystemPrompt(prompts, scenario);
    byScenario.set(scenario, text);
  }
  return text;
}

function renderSystemPrompt(prompts: Prompts, scenario: Scenario): string {
  const p = scenario.persona;
  const lines = scenario.offline.lines;
  const text = prompts.render('buyer', {
    language: describeLanguage(scenario.language),
    difficulty: String(scenario.difficulty),
    name: p.name,
    persona: [
      `- Name: ${p.name}`,
      `- Role: ${p.role}`,
      `- Company: ${p.company}`,
      `- Personality: ${p.personality}`,
      '- You care about:',
      ...p.cares_about.map((c) => `  - ${c}`),
    ].join('\n'),
    situation: scenario.situation,
    buying_process: scenario.buying_process,
    hidden_facts: scenario.hidden_facts
      .map((f) =>
        [
          `- \`${f.id}\` (${f.kind}${f.essential ? ', essential' : ''}; minimum trust ${f.min_trust})`,
          `  - The truth: ${f.fact}`,
          `  - Reveal when: ${f.reveal_when}`,
        ].join('\n'),
      )
      .join('\n'),
    objections: bullets(scenario.objections),
    disguised_nos: bullets(scenario.disguised_nos),
    flat_no: scenario.flat_no,
    earned_yes: [
      `- ${scenario.earned_yes.kind === 'order' ? 'The order' : 'A next step'}: ${scenario.earned_yes.description}`,
      `- Your line when it is earned: "${scenario.earned_yes.line}"`,
    ].join('\n'),
    sale_rules: prompts.render(`buyer-sale-${scenario.sale}`, {}),
    voice: [
      `- A guarded answer: ${inline(lines.guarded)}`,
      `- To a pitch: ${inline(lines.pitch)}`,
      `- To pressure: ${inline(lines.pressure)}`,
      `- When the rep reflects your words: ${inline(lines.reflection)}`,
      `- To junk or odd requests: ${inline(lines.off_topic)}`,
      `- Your impression, before a close is earned: ${inline(lines.impression)}`,
      `- Wrapping up: "${lines.wrap_up}"`,
    ].join('\n'),
    opening: scenario.opening,
    close_drill:
      scenario.start === 'close' && scenario.close_summary
        ? prompts.render('buyer-close-drill', { close_summary: scenario.close_summary })
        : '',
  });
  // An empty section (no close drill) would leave a gap of blank lines in the middle of the prompt.
  return text.replace(/\n{3,}/g, '\n\n');
}

/**
 * The messages for one buyer turn. Append-only: the system prompt never changes within a conversation and each
 * earlier turn is replayed byte for byte (buyer turns as their stored raw JSON), so the prompt for turn n+1 starts
 * with the prompt for turn n plus the buyer's answer, and the provider's prompt cache covers it.
 * Text is used exactly as given: trimming here but not in the store would break that prefix.
 */
export function buyerMessages(
  prompts: Prompts,
  scenario: Scenario,
  history: readonly HistoryTurn[],
  repText: string,
): ChatMessage[] {
  return [
    { role: 'system', content: buyerSystemPrompt(prompts, scenario) },
    ...history.map(
      (turn): ChatMessage =>
        turn.role === 'buyer'
          ? { role: 'assistant', content: turn.raw ?? authoredTurnRaw(scenario, turn.text) }
          : { role: 'user', content: turn.text },
    ),
    { role: 'user', content: repText },
  ];
}

/** The buyer played by a language model over the scenario. */
export function createLlmBuyer(deps: { llm: Llm; prompts: Prompts; logger: Logger }): Buyer {
  const log = deps.logger.child({ module: 'buyer' });
  /**
   * The guard overrode the model's agreement: ask once more with the decision stated, so that the words the rep
   * reads match the decision. The note is appended after the first answer, so the request starts with the first
   * one byte for byte (the prompt cache covers it). If the second answer still agrees, or the call fails, the
   * buyer says its own authored impression line instead: never a yes that did not count.
   */
  async function reask(a: {
    scenario: Scenario;
    state: BuyerState;
    messages: readonly ChatMessage[];
    first: LlmResult<BuyerTurn>;
    reason: string;
  }): Promise<{ turn: BuyerTurn; next: BuyerState; raw: string; usage: LlmResult<BuyerTurn>['usage'] }> {
    const overrides = (a.state.overrides ?? 0) + 1;
    log.info(
      { scenario: a.scenario.id, proposedOutcome: a.first.value.outcome, reason: a.reason, overrides },
      'buyer decision overridden; asking again',
    );
    let second: LlmResult<BuyerTurn> | null = null;
    try {
      second = await deps.llm.generate({
        purpose: 'buyer',
        messages: [
          ...a.messages,
          { role: 'assistant', content: a.first.raw },
          { role: 'user', content: deps.prompts.render('buyer-decision', { reason: a.reason }) },
        ],
        schema: BuyerTurnSchema,
        schemaName: 'buyer_turn',
        temperature: 0.7,
        maxOutputTokens: 600,
      });
    } catch (err) {
      if (!isAppError(err)) throw err;
      log.warn({ scenario: a.scenario.id, code: err.code }, 'buyer re-ask failed; authored line instead');
    }
    const usage = addUsage(a.first.usage, second?.usage);
    if (second) {
      const next = nextState(a.scenario, a.state, second.value);
      if (overrideReason(a.scenario, a.state, second.value, next) === null) {
        return { turn: second.value, next: { ...next, overrides }, raw: second.raw, usage };
      }
      log.warn({ scenario: a.scenario.id }, 'buyer agreed again after the re-ask; authored line instead');
    }
    // The model's reading of the turn (trust, facts) stays; the decision and the words become a buyer's not yet.
    const base = second?.value ?? a.first.value;
    const turn: BuyerTurn = {
      ...base,
      close_earned: false,
      outcome: 'open',
      ended: false,
      reply: a.scenario.offline.lines.impression[0] ?? a.scenario.offline.lines.guarded[0] ?? '…',
    };
    const next = nextState(a.scenario, a.state, turn);
    return { turn, next: { ...next, overrides }, raw: JSON.stringify(turn), usage };
  }

  return {
    mode: 'llm',

    open(scenario: Scenario): BuyerTurnResult {
      return {
        text: scenario.opening,
        state: initialState(scenario),
        raw: authoredTurnRaw(scenario, scenario.opening),
        usage: null,
      };
    },

    async reply({ scenario, history, state, repText }) {
      if (state.ended) throw new AppError('session_ended', 'This conversation has already ended');
      const messages = buyerMessages(deps.prompts, scenario, history, repText);
      const result = await deps.llm.generate({
        purpose: 'buyer',
        messages,
        schema: BuyerTurnSchema,
        schemaName: 'buyer_turn',
        temperature: 0.7,
        maxOutputTokens: 600,
      });
      const first = result.value;
      const firstNext = nextState(scenario, state, first);
      const reason = overrideReason(scenario, state, first, firstNext);
      const { turn, next, raw, usage } = reason
        ? await reask({ scenario, state, messages, first: result, reason })
        : { turn: first, next: firstNext, raw: result.raw, usage: result.usage };
      // At debug: the practice use case logs each answer at info (session, turn, trust, outcome, time).
      log.debug(
        {
          scenario: scenario.id,
          turn: history.length,
          trust: next.trust,
          proposedTrust: turn.trust,
          uncovered: next.uncovered.length,
          closeAttempt: turn.close_attempt,
          outcome: next.outcome,
          proposedOutcome: first.outcome,
          overrides: next.overrides ?? 0,
        },
        'buyer judged the turn',
      );
      log.debug({ thought: turn.thought }, 'buyer thought');
      return { text: turn.reply.trim(), state: next, raw, usage };
    },
  };
}
