import type { Outcome } from '../../buyer/types.js';
import type { Verdict } from '../../coach/feedback.js';
import type { Messages } from '../../i18n/messages.js';
import type { ScenarioSummary } from '../../scenarios/catalog.js';
import { ACTION_IDS } from '../action-ids.js';
import { blockquote, escapeText, mrkdwn } from '../text.js';
import { actions, button, context, type KnownBlock, section, sections } from './kit.js';
import { LANGUAGE_LABELS } from './picker.js';

/** "<@U1> is practising *Title* · 🇩🇰 dansk · komplekst salg · sværhedsgrad 5/5 · lukkeøvelse" */
export function sessionHeaderText(
  t: Messages,
  userId: string,
  s: ScenarioSummary,
  template: string = t.sessionHeader,
): string {
  return [
    mrkdwn(template, { user: `<@${userId}>`, title: escapeText(s.title) }),
    `${LANGUAGE_LABELS[s.language].flag} ${escapeText(t.languageName)}`,
    escapeText(t.sale[s.sale]),
    mrkdwn(t.difficulty, { n: s.difficulty }),
    ...(s.start === 'close' ? [`🎯 ${escapeText(t.closeDrill)}`] : []),
  ].join(' · ');
}

/** The visible message that opens a session; its thread is the conversation. In the scenario's language. */
export function sessionStartBlocks(opts: {
  t: Messages;
  userId: string;
  scenario: ScenarioSummary;
}): KnownBlock[] {
  const { t } = opts;
  return [
    section(
      sessionHeaderText(t, opts.userId, opts.scenario),
      // No value: the session is the one whose thread this message opens (found by channel and ts).
      button({ text: t.endButton, actionId: ACTION_IDS.end }),
    ),
  ];
}

/** How a session ended, for its root message: no verdict when there was nothing to judge. */
export type SessionEnd = {
  outcome: Outcome;
  verdict: Verdict | null;
  /** The feedback card's permalink, when Slack gave one. */
  feedbackLink: string | null;
};

/**
 * The session's root message once it has ended: who practised what, the outcome, the verdict and a link to the
 * feedback, and no End button. `scenario` is null when the scenario is no longer loaded.
 */
export function sessionEndedBlocks(v: {
  t: Messages;
  userId: string;
  scenarioId: string;
  scenario: ScenarioSummary | null;
  end: SessionEnd;
}): KnownBlock[] {
  const { t, end } = v;
  const head = v.scenario
    ? sessionHeaderText(t, v.userId, v.scenario, t.endedHeader)
    : mrkdwn(t.endedHeader, { user: `<@${v.userId}>`, title: escapeText(v.scenarioId) });
  const result = [
    end.verdict ? `*${escapeText(t.verdict[end.verdict])}*` : escapeText(t.endedWithoutVerdict),
    ...(end.verdict ? [escapeText(t.outcome[end.outcome])] : []),
    ...(end.feedbackLink ? [`<${end.feedbackLink}|${escapeText(t.feedbackLink)}>`] : []),
  ].join(' · ');
  return [section(`:checkered_flag: ${head}`), context(result)];
}

/** The ended root message's fallback text (notifications, screen readers). */
export const sessionEndedText = (t: Messages, end: SessionEnd): string =>
  escapeText(end.verdict ? `${t.verdict[end.verdict]} · ${t.outcome[end.outcome]}` : t.endedWithoutVerdict);

export type OpeningView = {
  t: Messages;
  mode: 'llm' | 'offline';
  /** The rep's brief; null when the scenario is no longer loaded. */
  brief: string | null;
  buyer: { name: string; role: string; company: string } | null;
  /** Close drills: the conversation so far, shown before the buyer speaks. */
  summary: string | null;
  text: string;
};

/** The first message in the thread: offline label, the brief, a close drill's summary, then the buyer. */
export function openingBlocks(v: OpeningView): KnownBlock[] {
  const { t } = v;
  const who = v.buyer
    ? `*${escapeText(v.buyer.name)}* (${escapeText(v.buyer.role)}, ${escapeText(v.buyer.company)})`
    : null;
  return [
    ...(v.mode === 'offline' ? [context(`:electric_plug: ${escapeText(t.offlineBanner)}`)] : []),
    ...(v.brief ? sections(escapeText(v.brief.trim())) : []),
    ...(v.summary
      ? sections(`*${escapeText(t.closeDrillIntro)}*\n${blockquote(escapeText(v.summary.trim()))}`)
      : []),
    ...sections(`${who ? `${who}: ` : ''}${escapeText(v.text)}`),
    context(mrkdwn(t.threadHint, { name: escapeText(v.buyer?.name ?? '…') })),
  ];
}

/** A buyer line in the thread. */
export function buyerReplyBlocks(opts: { name: string | null; text: string }): KnownBlock[] {
  return sections(`${opts.name ? `*${escapeText(opts.name)}:* ` : ''}${escapeText(opts.text)}`);
}

/** Failure codes that have their own wording; anything else reads as `other`. */
const REASONS = ['llm_unavailable', 'llm_timeout', 'llm_bad_output', 'scenario_not_found'] as const;
type Reason = (typeof REASONS)[number] | 'other';

export const failureReason = (t: Messages, code: string): string =>
  t.failureReason[(REASONS as readonly string[]).includes(code) ? (code as Reason) : 'other'];

/** The buyer could not answer: the message stays stored, and Retry asks again. */
export function failureBlocks(opts: { t: Messages; code: string; sessionId: string }): KnownBlock[] {
  const { t } = opts;
  return [
    section(`:warning: ${mrkdwn(t.buyerFailed, { reason: escapeText(failureReason(t, opts.code)) })}`),
    actions(
      button({ text: t.retryButton, actionId: ACTION_IDS.retry, value: opts.sessionId, style: 'primary' }),
    ),
  ];
}

/** A short line from the app itself (not the buyer), e.g. why a message was not sent; `text` is mrkdwn. */
export const noticeBlocks = (text: string): KnownBlock[] => [section(`:information_source: ${text}`)];
