import { describe, expect, it } from 'vitest';
import { evaluate, formatEvalReport, type LabelledRow, parseLabelledJsonl } from '../../src/coach/eval.js';
import type { Feedback, Metrics, Verdict } from '../../src/coach/feedback.js';
import { isAppError } from '../../src/errors.js';

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

const labels = {
  verdict: 'connected' as Verdict,
  close_attempts: 1,
  final_close_type: 'order' as const,
  recap_before_final_close: true,
  added_argument_after_close: false,
  pitched_before_discovery: false,
  discovery_questions: 3,
  buyer_flat_no: false,
  disguised_no: false,
  outcome: 'yes' as const,
};

const row = (id: string, patch: Partial<typeof labels> = {}): LabelledRow => ({
  id,
  language: 'en',
  sale: 'simple',
  turns: [{ role: 'rep', text: 'Hello?' }],
  labels: { ...labels, ...patch },
});
const fb = (verdict: Verdict, patch: Partial<Metrics> = {}): Feedback => ({
  verdict,
  mode: 'offline',
  summary: '',
  metrics: { ...metrics, ...patch },
  dimensions: [],
  nextTime: '',
});

describe('evaluate', () => {
  const report = evaluate(
    [row('a'), row('b', { verdict: 'script', discovery_questions: 2 }), row('c', { verdict: 'mixed' })],
    [
      fb('connected'),
      fb('mixed', { discoveryQuestions: 3 }),
      fb('mixed', { closeAttempts: 2, disguisedNo: true }),
    ],
  );

  it('scores verdicts and builds the confusion matrix (expected → got)', () => {
    expect(report.n).toBe(3);
    expect(report.verdictAccuracy).toBeCloseTo(2 / 3);
    expect(report.confusion.script.mixed).toBe(1);
    expect(report.confusion.connected.connected).toBe(1);
    expect(report.confusion.mixed.mixed).toBe(1);
  });

  it('reports per-metric agreement, discovery questions exact and within one', () => {
    expect(report.metrics.discovery_questions).toEqual({ agreement: 2 / 3, n: 3 });
    expect(report.metrics.discovery_questions_within_1).toEqual({ agreement: 1, n: 3 });
    expect(report.metrics.close_attempts).toEqual({ agreement: 2 / 3, n: 3 });
    expect(report.metrics.disguised_no!.agreement).toBeCloseTo(2 / 3);
    expect(report.metrics.final_close_type!.agreement).toBe(1);
  });

  it('lists the mismatches per row', () => {
    expect(report.rows[1]).toEqual({
      id: 'b',
      expected: 'script',
      got: 'mixed',
      mismatches: ['discovery_questions: expected 2, got 3'],
    });
    expect(report.rows[2]!.mismatches).toEqual([
      'close_attempts: expected 1, got 2',
      'disguised_no: expected false, got true',
    ]);
  });

  it('refuses rows and feedbacks that do not pair up', () => {
    expect(() => evaluate([row('a')], [])).toThrow(/1 labelled rows but 0 feedbacks/);
  });

  it('formats a readable table', () => {
    const text = formatEvalReport(report);
    expect(text).toContain('Verdict accuracy: 2/3 (67%)');
    expect(text).toMatch(/discovery_questions_within_1\s+3\/3\s+100%/);
    expect(text).toMatch(/b\s+mixed \(label: script\)\s+discovery_questions: expected 2, got 3/);
  });
});

