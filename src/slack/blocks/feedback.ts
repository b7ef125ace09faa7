import type { Outcome } from '../../buyer/types.js';
import type { Feedback } from '../../coach/feedback.js';
import type { Role } from '../../domain/transcript.js';
import type { Messages } from '../../i18n/messages.js';
import { ACTION_IDS } from '../action-ids.js';
import { blockquote, escapeText, packLines, truncate } from '../text.js';
import { actions, button, context, divider, header, type KnownBlock, section, sections } from './kit.js';

/** Long quotes are cut for the card; the start of a verbatim quote is still verbatim. */
const QUOTE_LIMIT = 500;
const FIELD_LIMIT = 2000;
/** Quotes shown per dimension: enough to make the point, few enough to stay readable. */
const MAX_QUOTES = 3;

export type FeedbackView = {
  t: Messages;
  feedback: Feedback;
  outcome: Outcome | null;
  scenarioId: string;
  buyerName: string | null;
  /** Who said each turn, by transcript index. */
  roles: readonly Role[];
  /** Permalinks of quoted messages, by transcript index; a quote without one is shown plain. */
  links: ReadonlyMap<number, string>;
};

const pct = (x: number) => `${Math.round(x * 100)}%`;
const dots = (score: number) => `${'●'.repeat(score)}${'○'.repeat(5 - score)}`;

/** A Slack link label may not contain "|" or ">" (already escaped) unescaped. */
const linkLabel = (s: string) => s.replace(/\|/g, '¦');

/** The coach's feedback, posted in the session thread. In the scenario's language. */
export function feedbackCard(v: FeedbackView): KnownBlock[] {
  const { t, feedback: f } = v;
  const m = f.metrics;
  const yn = (b: boolean) => escapeText(b ? t.yes : t.no);

  const speaker = (turn: number) =>
    escapeText(v.roles[turn] === 'rep' ? t.you : (v.buyerName ?? v.roles[turn] ?? '?'));
  const evidence = (turn: number, quote: string) => {
    const who = speaker(turn);
    const link = v.links.get(turn);
    const source = link ? `<${link}|${linkLabel(who)}>` : who;
    return `${blockquote(`“${escapeText(truncate(quote.trim(), QUOTE_LIMIT))}”`)}\n— ${source}`;
  };

  const dimensions = f.dimensions.flatMap((d) =>
    packLines([
      `*${escapeText(t.dimension[d.id])}*  ${dots(d.score)} ${d.score}/5`,
      ...(d.comment.trim() ? [escapeText(d.comment.trim())] : []),
      ...d.evidence.slice(0, MAX_QUOTES).map((e) => evidence(e.turn, e.quote)),
    ]).map((text) => section(text)),
  );

  const metricFields: Array<[string, string]> = [
    [t.metric.repWordShare, pct(m.repWordShare)],
    [t.metric.questions, `${m.repQuestions} (${m.discoveryQuestions})`],
    [t.metric.closeAttempts, String(m.closeAttempts)],
    [t.metric.finalCloseType, escapeText(t.closeType[m.finalCloseType])],
    [t.metric.recapBeforeClose, yn(m.recapBeforeClose)],
    [t.metric.addedArgumentAfterClose, yn(m.addedArgumentAfterClose)],
    [t.metric.pitchedBeforeDiscovery, yn(m.pitchedBeforeDiscovery)],
    [t.metric.buyerNo, `${yn(m.buyerFlatNo)} / ${yn(m.disguisedNo)}`],
  ];

  return [
    header(`${t.feedbackTitle}: ${t.verdict[f.verdict]}`),
    // Right under the verdict: a rep must not take the offline coach's judgement for the model's.
    ...(f.fallback ? [context(`:warning: ${escapeText(t.coachFallback)}`)] : []),
    ...(v.outcome ? [section(`*${escapeText(t.outcome[v.outcome])}*`)] : []),
    ...(f.summary.trim() ? sections(escapeText(f.summary.trim())) : []),
    divider(),
    ...dimensions,
    divider(),
    {
      type: 'section',
      text: { type: 'mrkdwn', text: `*${escapeText(t.metrics)}*` },
      fields: metricFields.map(([label, value]) => ({
        type: 'mrkdwn' as const,
        text: truncate(`${escapeText(label)}\n*${value}*`, FIELD_LIMIT),
      })),
    },
    ...sections(`:dart: *${escapeText(t.nextTime)}:* ${escapeText(f.nextTime.trim())}`),
    actions(
      button({
        text: t.tryAgainButton,
        actionId: ACTION_IDS.tryAgain,
        value: v.scenarioId,
        style: 'primary',
      }),
    ),
    ...(f.mode === 'offline' && !f.fallback ? [context(escapeText(t.coachOffline))] : []),
  ];
}

/** The transcript turns the card quotes (so only those get a permalink looked up). */
export const quotedTurns = (f: Feedback): number[] => [
  ...new Set(f.dimensions.flatMap((d) => d.evidence.slice(0, MAX_QUOTES).map((e) => e.turn))),
];

/** The notification text for the card (mrkdwn). */
export const feedbackText = (t: Messages, f: Feedback): string =>
  escapeText(`${t.feedbackTitle}: ${t.verdict[f.verdict]}`);
