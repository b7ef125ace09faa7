import { describe, expect, it } from 'vitest';
import { DEFAULT_PRICES, loadConfig } from '../../src/config.js';
import { startOfMonth } from '../../src/slack/home.js';
import { costOf, estimateUsage, priceFor } from '../../src/slack/usage.js';

const line = (o: Partial<Parameters<typeof estimateUsage>[0][number]>) => ({
  mode: 'llm' as const,
  buyerModel: 'gpt-4.1-mini',
  coachModel: 'gpt-4.1-mini',
  sessions: 1,
  inputTokens: 1_000_000,
  cachedInputTokens: 0,
  outputTokens: 0,
  ...o,
});

describe('SPARRING_PRICES', () => {
  it('adds to and overrides the built-in prices; cached input defaults to the input price', () => {
    const config = loadConfig({
      SPARRING_PRICES:
        '{"qwen2.5:14b":{"input":0,"output":0},"gpt-4.1-mini":{"input":0.5,"cachedInput":0.2,"output":2}}',
    });
    expect(config.prices['qwen2.5:14b']).toEqual({ input: 0, cachedInput: 0, output: 0 });
    expect(config.prices['gpt-4.1-mini']).toEqual({ input: 0.5, cachedInput: 0.2, output: 2 });
    expect(config.prices['gpt-4.1']).toEqual(DEFAULT_PRICES['gpt-4.1']);
    expect(loadConfig({}).prices).toEqual(DEFAULT_PRICES);
  });

  it('refuses prices that are not JSON or not numbers, naming the variable', () => {
    expect(() => loadConfig({ SPARRING_PRICES: 'cheap' })).toThrow(/SPARRING_PRICES: must be JSON/);
    expect(() => loadConfig({ SPARRING_PRICES: '{"m":{"input":"1","output":2}}' })).toThrow(
      /SPARRING_PRICES\.m\.input/,
    );
    expect(() => loadConfig({ SPARRING_PRICES: '{"m":{"input":1,"output":2,"extra":3}}' })).toThrow(
      /SPARRING_PRICES\.m/,
    );
  });
});

describe('usage estimate', () => {
  it('prices dated model snapshots by their family, cached tokens at the cached price', () => {
    expect(priceFor(DEFAULT_PRICES, 'gpt-4.1-mini-2025-04-14')).toEqual(DEFAULT_PRICES['gpt-4.1-mini']);
    expect(priceFor(DEFAULT_PRICES, 'gpt-4.1-2025-04-14')).toEqual(DEFAULT_PRICES['gpt-4.1']);
    expect(priceFor(DEFAULT_PRICES, 'llama3')).toBeNull();
    // 1M input of which 800k cached, 100k output on gpt-4.1-mini: 0.2×0.40 + 0.8×0.10 + 0.1×1.60.
    expect(
      costOf(DEFAULT_PRICES['gpt-4.1-mini']!, {
        inputTokens: 1_000_000,
        cachedInputTokens: 800_000,
        outputTokens: 100_000,
      }),
    ).toBeCloseTo(0.32, 10);
  });

  it('groups per model, marks split buyer/coach models as approximate, and leaves unpriced models out of the sum', () => {
    const { rows, total } = estimateUsage(
      [
        line({ sessions: 3 }),
        line({ sessions: 2, buyerModel: 'gpt-4.1-mini', coachModel: 'gpt-4.1', outputTokens: 1_000_000 }),
        line({ sessions: 1, buyerModel: 'llama3', coachModel: 'llama3' }),
        line({ mode: 'offline', buyerModel: null, coachModel: null, sessions: 4, inputTokens: 0 }),
      ],
      DEFAULT_PRICES,
    );
    expect(
      rows.map((r) => [
        r.label,
        r.sessions,
        r.cost === null ? null : Number(r.cost.toFixed(4)),
        r.approximate,
      ]),
    ).toEqual([
      ['offline (no model)', 4, null, false],
      ['gpt-4.1-mini', 3, 0.4, false],
      ['gpt-4.1-mini (coach: gpt-4.1)', 2, 2, true],
      ['llama3', 1, null, false],
    ]);
    expect(total).toMatchObject({ sessions: 10, approximate: true });
    expect(total.cost).toBeCloseTo(2.4, 10);
  });

  it('counts the month from its first day, UTC', () => {
    expect(startOfMonth(new Date('2025-03-31T23:59:59Z')).toISOString()).toBe('2025-03-01T00:00:00.000Z');
  });
});
