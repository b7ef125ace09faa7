import type { DrillReport } from '../../drills/summary.js';
import { fill, type Messages, messages } from '../../i18n/messages.js';
import type { ScenarioSummary } from '../../scenarios/catalog.js';
import type { Drill, DrillTally } from '../../store/drills.js';
import { ACTION_IDS } from '../action-ids.js';
import { escapeText, MAX_BLOCKS, mrkdwn, packLines, truncate } from '../text.js';
import { actions, type Button, button, context, header, type KnownBlock, section } from './kit.js';
import { LANGUAGE_LABELS } from './picker.js';

/**
 * A date Slack shows in each reader's own time zone (and the fallback in UTC for notifications).
 * `format` is one of Slack's tokens, e.g. "{date_short_pretty} {time}".
 */
export const slackDate = (at: Date, format = '{date_long_pretty} {time}'): string =>
  `<!date^${Math.floor(at.getTime() / 1000)}^${format}|${at.toISOString().slice(0, 16).replace('T', ' ')} UTC>`;

/** "every Monday at 09:00 (Europe/Stockholm)", in the drill's language. */
export const drillSchedule = (t: Messages, d: Pick<Drill, 'weekday' | 'time' | 'timeZone'>): string =>
  mrkdwn(t.drill.schedule, { weekday: t.drill.weekdays[d.weekday] ?? '?', time: d.time, tz: d.timeZone });

/** "🇸🇪 svenska · enkel försäljning · svårighetsgrad 2/5", in the scenario's own language (unlike the picker). */
const localFacts = (t: Messages, s: ScenarioSummary): string =>
  [
    `${LANGUAGE_LABELS[s.language].flag} ${escapeText(t.languageName)}`,
    escapeText(t.sale[s.sale]),
    mrkdwn(t.difficulty, { n: s.difficulty }),
    ...(s.start === 'close' ? [`🎯 ${escapeText(t.closeDrill)}`] : []),
  ].join(' · ');

/**
 * The weekly post in the team channel: the scenario and a "Start my attempt" button, then the tally of attempts
 * once there is one; closed, the tally stays and the button goes. In the scenario's language.
 */
export function drillPostBlocks(v: {
  t: Messages;
  scenario: ScenarioSummary;
  brief: string | null;
  runId: string;
  closesAt: Date;
  /** Attempts run in the channel (the post says "a thread of your own") rather than in each rep's DM. */
  publicAttempts?: boolean;
  tally?: DrillTally | null;
  closed?: boolean;
}): KnownBlock[] {
  const { t } = v;
  const intro = v.publicAttempts === false ? t.drillIntroPrivate : t.drill.intro;
  return [
    // A header is plain text: the title goes in as written, not escaped.
    header(`🏋️ ${fill(t.drill.title, { title: v.scenario.title })}`),
    section(mrkdwn(intro, { closes: slackDate(v.closesAt) })),
    ...(v.brief ? [section(`>${escapeText(v.brief.trim()).replace(/\n/g, '\n>')}`)] : []),
    context(`${escapeText(v.scenario.persona)} · ${localFacts(t, v.scenario)}`),
    ...(v.tally
      ? [
          context(
            `:bar_chart: ${mrkdwn(t.drillTally, { started: v.tally.started, finished: v.tally.finished })}`,
          ),
        ]
      : []),
    v.closed
      ? context(mrkdwn(t.drill.closed, { id: v.scenario.id }))
      : actions(
          button({
            text: t.drill.startButton,
            actionId: ACTION_IDS.drillAttempt,
            value: v.runId,
            style: 'primary',
          }),
        ),
  ];
}

export const drillPostText = (t: Messages, title: string): string =>
  escapeText(fill(t.drill.title, { title }));

const pct = (x: number | null) => (x === null ? '–' : `${Math.round(x * 100)}%`);
const score = (x: number | null) => (x === null ? '–' : x.toFixed(1));

