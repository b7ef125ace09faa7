import type { ModelPrice } from '../config.js';
import type { UsageLine } from '../store/stats.js';

/** One row of "usage this month": a model, its sessions and tokens, and what they cost by the price table. */
export type UsageCost = {
  label: string;
  sessions: number;
  inputTokens: number;
  cachedInputTokens: number;
  outputTokens: number;
  /** USD; null when the model has no price (or no model ran: offline). */
  cost: number | null;
  /** The buyer and the coach ran on different models: sessions store one token total, priced at the buyer's. */
  approximate: boolean;
};

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
export const costOf = (
  p: ModelPrice,
  u: Pick<UsageLine, 'inputTokens' | 'cachedInputTokens' | 'outputTokens'>,
) =>
  (Math.max(0, u.inputTokens - u.cachedInputTokens) * p.input +
    u.cachedInputTokens * p.cachedInput +
    u.outputTokens * p.output) /
  1_000_000;

/** Usage lines per model with their estimated cost, busiest first, and the totals. */
export function estimateUsage(
  lines: readonly UsageLine[],
  prices: Readonly<Record<string, ModelPrice>>,
): { rows: UsageCost[]; total: UsageCost } {
  const byLabel = new Map<string, UsageCost>();
  for (const l of lines) {
    const buyer = l.mode === 'llm' ? (l.buyerModel ?? l.coachModel) : null;
    const split = buyer !== null && l.coachModel !== null && l.coachModel !== buyer;
    const label = buyer === null ? 'offline (no model)' : split ? `${buyer} (coach: ${l.coachModel})` : buyer;
    const price = buyer === null ? null : priceFor(prices, buyer);
    const row = byLabel.get(label) ?? {
      label,
      sessions: 0,
      inputTokens: 0,
      cachedInputTokens: 0,
      outputTokens: 0,
      cost: price ? 0 : null,
      approximate: split,
    };
    row.sessions += l.sessions;
    row.inputTokens += l.inputTokens;
    row.cachedInputTokens += l.cachedInputTokens;
    row.outputTokens += l.outputTokens;
    if (row.cost !== null && price) row.cost += costOf(price, l);
    byLabel.set(label, row);
  }
  const rows = [...byLabel.values()].sort(
    (a, b) => b.sessions - a.sessions || a.label.localeCompare(b.label),
  );
  const priced = rows.filter((r) => r.cost !== null);
  const total: UsageCost = {
    label: 'total',
    sessions: rows.reduce((n, r) => n + r.sessions, 0),
    inputTokens: rows.reduce((n, r) => n + r.inputTokens, 0),
    cachedInputTokens: rows.reduce((n, r) => n + r.cachedInputTokens, 0),
    outputTokens: rows.reduce((n, r) => n + r.outputTokens, 0),
    cost: priced.length > 0 ? priced.reduce((n, r) => n + (r.cost ?? 0), 0) : null,
    // Approximate when a row is, or when a model without a price is left out of the sum.
    approximate: rows.some((r) => r.approximate || (r.cost === null && r.inputTokens + r.outputTokens > 0)),
  };
  return { rows, total };
}
