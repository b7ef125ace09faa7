import type { types } from '@slack/bolt';
import type { Outcome } from '../../buyer/types.js';
import type { Verdict } from '../../coach/feedback.js';
import { fill, type Messages, messages } from '../../i18n/messages.js';
import type { ScenarioSummary } from '../../scenarios/catalog.js';
import type { SessionLine } from '../../store/stats.js';
import { ACTION_IDS } from '../action-ids.js';
import { type DrillLine, drillLineText, slackDate } from '../blocks/drill.js';
import { actions, button, context, divider, header, type KnownBlock, section } from '../blocks/kit.js';
import { scenarioFacts } from '../blocks/picker.js';
import { escapeText, packLines } from '../text.js';
import type { UsageCost } from '../usage.js';

/**
 * A session line with the title of its scenario (or its id when the scenario is gone), and what issue 12 adds:
 * a link back to its thread, how it ended, a manager's correction of the verdict and the rep's 👍/👎.
 */
export type HomeSession = SessionLine & {
  title: string;
  link?: string | null;
  outcome?: Outcome | null;
  correction?: { managerId: string; verdict: Verdict } | null;
  fair?: boolean | null;
};

/** The coach against the managers' corrections this month, and the reps' answers to "Was this fair?". */
export type HomeAgreement = { n: number; agreed: number; fair: number; unfair: number };

/** A scenario written in Slack, as the manager's list shows it. */
export type StoredLine = {
  id: string;
  title: string;
  revision: number;
  updatedBy: string;
  updatedAt: Date;
  retired: boolean;
};

/** Everything App Home shows; gathered by the listener, rendered by `homeView` (a pure function). */
export type HomeData = {
  mode: 'llm' | 'offline';
  recent: HomeSession[];
  /** The rep's coached verdicts, newest first. */
  verdicts: Verdict[];
  scenarios: ScenarioSummary[];
  manager: {
    team: HomeSession[];
    drills: DrillLine[];
    stored: StoredLine[];
    /** `coachFallbacks`: sessions whose model coach failed (they got the offline coach's feedback). */
    usage: { since: Date; rows: UsageCost[]; total: UsageCost; coachFallbacks?: number };
    agreement?: HomeAgreement;
  } | null;
};

const VERDICT_MARK: Record<Verdict, string> = { connected: '🟢', mixed: '🟡', script: '🔴' };
const VERDICT_WORD: Record<Verdict, string> = {
  connected: 'connected',
  mixed: 'mixed',
  script: 'ran the script',
};

/** How many recent verdicts the trend compares, with the same number before them. */
const TREND_WINDOW = 5;
const MAX_SCENARIOS = 30;
const MAX_STORED = 10;
const MAX_DRILLS = 10;

/** "Connected in 3 of your last 5 (1 of the 5 before)", with the verdicts as marks, oldest first. */
export function verdictTrend(verdicts: readonly Verdict[]): string | null {
  if (verdicts.length === 0) return null;
  const last = verdicts.slice(0, TREND_WINDOW);
  const before = verdicts.slice(TREND_WINDOW, 2 * TREND_WINDOW);
  const connected = (vs: readonly Verdict[]) => vs.filter((v) => v === 'connected').length;
  const marks = [...last]
    .reverse()
    .map((v) => VERDICT_MARK[v])
    .join(' ');
  let earlier = '';
  if (before.length > 0) {
    const now = connected(last) / last.length;
    const then = connected(before) / before.length;
    const arrow = now > then ? ' :arrow_upper_right:' : now < then ? ' :arrow_lower_right:' : '';
    earlier = ` (${connected(before)} of the ${before.length} before)${arrow}`;
  }
  return `${marks}  Connected in *${connected(last)} of your last ${last.length}*${earlier}`;
}

/** App Home is in English, like the rest of the manager views; its words still live in the message catalogue. */
const HOME_T: Messages = messages('en');

/** A Slack link label may not contain "|" (the title is already escaped). */
const linkLabel = (s: string) => s.replace(/\|/g, '¦');

