import type { Outcome } from '../../buyer/types.js';
import type { Feedback } from '../../coach/feedback.js';
import { OFFLINE_SUMMARY_NOTES } from '../../coach/offline-coach.js';
import type { Role } from '../../domain/transcript.js';
import { fill, type Messages } from '../../i18n/messages.js';
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
  /** The stored session: with it the card asks the rep "Was this fair?" and offers managers a correction. */
  sessionId?: string;
};

/** The rep's answer to "Was this fair?", as the card shows it. */
export type FairAnswer = { fair: boolean; userId: string };

/** The block ids the verdict listeners look for when they update a posted card. */
export const FEEDBACK_BLOCK_IDS = {
  fair: 'sparring_fair',
  verdictActions: 'sparring_verdict_actions',
} as const;

/** The context line under 👍/👎: the question, or (once answered) who answered what. */
export function fairContext(t: Messages, answer: FairAnswer | null): KnownBlock {
  const text = !answer
    ? escapeText(t.fairPrompt)
    : fill(escapeText(answer.fair ? t.fairAnsweredYes : t.fairAnsweredNo), { user: `<@${answer.userId}>` });
  return { ...context(text), block_id: FEEDBACK_BLOCK_IDS.fair } as KnownBlock;
}

/** 👍 / 👎 for the rep, and the ⋯ menu with "Correct the verdict" for managers. */
const verdictActions = (t: Messages, sessionId: string): KnownBlock => ({
  type: 'actions',
  block_id: FEEDBACK_BLOCK_IDS.verdictActions,
  elements: [
    button({ text: t.fairYesButton, actionId: ACTION_IDS.verdictFair, value: sessionId }),
    button({ text: t.fairNoButton, actionId: ACTION_IDS.verdictUnfair, value: sessionId }),
    {
      type: 'overflow',
      action_id: ACTION_IDS.verdictCorrect,
      options: [{ text: { type: 'plain_text', text: truncate(t.correctVerdictMenu, 75) }, value: sessionId }],
    },
  ],
});

/**
 * The summary without the offline coach's own "this is the offline coach" sentence: the card labels the
 * offline coach once, in its own notice under the verdict.
 */
const summaryOf = (f: Feedback): string => {
  if (f.mode !== 'offline') return f.summary.trim();
  let summary = f.summary;
  for (const note of OFFLINE_SUMMARY_NOTES) summary = summary.replace(note, '');
  return summary.replace(/ {2,}/g, ' ').trim();
};

const pct = (x: number) => `${Math.round(x * 100)}%`;
const dots = (score: number) => `${'●'.repeat(score)}${'○'.repeat(5 - score)}`;

/** A Slack link label may not contain "|" or ">" (already escaped) unescaped. */
const linkLabel = (s: string) => s.replace(/\|/g, '¦');

/** The coach's feedback, posted in the session thread. In the scenario's language. */
export function feedbackCard(v: FeedbackView): KnownBlock[] {
  const { t, feedback: f } = v;
  const m = f.metrics;
  const summary = summaryOf(f);
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
    // Right under the verdict, and only here: a rep must not take the offline coach's judgement for the model's.
    ...(f.fallback
      ? [context(`:warning: ${escapeText(t.coachFallback)}`)]
      : f.mode === 'offline'
        ? [context(escapeText(t.coachOffline))]
        : []),
    ...(v.outcome ? [section(`*${escapeText(t.outcome[v.outcome])}*`)] : []),
    ...(summary ? sections(escapeText(summary)) : []),
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
    ...(v.sessionId ? [fairContext(t, null), verdictActions(t, v.sessionId)] : []),
  ];
}

/** The transcript turns the card quotes (so only those get a permalink looked up). */
export const quotedTurns = (f: Feedback): number[] => [
  ...new Set(f.dimensions.flatMap((d) => d.evidence.slice(0, MAX_QUOTES).map((e) => e.turn))),
];

/** The notification text for the card (mrkdwn). */
export const feedbackText = (t: Messages, f: Feedback): string =>
  escapeText(`${t.feedbackTitle}: ${t.verdict[f.verdict]}`);
