import { describe, expect, it } from 'vitest';
import { evaluate, formatEvalReport, parseLabelledJsonl } from '../../src/coach/eval.js';
import type { Feedback, Metrics } from '../../src/coach/feedback.js';

const metrics: Metrics = {
  repWordShare: 0.5,
  repQuestions: 4,
  discoveryQuestions: 3,
  longestRepTurnWords: 40,
  closeAttempts: 1,
  finalCloseType: 'order',
  recapBeforeClose: true,
  addedArgumentAfterClose: false,
  pitchedBeforeDiscovery: false,
  buyerFlatNo: false,
  disguisedNo: false,
};
const fb = (verdict: Feedback['verdict']): Feedback => ({
  verdict,
  mode: 'offline',
  summary: '',
  metrics,
  dimensions: [],
  nextTime: '',
});

describe('eval on partial labels (a manager’s correction from export --labelled)', () => {
  const jsonl = [
    {
      id: 'only-verdict',
      language: 'en',
      turns: [{ role: 'rep', text: 'Hi?' }],
      labels: { verdict: 'mixed' },
    },
    {
      id: 'two-fields',
      language: 'sv',
      turns: [{ role: 'rep', text: 'Hej?' }],
      labels: { verdict: 'connected', close_attempts: 2, buyer_flat_no: false },
    },
  ]
    .map((r) => JSON.stringify(r))
    .join('\n');

  it('reads rows whose labels hold the verdict and any of the other fields', () => {
    const rows = parseLabelledJsonl(jsonl, 'corrections.jsonl');
    expect(rows.map((r) => r.labels)).toEqual([
      { verdict: 'mixed' },
      { verdict: 'connected', close_attempts: 2, buyer_flat_no: false },
    ]);
    expect(() =>
      parseLabelledJsonl('{"turns":[{"role":"rep","text":"Hi"}],"labels":{"close_attempts":1}}', 'x.jsonl'),
    ).toThrow(/x\.jsonl:1: labels\.verdict/);
  });

  it('counts each label field only over the rows that have it', () => {
    const rows = parseLabelledJsonl(jsonl, 'corrections.jsonl');
    const r = evaluate(rows, [fb('mixed'), fb('mixed')]);
    expect(r.n).toBe(2);
    expect(r.verdictAccuracy).toBe(0.5);
    // close_attempts: labelled once, 2 against the coach's 1.
    expect(r.metrics.close_attempts).toEqual({ agreement: 0, n: 1 });
    expect(r.metrics.buyer_flat_no).toEqual({ agreement: 1, n: 1 });
    expect(r.metrics.disguised_no).toEqual({ agreement: 0, n: 0 });
    expect(r.rows.map((x) => x.mismatches)).toEqual([[], ['close_attempts: expected 2, got 1']]);
    expect(formatEvalReport(r)).toContain('disguised_no');
  });
});