const sessionLine = (s: HomeSession, withUser: boolean, t: Messages = HOME_T): string => {
  const verdict = s.verdict
    ? `${VERDICT_MARK[s.verdict]} ${VERDICT_WORD[s.verdict]}`
    : s.status === 'active'
      ? '💬 in progress'
      : '⚪ ended without feedback';
  // The coach's verdict stays; a manager's correction is shown beside it.
  const corrected = s.correction
    ? ` → ✏️ ${fill(escapeText(t.homeCorrected), {
        manager: `<@${s.correction.managerId}>`,
        verdict: `${VERDICT_MARK[s.correction.verdict]} ${escapeText(t.drill.verdict[s.correction.verdict])}`,
      })}`
    : '';
  const where = s.channelId && /^[CG]/.test(s.channelId) ? ` in <#${s.channelId}>` : '';
  const title = escapeText(s.title);
  return [
    ...(withUser && s.userId ? [`<@${s.userId}>`] : []),
    `*${s.link ? `<${s.link}|${linkLabel(title)}>` : title}*${where}`,
    `${verdict}${corrected}`,
    ...(s.outcome && s.status === 'ended' ? [escapeText(t.homeOutcome[s.outcome])] : []),
    ...(s.fair === true || s.fair === false ? [escapeText(t.homeFair[s.fair ? 'yes' : 'no'])] : []),
    ...(s.drillId ? ['team drill'] : []),
    slackDate(s.createdAt, '{date_short_pretty}'),
  ].join(' · ');
};

/** A confirmation dialog for a manager button that cannot be undone from Slack. */
const confirmDialog = (title: string, text: string, yes: string, t: Messages = HOME_T): types.Confirm => ({
  title: { type: 'plain_text', text: title.slice(0, 100) },
  text: { type: 'mrkdwn', text: text.slice(0, 300) },
  confirm: { type: 'plain_text', text: yes.slice(0, 30) },
  deny: { type: 'plain_text', text: t.confirmDeny.slice(0, 30) },
  style: 'danger',
});

/** "Coach and managers this month": n corrected sessions and the coach's accuracy against them. */
export function agreementText(a: HomeAgreement, t: Messages = HOME_T): string {
  const lines = [
    a.n === 0
      ? escapeText(t.homeAgreementNone)
      : fill(escapeText(t.homeAgreement), {
          n: a.n,
          agreed: a.agreed,
          pct: `${Math.round((a.agreed / a.n) * 100)}%`,
        }),
  ];
  if (a.fair + a.unfair > 0) lines.push(fill(escapeText(t.homeFairness), { yes: a.fair, no: a.unfair }));
  return lines.join('\n');
}

const tokens = (n: number): string =>
  n >= 1_000_000 ? `${(n / 1_000_000).toFixed(1)}M` : n >= 1_000 ? `${(n / 1_000).toFixed(1)}k` : String(n);
const usd = (c: UsageCost): string => {
  if (c.cost !== null)
    return `${c.approximate ? '≈ ' : ''}$${c.cost < 10 ? c.cost.toFixed(2) : c.cost.toFixed(0)}`;
  return c.inputTokens + c.outputTokens === 0 ? 'no cost' : 'no price for this model';
};
const usageText = (c: UsageCost): string =>
  `${c.sessions} session${c.sessions === 1 ? '' : 's'} · ${tokens(c.inputTokens)} input (${tokens(c.cachedInputTokens)} cached) · ${tokens(c.outputTokens)} output · ${usd(c)}`;

