import type { ModelPrice } from '../config.js';
import type { UsageLine } from '../store/stats.js';

/** One row of "usage this month": a model, its sessions and tokens, and what they cost by the price table. */
export type UsageCost = {
  label: string;
  /** Sessions that used this model (as the buyer, the coach or both). */
  sessions: number;
  inputTokens: number;
  cachedInputTokens: number;
  outputTokens: number;
  /** USD; null when the model has no price (or no model ran: offline). */
  cost: number | null;
  /** The total leaves out tokens of a model without a price. */
  approximate: boolean;
};

type Tokens = Pick<UsageCost, 'inputTokens' | 'cachedInputTokens' | 'outputTokens'>;

/** A model's price: its own entry, or the longest entry it starts with ("gpt-4.1-mini-2025-04-14" → "gpt-4.1-mini"). */
export function priceFor(prices: Readonly<Record<string, ModelPrice>>, model: string): ModelPrice | null {
  if (prices[model]) return prices[model];
  let best: string | null = null;
  for (const name of Object.keys(prices)) {
    if (model.startsWith(name) && (best === null || name.length > best.length)) best = name;
  }
  return best ? prices[best]! : null;
}

/** USD for a token count; OpenAI counts cached tokens inside the input tokens, at their own price. */
export const costOf = (p: ModelPrice, u: Tokens) =>
  (Math.max(0, u.inputTokens - u.cachedInputTokens) * p.input +
    u.cachedInputTokens * p.cachedInput +
    u.outputTokens * p.output) /
  1_000_000;

/**
 * Usage per model with its estimated cost, busiest first, and the totals. A session's tokens are split between
 * the buyer's model and the coach's (sessions keep the coach's part apart), each priced at its own rate.
 */
export function estimateUsage(
  lines: readonly UsageLine[],
  prices: Readonly<Record<string, ModelPrice>>,
): { rows: UsageCost[]; total: UsageCost } {
  const byLabel = new Map<string, UsageCost>();
  const add = (label: string, model: string | null, sessions: number, t: Tokens) => {
    const price = model === null ? null : priceFor(prices, model);
    const row = byLabel.get(label) ?? {
      label,
      sessions: 0,
      inputTokens: 0,
      cachedInputTokens: 0,
      outputTokens: 0,
      cost: price ? 0 : null,
      approximate: false,
    };
    row.sessions += sessions;
    row.inputTokens += t.inputTokens;
    row.cachedInputTokens += t.cachedInputTokens;
    row.outputTokens += t.outputTokens;
    if (row.cost !== null && price) row.cost += costOf(price, t);
    byLabel.set(label, row);
  };
  for (const l of lines) {
    const buyer = l.mode === 'llm' ? (l.buyerModel ?? l.coachModel) : null;
    if (buyer === null) {
      add('offline (no model)', null, l.sessions, l);
      continue;
    }
    const coach = l.coachModel ?? buyer;
    const buyerPart: Tokens = {
      inputTokens: Math.max(0, l.inputTokens - l.coach.inputTokens),
      cachedInputTokens: Math.max(0, l.cachedInputTokens - l.coach.cachedInputTokens),
      outputTokens: Math.max(0, l.outputTokens - l.coach.outputTokens),
    };
    if (coach === buyer) {
      add(buyer, buyer, l.sessions, l);
    } else {
      add(buyer, buyer, l.sessions, buyerPart);
      add(coach, coach, l.sessions, l.coach);
    }
  }
  const rows = [...byLabel.values()].sort(
    (a, b) => b.sessions - a.sessions || a.label.localeCompare(b.label),
  );
  const priced = rows.filter((r) => r.cost !== null);
  const total: UsageCost = {
    label: 'total',
    sessions: lines.reduce((n, l) => n + l.sessions, 0),
    inputTokens: lines.reduce((n, l) => n + l.inputTokens, 0),
    cachedInputTokens: lines.reduce((n, l) => n + l.cachedInputTokens, 0),
    outputTokens: lines.reduce((n, l) => n + l.outputTokens, 0),
    cost: priced.length > 0 ? priced.reduce((n, r) => n + (r.cost ?? 0), 0) : null,
    approximate: rows.some((r) => r.cost === null && r.inputTokens + r.outputTokens > 0),
  };
  return { rows, total };
}