/** The results of one drill run, posted in the channel when it closes. In the scenario's language. */
export function drillSummaryBlocks(v: { t: Messages; title: string; report: DrillReport }): KnownBlock[] {
  const { t } = v;
  const { summary: s, change } = v.report;
  const blocks: KnownBlock[] = [header(`📊 ${fill(t.drill.summaryTitle, { title: v.title })}`)];
  if (s.participants.length === 0) {
    blocks.push(section(mrkdwn(t.drill.nobody)));
  } else {
    const people = s.participants.map((u) => `<@${u}>`).join(', ');
    blocks.push(
      ...packLines([mrkdwn(t.drill.tookPart, { n: s.participants.length, users: people })]).map((x) =>
        section(x),
      ),
    );
    const counts = [
      `${escapeText(t.drill.verdict.connected)} *${s.verdicts.connected}*`,
      `${escapeText(t.drill.verdict.mixed)} *${s.verdicts.mixed}*`,
      `${escapeText(t.drill.verdict.script)} *${s.verdicts.script}*`,
      ...(s.unfinished > 0 ? [`${escapeText(t.drill.unfinished)} *${s.unfinished}*`] : []),
    ];
    const lines = [`*${escapeText(t.drill.verdicts)}:* ${counts.join(' · ')}`];
    if (s.finished > 0) {
      lines.push(
        s.topGap
          ? `:mag: ${mrkdwn(t.drill.topGap, {
              gap: `*${escapeText(t.drill.gap[s.topGap.gap])}*`,
              n: s.topGap.count,
              total: s.finished,
            })}`
          : `:white_check_mark: ${mrkdwn(t.drill.noGap)}`,
      );
      if (s.weakest) {
        lines.push(
          `:chart_with_downwards_trend: ${mrkdwn(t.drill.weakest, {
            dimension: `*${escapeText(t.dimension[s.weakest.id])}*`,
            score: score(s.weakest.average),
          })}`,
        );
      }
    }
    blocks.push(section(lines.join('\n')));
  }
  if (change) {
    const lines = [
      mrkdwn(t.drill.participantsChange, {
        now: change.participants.now,
        before: change.participants.before,
      }),
      mrkdwn(t.drill.connectedChange, {
        now: pct(change.connected.now),
        before: pct(change.connected.before),
      }),
      ...(change.gap
        ? [
            mrkdwn(t.drill.gapChange, {
              gap: escapeText(t.drill.gap[change.gap.gap]),
              now: pct(change.gap.now),
              before: pct(change.gap.before),
            }),
          ]
        : []),
      ...(change.weakest
        ? [
            mrkdwn(t.drill.weakestChange, {
              dimension: escapeText(t.dimension[change.weakest.id]),
              now: score(change.weakest.now),
              before: score(change.weakest.before),
            }),
          ]
        : []),
    ];
    blocks.push(section(`*${escapeText(t.drill.since)}*\n${lines.map((l) => `• ${l}`).join('\n')}`));
  } else {
    blocks.push(context(mrkdwn(t.drill.firstRun)));
  }
  return blocks.slice(0, MAX_BLOCKS);
}

export const drillSummaryText = (t: Messages, title: string): string =>
  escapeText(fill(t.drill.summaryTitle, { title }));

/** One line per drill for `/spar drill list` and App Home (English, manager UI). */
export type DrillLine = { drill: Drill; title: string; next: Date };

export const drillLineText = (l: DrillLine): string =>
  `\`${l.drill.id}\` *${escapeText(l.title)}* in <#${l.drill.channelId}> · every ` +
  `${EN_WEEKDAYS[l.drill.weekday]} at ${l.drill.time} (${escapeText(l.drill.timeZone)}) · next ${slackDate(l.next, '{date_short_pretty} {time}')}`;

export const EN_WEEKDAYS = [
  'Sunday',
  'Monday',
  'Tuesday',
  'Wednesday',
  'Thursday',
  'Friday',
  'Saturday',
] as const;

/**
 * A drill's Stop button (managers), behind Slack's confirm dialog: stopping ends the weekly posts and closes the
 * open week. English by default, like the rest of the manager UI.
 */
export function drillStopButton(drillId: string, t: Messages = messages('en')): Button {
  const plain = (text: string, max: number) => ({ type: 'plain_text' as const, text: truncate(text, max) });
  return {
    ...button({ text: 'Stop', actionId: ACTION_IDS.drillStop, value: drillId, style: 'danger' }),
    confirm: {
      title: plain(t.stopDrillConfirm.title, 100),
      text: plain(t.stopDrillConfirm.text, 300),
      confirm: plain(t.stopDrillConfirm.confirm, 30),
      deny: plain(t.stopDrillConfirm.deny, 30),
      style: 'danger',
    },
  };
}

/**
 * `/spar drill list` (ephemeral, English). With `stop` (a manager asking), each drill has its own line and a
 * Stop button behind a confirm dialog, as far as Slack's 50 blocks allow; otherwise the lines are packed.
 */
export function drillListBlocks(lines: readonly DrillLine[], opts: { stop?: boolean } = {}): KnownBlock[] {
  if (lines.length === 0) {
    return [
      section(
        'No weekly drills are scheduled. A manager schedules one with `/spar drill &lt;scenario-id&gt; every &lt;weekday&gt; &lt;HH:MM&gt;` in the team channel.',
      ),
    ];
  }
  const intro = section(
    `*${lines.length} weekly drill${lines.length === 1 ? '' : 's'}.* \`/spar drill stop &lt;id&gt;\` stops one.`,
  );
  if (opts.stop && lines.length < MAX_BLOCKS) {
    return [intro, ...lines.map((l) => section(`• ${drillLineText(l)}`, drillStopButton(l.drill.id)))];
  }
  return [intro, ...packLines(lines.map((l) => `• ${drillLineText(l)}`)).map((x) => section(x))];
}