/** App Home: a rep's own practice and the catalogue; for a manager also the team, drills, scenarios and usage. */
export function homeView(d: HomeData): types.HomeView {
  const blocks: KnownBlock[] = [
    header('Sparring'),
    section(
      'Practise a sales conversation on a skeptical buyer, then get coached: *did you connect, or run the script?* ' +
        'A session started here runs in your direct messages with Sparring; `/spar` starts one in any channel.',
    ),
    divider(),
    section('*Your practice*'),
  ];
  const trend = verdictTrend(d.verdicts);
  if (trend) blocks.push(context(trend));
  if (d.recent.length === 0) blocks.push(context('No sessions yet. Pick a buyer below to start.'));
  else blocks.push(...packLines(d.recent.map((s) => `• ${sessionLine(s, false)}`)).map((t) => section(t)));

  blocks.push(divider(), section('*Scenarios*'));
  const shown = d.scenarios.slice(0, MAX_SCENARIOS);
  for (const s of shown) {
    blocks.push(
      section(
        `*${escapeText(s.title)}*\n${scenarioFacts(s)} · \`${s.id}\``,
        button({ text: 'Start', actionId: ACTION_IDS.homeStart, value: s.id }),
      ),
    );
  }
  if (shown.length < d.scenarios.length) {
    blocks.push(context(`…and ${d.scenarios.length - shown.length} more: \`/spar list\` shows them all.`));
  }
  if (d.scenarios.length === 0) blocks.push(context('No scenarios are loaded.'));
  blocks.push(
    context(
      d.mode === 'offline'
        ? 'Offline mode: a scripted buyer plays the scenario and the coach judges from the metrics alone.'
        : 'The buyer and the coach run on a language model.',
    ),
  );

  if (d.manager) {
    const m = d.manager;
    blocks.push(divider(), header('Team'), section('*Recent activity*'));
    if (m.team.length === 0) blocks.push(context('Nobody has practised yet.'));
    // One section per session, so that a coached one carries its "Correct" button.
    for (const s of m.team) {
      blocks.push(
        section(
          `• ${sessionLine(s, true)}`,
          s.verdict
            ? button({ text: HOME_T.homeCorrectButton, actionId: ACTION_IDS.verdictCorrect, value: s.id })
            : undefined,
        ),
      );
    }
    if (m.agreement) {
      blocks.push(section(`*${escapeText(HOME_T.homeAgreementTitle)}*`), context(agreementText(m.agreement)));
    }

    blocks.push(section('*Weekly drills*'));
    if (m.drills.length === 0) {
      blocks.push(
        context(
          'No drills scheduled. In a team channel: `/spar drill &lt;scenario-id&gt; every monday 09:00`.',
        ),
      );
    }
    for (const l of m.drills.slice(0, MAX_DRILLS)) {
      blocks.push(
        section(drillLineText(l), {
          ...button({ text: 'Stop', actionId: ACTION_IDS.drillStop, value: l.drill.id, style: 'danger' }),
          confirm: confirmDialog(HOME_T.confirmStopTitle, HOME_T.confirmStopText, HOME_T.confirmStopYes),
        }),
      );
    }
    blocks.push(
      actions(
        button({ text: 'Schedule a drill', actionId: ACTION_IDS.drillScheduleOpen, style: 'primary' }),
        button({ text: 'New scenario', actionId: ACTION_IDS.scenarioNew }),
      ),
    );

    blocks.push(section('*Scenarios written in Slack*'));
    if (m.stored.length === 0) blocks.push(context('None yet.'));
    for (const s of m.stored.slice(0, MAX_STORED)) {
      const facts = `\`${s.id}\` · revision ${s.revision} by <@${s.updatedBy}> · ${slackDate(s.updatedAt, '{date_short_pretty}')}`;
      blocks.push(
        s.retired
          ? section(`~${escapeText(s.title)}~ (retired)\n${facts}`)
          : section(`*${escapeText(s.title)}*\n${facts}`, {
              ...button({ text: 'Retire', actionId: ACTION_IDS.scenarioRetire, value: s.id }),
              confirm: confirmDialog(
                HOME_T.confirmRetireTitle,
                HOME_T.confirmRetireText,
                HOME_T.confirmRetireYes,
              ),
            }),
      );
    }
    blocks.push(
      context(
        'Add or replace a scenario by sending me its YAML file in a direct message; it is checked like `scenarios lint`. ' +
          'Scenario files in the repository cannot be replaced here.',
      ),
    );

    blocks.push(section(`*Usage since ${slackDate(m.usage.since, '{date_short}')}*`));
    if (m.usage.rows.length === 0) blocks.push(context('No sessions this month.'));
    else {
      blocks.push(
        section(
          [
            ...m.usage.rows.map((r) => `• *${escapeText(r.label)}*: ${usageText(r)}`),
            `*Total*: ${usageText(m.usage.total)}`,
          ].join('\n'),
        ),
      );
    }
    const failures = m.usage.coachFallbacks ?? 0;
    if (failures > 0 || d.mode === 'llm') {
      blocks.push(
        context(
          `Model coach failures: ${failures} ${failures === 1 ? 'session' : 'sessions'} this month got the offline coach's feedback instead.`,
        ),
      );
    }
    blocks.push(context('Costs are estimates in USD from the configured price per 1M tokens.'));
  }
  // Slack refuses a Home tab with more than 100 blocks.
  return { type: 'home', blocks: blocks.slice(0, 100) };
}
