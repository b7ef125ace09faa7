import { z } from 'zod';
import { type Transcript, TranscriptSchema } from '../domain/transcript.js';
import { AppError } from '../errors.js';
import { type Feedback, type Metrics, type Verdict, VerdictSchema } from './feedback.js';

/** Gold labels, as defined in transcripts/README.md. */
export const LabelsSchema = z.object({
  verdict: VerdictSchema,
  close_attempts: z.number().int().min(0),
  final_close_type: z.enum(['order', 'next_step', 'none']),
  recap_before_final_close: z.boolean(),
  added_argument_after_close: z.boolean(),
  pitched_before_discovery: z.boolean(),
  discovery_questions: z.number().int().min(0),
  buyer_flat_no: z.boolean(),
  disguised_no: z.boolean(),
  // How the conversation ended; the coach does not judge it, so it may be missing.
  outcome: z.enum(['yes', 'next_step', 'no', 'open']).optional(),
});
export type Labels = z.infer<typeof LabelsSchema>;

/**
 * What eval reads: the verdict, and any of the other label fields. A manager's correction (`export --labelled`)
 * may check only some of them; a missing field is left out of that field's agreement (its `n` says over how
 * many rows), never counted as a disagreement.
 */
export const RowLabelsSchema = LabelsSchema.partial().required({ verdict: true });
export type RowLabels = z.infer<typeof RowLabelsSchema>;

export const LabelledRowSchema = TranscriptSchema.extend({
  id: z.string().optional(),
  labels: RowLabelsSchema,
});
export type LabelledRow = Transcript & { id?: string; labels: RowLabels };

type Confusion = Record<Verdict, Record<Verdict, number>>;
type Agreement = { agreement: number; n: number };

export type EvalReport = {
  n: number;
  /** Share (0..1) of rows where the coach's verdict equals the label. */
  verdictAccuracy: number;
  /** confusion[expected][got]. */
  confusion: Confusion;
  /** Per label: share (0..1) of rows where the metric agrees, and over how many rows. */
  metrics: Record<string, Agreement>;
  rows: Array<{ id: string; expected: Verdict; got: Verdict; mismatches: string[] }>;
  /** Cohen's kappa of the verdict: agreement corrected for what the two label distributions give by chance. */
  verdictKappa: number;
  /** The verdict per language (rows without a language under "unknown"). */
  byLanguage: Record<
    string,
    { n: number; verdictAccuracy: number; verdictKappa: number; confusion: Confusion }
  >;
  /**
   * The model's own readings of the label fields (model mode, item 2 of issue 11): per label, agreement over the
   * rows the model coach judged; `n` 0 offline, where every row is the rules'.
   */
  readings: { n: number; labels: Record<string, Agreement> };
  /** Rows whose model coach failed, judged by the offline coach instead. */
  fallbacks: number;
};

type Check = {
  label: keyof Labels;
  metric: keyof Metrics;
  name?: string;
  agrees?: (gold: unknown, got: unknown) => boolean;
};

const CHECKS: readonly Check[] = [
  { label: 'close_attempts', metric: 'closeAttempts' },
  { label: 'final_close_type', metric: 'finalCloseType' },
  { label: 'recap_before_final_close', metric: 'recapBeforeClose' },
  { label: 'added_argument_after_close', metric: 'addedArgumentAfterClose' },
  { label: 'pitched_before_discovery', metric: 'pitchedBeforeDiscovery' },
  { label: 'discovery_questions', metric: 'discoveryQuestions' },
  {
    label: 'discovery_questions',
    metric: 'discoveryQuestions',
    name: 'discovery_questions_within_1',
    agrees: (gold, got) => Math.abs(Number(gold) - Number(got)) <= 1,
  },
  { label: 'buyer_flat_no', metric: 'buyerFlatNo' },
  { label: 'disguised_no', metric: 'disguisedNo' },
];

const VERDICTS = VerdictSchema.options;

/** The label fields the model reads itself in model mode (the counts of questions stay code's). */
const READ_LABELS: ReadonlySet<keyof Labels> = new Set([
  'close_attempts',
  'final_close_type',
  'recap_before_final_close',
  'added_argument_after_close',
  'pitched_before_discovery',
  'buyer_flat_no',
  'disguised_no',
]);

const emptyConfusion = (): Confusion =>
  Object.fromEntries(VERDICTS.map((e) => [e, Object.fromEntries(VERDICTS.map((g) => [g, 0]))])) as Confusion;

