import type { types } from '@slack/bolt';
import { z } from 'zod';
import { type Verdict, VerdictSchema } from '../../coach/feedback.js';
import { fill, type Messages } from '../../i18n/messages.js';
import type { CorrectionLabels } from '../../store/verdicts.js';
import { VIEW_IDS } from '../action-ids.js';
import { escapeText, truncate } from '../text.js';

const plain = (text: string, max = 75) => ({
  type: 'plain_text' as const,
  text: truncate(text, max),
  emoji: true,
});

/** Block ids of the correction modal: the label names of transcripts/README.md; each input's action id is `value`. */
export const CORRECTION_FIELDS = {
  verdict: 'verdict',
  closeAttempts: 'close_attempts',
  finalCloseType: 'final_close_type',
  recap: 'recap_before_final_close',
  argumentAfterClose: 'added_argument_after_close',
  pitchedBeforeDiscovery: 'pitched_before_discovery',
  discoveryQuestions: 'discovery_questions',
  buyerFlatNo: 'buyer_flat_no',
  disguisedNo: 'disguised_no',
  outcome: 'outcome',
  note: 'note',
} as const;

const NOTE_LIMIT = 1000;

/** What the modal carries to its submission. */
export const CorrectionMetadataSchema = z.object({ sessionId: z.string().min(1).max(100) });

/**
 * "Correct the verdict" (managers), in the session's language; filled in with the latest correction when there
 * is one, so a second look starts from the first.
 */
export function verdictModalView(v: {
  t: Messages;
  sessionId: string;
  coachVerdict: Verdict | null;
  current?: { verdict: Verdict; labels: CorrectionLabels; note: string | null } | null;
}): types.ModalView {
  const { t } = v;
  const current = v.current ?? null;
  const labels: Record<string, unknown> = current?.labels ?? {};
  const verdictOptions = VerdictSchema.options.map((x) => ({ text: plain(t.verdict[x]), value: x }));
  const yesNo = [
    { text: plain(t.yes), value: 'yes' },
    { text: plain(t.no), value: 'no' },
  ];
  /** The stored label as the value of its option ("yes"/"no" for the booleans). */
  const initialValue = (blockId: string): string | undefined => {
    const x = labels[blockId];
    return typeof x === 'boolean' ? (x ? 'yes' : 'no') : typeof x === 'string' ? x : undefined;
  };
  const optionalSelect = (
    blockId: string,
    label: string,
    options: Array<{ text: types.PlainTextElement; value: string }>,
  ) => {
    const initial = options.find((o) => o.value === initialValue(blockId));
    return {
      type: 'input' as const,
      block_id: blockId,
      optional: true,
      label: plain(label, 2000),
      element: {
        type: 'static_select' as const,
        action_id: 'value',
        placeholder: plain(t.correctionUnset, 150),
        options,
        ...(initial ? { initial_option: initial } : {}),
      },
    };
  };
  const optionalCount = (blockId: string, label: string) => {
    const initial = labels[blockId];
    return {
      type: 'input' as const,
      block_id: blockId,
      optional: true,
      label: plain(label, 2000),
      element: {
        type: 'number_input' as const,
        action_id: 'value',
        is_decimal_allowed: false,
        min_value: '0',
        placeholder: plain(t.correctionUnset, 150),
        ...(typeof initial === 'number' ? { initial_value: String(initial) } : {}),
      },
    };
  };
  const initialVerdict = verdictOptions.find((o) => o.value === current?.verdict);
  const coach = v.coachVerdict ? t.verdict[v.coachVerdict] : '—';
  return {
    type: 'modal',
    callback_id: VIEW_IDS.verdictCorrection,
    private_metadata: JSON.stringify({ sessionId: v.sessionId }),
    title: plain(t.correctionTitle, 24),
    submit: plain(t.correctionSubmit, 24),
    close: plain(t.correctionCancel, 24),
    blocks: [
      {
        type: 'section',
        text: { type: 'mrkdwn', text: fill(escapeText(t.correctionIntro), { verdict: escapeText(coach) }) },
      },
      {
        type: 'input',
        block_id: CORRECTION_FIELDS.verdict,
        label: plain(t.correctionVerdict, 2000),
        element: {
          type: 'radio_buttons',
          action_id: 'value',
          options: verdictOptions,
          ...(initialVerdict ? { initial_option: initialVerdict } : {}),
        },
      },
      {
        type: 'input',
        block_id: CORRECTION_FIELDS.note,
        optional: true,
        label: plain(t.correctionNote, 2000),
        element: {
          type: 'plain_text_input',
          action_id: 'value',
          multiline: true,
          max_length: NOTE_LIMIT,
          ...(current?.note ? { initial_value: current.note } : {}),
        },
      },
      { type: 'divider' },
      { type: 'context', elements: [{ type: 'mrkdwn', text: escapeText(t.correctionLabelsHint) }] },
      optionalCount(CORRECTION_FIELDS.closeAttempts, t.metric.closeAttempts),
      optionalSelect(
        CORRECTION_FIELDS.finalCloseType,
        t.metric.finalCloseType,
        (['order', 'next_step', 'none'] as const).map((x) => ({ text: plain(t.closeType[x]), value: x })),
      ),
      optionalSelect(CORRECTION_FIELDS.recap, t.metric.recapBeforeClose, yesNo),
      optionalSelect(CORRECTION_FIELDS.argumentAfterClose, t.metric.addedArgumentAfterClose, yesNo),
      optionalSelect(CORRECTION_FIELDS.pitchedBeforeDiscovery, t.metric.pitchedBeforeDiscovery, yesNo),
      optionalCount(CORRECTION_FIELDS.discoveryQuestions, t.labelDiscoveryQuestions),
      optionalSelect(CORRECTION_FIELDS.buyerFlatNo, t.labelBuyerFlatNo, yesNo),
      optionalSelect(CORRECTION_FIELDS.disguisedNo, t.labelDisguisedNo, yesNo),
      optionalSelect(
        CORRECTION_FIELDS.outcome,
        t.labelOutcome,
        (['yes', 'next_step', 'no', 'open'] as const).map((x) => ({ text: plain(t.outcome[x]), value: x })),
      ),
    ],
  };
}