describe("evaluate: chance-corrected agreement, per language, the model's own readings", () => {
  it("computes Cohen's kappa against a hand-worked example", () => {
    // po = 2/3; rows (label) 1/1/1 and columns (coach) 1/0/2 give pe = 3/9; kappa = (2/3 - 1/3) / (2/3).
    const small = evaluate(
      [row('a'), row('b', { verdict: 'script' }), row('c', { verdict: 'mixed' })],
      [fb('connected'), fb('mixed'), fb('mixed')],
    );
    expect(small.verdictKappa).toBeCloseTo(0.5, 10);
    // po = 4/5; rows 2/2/1, columns 2/1/2: pe = 8/25; kappa = 0.48 / 0.68.
    const five = evaluate(
      [
        row('a'),
        row('b'),
        row('c', { verdict: 'script' }),
        row('d', { verdict: 'script' }),
        row('e', { verdict: 'mixed' }),
      ],
      [fb('connected'), fb('connected'), fb('script'), fb('mixed'), fb('mixed')],
    );
    expect(five.verdictKappa).toBeCloseTo(0.48 / 0.68, 10);
  });

  it('is 0 for a coach that always says the same thing, however accurate that looks', () => {
    const lazy = evaluate(
      [row('a'), row('b'), row('c'), row('d', { verdict: 'script' })],
      [fb('connected'), fb('connected'), fb('connected'), fb('connected')],
    );
    expect(lazy.verdictAccuracy).toBe(0.75);
    expect(lazy.verdictKappa).toBe(0);
    // Full agreement on a single class is full agreement.
    expect(evaluate([row('a')], [fb('connected')]).verdictKappa).toBe(1);
  });

  it('keeps a confusion matrix per language', () => {
    const sv = (id: string, verdict: Verdict): LabelledRow => ({ ...row(id, { verdict }), language: 'sv' });
    const r = evaluate(
      [row('a'), sv('b', 'script'), sv('c', 'mixed')],
      [fb('connected'), fb('mixed'), fb('mixed')],
    );
    expect(Object.keys(r.byLanguage)).toEqual(['en', 'sv']);
    expect(r.byLanguage.en).toMatchObject({ n: 1, verdictAccuracy: 1 });
    expect(r.byLanguage.sv!.n).toBe(2);
    expect(r.byLanguage.sv!.verdictAccuracy).toBe(0.5);
    expect(r.byLanguage.sv!.confusion.script.mixed).toBe(1);
    expect(r.byLanguage.sv!.confusion.mixed.mixed).toBe(1);
    expect(r.byLanguage.en!.confusion.script.mixed).toBe(0);
  });

  it("reports the model's readings over the rows the model judged, and counts fallbacks", () => {
    const llm = (verdict: Verdict, patch: Partial<Metrics> = {}): Feedback => ({
      ...fb(verdict, patch),
      mode: 'llm',
    });
    const fallback: Feedback = {
      ...fb('connected', { closeAttempts: 5 }),
      fallback: { code: 'llm_timeout', reason: 'no answer' },
    };
    const r = evaluate(
      [row('a'), row('b'), row('c')],
      [llm('connected'), llm('connected', { closeAttempts: 3, buyerFlatNo: true }), fallback],
    );
    expect(r.fallbacks).toBe(1);
    expect(r.readings.n).toBe(2);
    expect(r.readings.labels.close_attempts).toEqual({ agreement: 0.5, n: 2 });
    expect(r.readings.labels.buyer_flat_no).toEqual({ agreement: 0.5, n: 2 });
    expect(r.readings.labels.final_close_type).toEqual({ agreement: 1, n: 2 });
    // Counted by code in both modes: not one of the model's readings.
    expect(r.readings.labels).not.toHaveProperty('discovery_questions');
    // The existing figure still covers every row, the fallback's rule-based reading included.
    expect(r.metrics.close_attempts).toEqual({ agreement: 1 / 3, n: 3 });

    const text = formatEvalReport(r);
    expect(text).toContain('Model coach failed on 1 of 3');
    expect(text).toMatch(
      /The model's own readings \(2 rows judged by the model\)\n(.*\n)*\s+close_attempts\s+1\/2\s+50%/,
    );
  });

  it('has no model readings offline, and shows kappa and the languages in the table', () => {
    const r = evaluate([row('a'), row('b', { verdict: 'script' })], [fb('connected'), fb('script')]);
    expect(r.readings).toEqual({
      n: 0,
      labels: expect.objectContaining({ close_attempts: { agreement: 0, n: 0 } }),
    });
    const text = formatEvalReport(r);
    expect(text).toContain("Cohen's kappa: 1.00");
    expect(text).toContain('en: 2/2 (100%), kappa 1.00');
    expect(text).not.toContain("model's own readings");
  });
});

describe('parseLabelledJsonl', () => {
  const line = (o: unknown) => JSON.stringify(o);
  const good = {
    id: 'x',
    language: 'sv',
    sale: 'simple',
    turns: [{ role: 'rep', text: 'Hej' }],
    labels,
    rationale: 'ignored',
  };

  it('reads rows, skips blank lines and ignores unknown fields', () => {
    const rows = parseLabelledJsonl(`${line(good)}\n\n${line({ ...good, id: 'y' })}\n`, 'set.jsonl');
    expect(rows.map((r) => r.id)).toEqual(['x', 'y']);
    expect(rows[0]).not.toHaveProperty('rationale');
  });

  it('names the file, the line and the field of a bad row', () => {
    const bad = { ...good, labels: { ...labels, close_attempts: -1 } };
    try {
      parseLabelledJsonl(`${line(good)}\n${line(bad)}`, 'set.jsonl');
      expect.unreachable();
    } catch (err) {
      expect(isAppError(err, 'transcript_invalid')).toBe(true);
      expect((err as Error).message).toMatch(/^set\.jsonl:2: labels\.close_attempts: /);
    }
  });

  it('reports broken JSON and missing labels', () => {
    expect(() => parseLabelledJsonl('{"turns": [', 'a.jsonl')).toThrow(/^a\.jsonl:1: json: /);
    const { labels: _l, ...noLabels } = good;
    expect(() => parseLabelledJsonl(line(noLabels), 'a.jsonl')).toThrow(/^a\.jsonl:1: labels: /);
  });
});