/**
 * Cohen's kappa from a confusion matrix: (po - pe) / (1 - pe). When chance alone gives full agreement (every
 * label and every verdict the same class) kappa is undefined; it is reported as 1 for full agreement, else 0.
 */
export function cohensKappa(confusion: Confusion): number {
  const n = VERDICTS.reduce((sum, e) => sum + VERDICTS.reduce((s2, g) => s2 + confusion[e][g], 0), 0);
  if (n === 0) return 0;
  const po = VERDICTS.reduce((sum, v) => sum + confusion[v][v], 0) / n;
  const pe = VERDICTS.reduce((sum, v) => {
    const expected = VERDICTS.reduce((s2, g) => s2 + confusion[v][g], 0) / n;
    const got = VERDICTS.reduce((s2, e) => s2 + confusion[e][v], 0) / n;
    return sum + expected * got;
  }, 0);
  if (pe === 1) return po === 1 ? 1 : 0;
  return (po - pe) / (1 - pe);
}

const accuracyOf = (c: Confusion): number => {
  const n = VERDICTS.reduce((sum, e) => sum + VERDICTS.reduce((s2, g) => s2 + c[e][g], 0), 0);
  return n === 0 ? 0 : VERDICTS.reduce((sum, v) => sum + c[v][v], 0) / n;
};

/** Agreement of the coach with human labels; `feedbacks[i]` is the coach's answer for `rows[i]`. Pure. */
export function evaluate(rows: readonly LabelledRow[], feedbacks: readonly Feedback[]): EvalReport {
  if (rows.length !== feedbacks.length) {
    throw new AppError(
      'invalid_input',
      `evaluate: ${rows.length} labelled rows but ${feedbacks.length} feedbacks`,
    );
  }
  const confusion = emptyConfusion();
  const byLanguage = new Map<string, Confusion>();
  const agreeCount = new Map<string, number>();
  const labelledCount = new Map<string, number>();
  const readLabelled = new Map<string, number>();
  const readAgree = new Map<string, number>();
  let correct = 0;
  let modelRows = 0;
  let fallbacks = 0;

  const reportRows = rows.map((row, i) => {
    const fb = feedbacks[i]!;
    const expected = row.labels.verdict;
    confusion[expected][fb.verdict]++;
    const language = row.language ?? 'unknown';
    const perLanguage = byLanguage.get(language) ?? emptyConfusion();
    perLanguage[expected][fb.verdict]++;
    byLanguage.set(language, perLanguage);
    if (fb.verdict === expected) correct++;
    if (fb.fallback) fallbacks++;
    const modelRead = fb.mode === 'llm';
    if (modelRead) modelRows++;
    const mismatches: string[] = [];
    for (const c of CHECKS) {
      const name = c.name ?? c.label;
      const gold = row.labels[c.label];
      if (gold === undefined) continue;
      labelledCount.set(name, (labelledCount.get(name) ?? 0) + 1);
      const got = fb.metrics[c.metric];
      const ok = c.agrees ? c.agrees(gold, got) : gold === got;
      if (ok) agreeCount.set(name, (agreeCount.get(name) ?? 0) + 1);
      else if (!c.name) mismatches.push(`${name}: expected ${String(gold)}, got ${String(got)}`);
      if (modelRead && !c.name && READ_LABELS.has(c.label)) {
        readLabelled.set(name, (readLabelled.get(name) ?? 0) + 1);
        if (ok) readAgree.set(name, (readAgree.get(name) ?? 0) + 1);
      }
    }
    return { id: row.id ?? `row-${i + 1}`, expected, got: fb.verdict, mismatches };
  });

  const n = rows.length;
  const metrics = Object.fromEntries(
    CHECKS.map((c) => {
      const name = c.name ?? c.label;
      const labelled = labelledCount.get(name) ?? 0;
      return [name, { agreement: labelled === 0 ? 0 : (agreeCount.get(name) ?? 0) / labelled, n: labelled }];
    }),
  );
  const readings = Object.fromEntries(
    CHECKS.filter((c) => !c.name && READ_LABELS.has(c.label)).map((c) => {
      const labelled = readLabelled.get(c.label) ?? 0;
      return [
        c.label,
        { agreement: labelled === 0 ? 0 : (readAgree.get(c.label) ?? 0) / labelled, n: labelled },
      ];
    }),
  );
  return {
    n,
    verdictAccuracy: n === 0 ? 0 : correct / n,
    confusion,
    metrics,
    rows: reportRows,
    verdictKappa: cohensKappa(confusion),
    byLanguage: Object.fromEntries(
      [...byLanguage.entries()]
        .sort(([a], [b]) => a.localeCompare(b))
        .map(([language, c]) => {
          const total = VERDICTS.reduce((sum, e) => sum + VERDICTS.reduce((s2, g) => s2 + c[e][g], 0), 0);
          return [
            language,
            { n: total, verdictAccuracy: accuracyOf(c), verdictKappa: cohensKappa(c), confusion: c },
          ];
        }),
    ),
    readings: { n: modelRows, labels: readings },
    fallbacks,
  };
}