const Input = z.object({
  value: z.string().nullish(),
  selected_option: z.object({ value: z.string() }).nullish(),
});
const ValuesSchema = z.record(z.string(), z.record(z.string(), Input));

const count = z.coerce.number().int().min(0).max(1000);
const bool = z.enum(['yes', 'no']).transform((x) => x === 'yes');

/** The modal's answers, checked; `errors` by block id when something is not acceptable. */
export function readCorrectionForm(
  values: unknown,
  t: Messages,
):
  | { ok: true; verdict: Verdict; labels: CorrectionLabels; note: string | null }
  | { ok: false; errors: Record<string, string> } {
  const v = ValuesSchema.parse(values ?? {});
  const raw = (block: string): string | undefined => {
    const input = v[block]?.value;
    const x = input?.selected_option?.value ?? input?.value ?? undefined;
    return x === null || x === undefined || x.trim() === '' ? undefined : x.trim();
  };
  const errors: Record<string, string> = {};
  const verdict = VerdictSchema.safeParse(raw(CORRECTION_FIELDS.verdict));
  if (!verdict.success) errors[CORRECTION_FIELDS.verdict] = t.correctionVerdict;
  const labels: Record<string, unknown> = {};
  const take = <T>(block: string, schema: z.ZodType<T>, problem: string) => {
    const x = raw(block);
    if (x === undefined) return;
    const parsed = schema.safeParse(x);
    if (parsed.success) labels[block] = parsed.data;
    else errors[block] = problem;
  };
  take(CORRECTION_FIELDS.closeAttempts, count, t.correctionNotANumber);
  take(CORRECTION_FIELDS.discoveryQuestions, count, t.correctionNotANumber);
  take(CORRECTION_FIELDS.finalCloseType, z.enum(['order', 'next_step', 'none']), t.correctionUnset);
  take(CORRECTION_FIELDS.outcome, z.enum(['yes', 'next_step', 'no', 'open']), t.correctionUnset);
  for (const block of [
    CORRECTION_FIELDS.recap,
    CORRECTION_FIELDS.argumentAfterClose,
    CORRECTION_FIELDS.pitchedBeforeDiscovery,
    CORRECTION_FIELDS.buyerFlatNo,
    CORRECTION_FIELDS.disguisedNo,
  ]) {
    take(block, bool, t.correctionUnset);
  }
  if (!verdict.success || Object.keys(errors).length > 0) return { ok: false, errors };
  const note = raw(CORRECTION_FIELDS.note);
  return {
    ok: true,
    verdict: verdict.data,
    labels: labels as CorrectionLabels,
    note: note ? note.slice(0, NOTE_LIMIT) : null,
  };
}
