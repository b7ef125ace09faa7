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

export const LabelledRowSchema = TranscriptSchema.extend({ id: z.string().optional(), labels: LabelsSchema });
export type LabelledRow = Transcript & { id?: string; labels: Labels };

export type EvalReport = {
  n: number;
  /** Share (0..1) of rows where the coach's verdict equals the label. */
  verdictAccuracy: number;
  /** confusion[expected][got]. */
  confusion: Record<Verdict, Record<Verdict, number>>;
  /** Per label: share (0..1) of rows where the metric agrees, and over how many rows. */
  metrics: Record<string, { agreement: number; n: number }>;
  rows: Array<{ id: string; expected: Verdict; got: Verdict; mismatches: string[] }>;
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

/** Agreement of the coach with human labels; `feedbacks[i]` is the coach's answer for `rows[i]`. Pure. */
export function evaluate(rows: readonly LabelledRow[], feedbacks: readonly Feedback[]): EvalReport {
  if (rows.length !== feedbacks.length) {
    throw new AppError(
      'invalid_input',
      `evaluate: ${rows.length} labelled rows but ${feedbacks.length} feedbacks`,
    );
  }
  const confusion = Object.fromEntries(
    VERDICTS.map((e) => [e, Object.fromEntries(VERDICTS.map((g) => [g, 0]))]),
  ) as Record<Verdict, Record<Verdict, number>>;
  const agreeCount = new Map<string, number>();
  let correct = 0;

  const reportRows = rows.map((row, i) => {
    const fb = feedbacks[i]!;
    const expected = row.labels.verdict;
    confusion[expected][fb.verdict]++;
    if (fb.verdict === expected) correct++;
    const mismatches: string[] = [];
    for (const c of CHECKS) {
      const name = c.name ?? c.label;
      const gold = row.labels[c.label];
      const got = fb.metrics[c.metric];
      const ok = c.agrees ? c.agrees(gold, got) : gold === got;
      if (ok) agreeCount.set(name, (agreeCount.get(name) ?? 0) + 1);
      else if (!c.name) mismatches.push(`${name}: expected ${String(gold)}, got ${String(got)}`);
    }
    return { id: row.id ?? `row-${i + 1}`, expected, got: fb.verdict, mismatches };
  });

  const n = rows.length;
  const metrics = Object.fromEntries(
    CHECKS.map((c) => {
      const name = c.name ?? c.label;
      return [name, { agreement: n === 0 ? 0 : (agreeCount.get(name) ?? 0) / n, n }];
    }),
  );
  return { n, verdictAccuracy: n === 0 ? 0 : correct / n, confusion, metrics, rows: reportRows };
}

const pct = (x: number): string => `${Math.round(x * 100)}%`;
const pad = (s: string, w: number): string => s.padEnd(w);
const lpad = (s: string, w: number): string => s.padStart(w);

/** A plain-text report for the terminal. */
export function formatEvalReport(r: EvalReport): string {
  const lines: string[] = [];
  const correct = Math.round(r.verdictAccuracy * r.n);
  lines.push(`Verdict accuracy: ${correct}/${r.n} (${pct(r.verdictAccuracy)})`, '');
  lines.push('Confusion (rows: label, columns: coach)');
  lines.push(`  ${pad('', 10)}${VERDICTS.map((v) => lpad(v, 11)).join('')}`);
  for (const e of VERDICTS) {
    lines.push(`  ${pad(e, 10)}${VERDICTS.map((g) => lpad(String(r.confusion[e][g]), 11)).join('')}`);
  }
  lines.push('', 'Metric agreement');
  const width = Math.max(...Object.keys(r.metrics).map((k) => k.length), 6);
  for (const [name, { agreement, n }] of Object.entries(r.metrics)) {
    lines.push(
      `  ${pad(name, width)}  ${lpad(`${Math.round(agreement * n)}/${n}`, 7)}  ${lpad(pct(agreement), 4)}`,
    );
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