const pct = (x: number): string => `${Math.round(x * 100)}%`;
const pad = (s: string, w: number): string => s.padEnd(w);
const lpad = (s: string, w: number): string => s.padStart(w);

/** A plain-text report for the terminal. */
export function formatEvalReport(r: EvalReport): string {
  const lines: string[] = [];
  const correct = Math.round(r.verdictAccuracy * r.n);
  lines.push(`Verdict accuracy: ${correct}/${r.n} (${pct(r.verdictAccuracy)})`);
  lines.push(`Cohen's kappa: ${r.verdictKappa.toFixed(2)}`);
  if (r.fallbacks > 0) lines.push(`Model coach failed on ${r.fallbacks} of ${r.n} (offline coach instead)`);
  lines.push('');
  const matrix = (c: Confusion, indent: string) => {
    lines.push(`${indent}${pad('', 10)}${VERDICTS.map((v) => lpad(v, 11)).join('')}`);
    for (const e of VERDICTS) {
      lines.push(`${indent}${pad(e, 10)}${VERDICTS.map((g) => lpad(String(c[e][g]), 11)).join('')}`);
    }
  };
  lines.push('Confusion (rows: label, columns: coach)');
  matrix(r.confusion, '  ');
  for (const [language, l] of Object.entries(r.byLanguage)) {
    const right = Math.round(l.verdictAccuracy * l.n);
    lines.push(
      '',
      `  ${language}: ${right}/${l.n} (${pct(l.verdictAccuracy)}), kappa ${l.verdictKappa.toFixed(2)}`,
    );
    matrix(l.confusion, '    ');
  }
  const agreementTable = (title: string, table: Record<string, Agreement>) => {
    lines.push('', title);
    const width = Math.max(...Object.keys(table).map((k) => k.length), 6);
    for (const [name, { agreement, n }] of Object.entries(table)) {
      lines.push(
        `  ${pad(name, width)}  ${lpad(`${Math.round(agreement * n)}/${n}`, 7)}  ${lpad(pct(agreement), 4)}`,
      );
    }
  };
  agreementTable('Metric agreement', r.metrics);
  if (r.readings.n > 0) {
    agreementTable(`The model's own readings (${r.readings.n} rows judged by the model)`, r.readings.labels);
  }
  lines.push('', 'Rows');
  const idWidth = Math.max(...r.rows.map((x) => x.id.length), 2);
  for (const row of r.rows) {
    const verdict = row.expected === row.got ? row.got : `${row.got} (label: ${row.expected})`;
    const issues = row.mismatches.length > 0 ? `  ${row.mismatches.join('; ')}` : '';
    lines.push(`  ${pad(row.id, idWidth)}  ${pad(verdict, 28)}${issues}`.trimEnd());
  }
  return lines.join('\n');
}

/** Reads labelled JSONL; a bad line fails with "file:line: field: message". Blank lines are skipped. */
export function parseLabelledJsonl(text: string, file: string): LabelledRow[] {
  const rows: LabelledRow[] = [];
  text.split(/\r?\n/).forEach((line, i) => {
    if (line.trim().length === 0) return;
    const at = `${file}:${i + 1}`;
    let json: unknown;
    try {
      json = JSON.parse(line);
    } catch (err) {
      throw new AppError('transcript_invalid', `${at}: json: ${(err as Error).message}`, { cause: err });
    }
    const parsed = LabelledRowSchema.safeParse(json);
    if (!parsed.success) {
      const issue = parsed.error.issues[0]!;
      const field = issue.path.length > 0 ? issue.path.join('.') : '(row)';
      throw new AppError('transcript_invalid', `${at}: ${field}: ${issue.message}`);
    }
    rows.push(parsed.data);
  });
  return rows;
}
