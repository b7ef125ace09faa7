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
  coach: { inputTokens: 0, cachedInputTokens: 0, outputTokens: 0 },
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

  it('prices the buyer’s and the coach’s tokens each at their own model, and leaves unpriced models out of the sum', () => {
    const { rows, total } = estimateUsage(
      [
        line({ sessions: 3 }),
        // 1M input, of which the coach's 200k on gpt-4.1; 1M output, of which the coach's 100k.
        line({
          sessions: 2,
          buyerModel: 'gpt-4.1-mini',
          coachModel: 'gpt-4.1',
          outputTokens: 1_000_000,
          coach: { inputTokens: 200_000, cachedInputTokens: 0, outputTokens: 100_000 },
        }),
        line({ sessions: 1, buyerModel: 'llama3', coachModel: 'llama3' }),
        line({ mode: 'offline', buyerModel: null, coachModel: null, sessions: 4, inputTokens: 0 }),
      ],
      DEFAULT_PRICES,
    );
    expect(
      rows.map((r) => [
        r.label,
        r.sessions,
        r.inputTokens,
        r.outputTokens,
        r.cost === null ? null : Number(r.cost.toFixed(4)),
      ]),
    ).toEqual([
      // 3 sessions: 1M input at 0.40; 2 sessions: 800k input at 0.40 and 900k output at 1.60.
      ['gpt-4.1-mini', 5, 1_800_000, 900_000, Number((0.4 + 0.32 + 1.44).toFixed(4))],
      ['offline (no model)', 4, 0, 0, null],
      // 200k input at 2.00, 100k output at 8.00.
      ['gpt-4.1', 2, 200_000, 100_000, 1.2],
      ['llama3', 1, 1_000_000, 0, null],
    ]);
    expect(total).toMatchObject({
      sessions: 10,
      inputTokens: 3_000_000,
      outputTokens: 1_000_000,
      approximate: true,
    });
    expect(total.cost).toBeCloseTo(0.4 + 0.32 + 1.44 + 1.2, 10);
    // Everything priced: the total is exact.
    expect(estimateUsage([line({})], DEFAULT_PRICES).total.approximate).toBe(false);
  });

  it('counts the month from its first day, UTC', () => {
    expect(startOfMonth(new Date('2025-03-31T23:59:59Z')).toISOString()).toBe('2025-03-01T00:00:00.000Z');
  });
});
