import type { SessionLine } from '../store/stats.js';
import type { SessionVerdictLine } from '../store/verdicts.js';
import type { WebClient } from './deps.js';
import type { TeamDeps } from './team.js';
import { drillLines } from './team-drills.js';
import { estimateUsage } from './usage.js';
import { type HomeData, type HomeSession, homeView } from './views/home.js';

/** The first moment of the current month, UTC: where "usage this month" starts. */
export const startOfMonth = (now: Date): Date =>
  new Date(Date.UTC(now.getUTCFullYear(), now.getUTCMonth(), 1));

/**
 * A session's thread as a link: Slack's permalink when it answers, else one built from the channel and the ts
 * (which Slack resolves in the workspace the user is signed in to). Null for a session without a thread.
 */
export async function threadLink(client: WebClient | undefined, s: SessionLine): Promise<string | null> {
  if (!s.channelId || !s.threadTs) return null;
  if (client) {
    try {
      const res = await client.chat.getPermalink({ channel: s.channelId, message_ts: s.threadTs });
      if (typeof res.permalink === 'string' && res.permalink.startsWith('https://')) return res.permalink;
    } catch {
      // The built link below still leads to the thread; App Home must not fail for want of a permalink.
    }
  }
  return `https://slack.com/archives/${s.channelId}/p${s.threadTs.replace('.', '')}`;
}

/** Everything App Home shows `userId`; the manager part only for managers. `client` looks up thread links. */
export async function homeData(deps: TeamDeps, userId: string, client?: WebClient): Promise<HomeData> {
  const title = (id: string) => deps.catalog.get(id)?.title ?? id;
  const withTitle = <T extends { scenarioId: string }>(rows: T[]) =>
    rows.map((r) => ({ ...r, title: title(r.scenarioId) }));
  const [recent, verdicts, manager] = await Promise.all([
    deps.stats.recentSessions({ userId, limit: 8 }),
    deps.stats.verdicts(userId, 10),
    deps.people.isManager(userId),
  ]);
  const team = manager ? await deps.stats.recentSessions({ limit: 12 }) : [];
  const extras = await deps.verdicts.lines([...new Set([...recent, ...team].map((s) => s.id))]);
  const links = new Map(
    await Promise.all(
      [...new Map([...recent, ...team].map((s) => [s.id, s])).values()].map(
        async (s) => [s.id, await threadLink(client, s)] as const,
      ),
    ),
  );
  const withExtras = (rows: SessionLine[]): HomeSession[] =>
    withTitle(rows).map((r) => {
      const x: SessionVerdictLine | undefined = extras.get(r.id);
      return {
        ...r,
        link: links.get(r.id) ?? null,
        outcome: x?.outcome ?? null,
        correction: x?.correction
          ? { managerId: x.correction.managerId, verdict: x.correction.verdict }
          : null,
        fair: x?.fair ?? null,
      };
    });
  const data: HomeData = {
    mode: deps.mode,
    recent: withExtras(recent),
    verdicts,
    scenarios: deps.catalog.summaries(),
    manager: null,
  };
  if (!manager) return data;
  const since = startOfMonth(deps.now());
  const [drills, stored, usage, coachFallbacks, agreement, fairness] = await Promise.all([
    drillLines(deps),
    deps.scenarios.list(),
    deps.stats.usageSince(since),
    deps.stats.coachFallbacksSince(since),
    deps.verdicts.agreementSince(since),
    deps.verdicts.fairnessSince(since),
  ]);
  data.manager = {
    team: withExtras(team),
    drills,
    stored: stored.map((s) => ({
      id: s.id,
      title: s.title,
      revision: s.revision,
      updatedBy: s.updatedBy,
      updatedAt: s.updatedAt,
      retired: s.retiredAt !== null,
    })),
    usage: { since, ...estimateUsage(usage, deps.config.prices), coachFallbacks },
    agreement: { ...agreement, fair: fairness.fair, unfair: fairness.unfair },
  };
  return data;
}

/** Publishes App Home for `userId` (on app_home_opened, and after a manager changed something from it). */
export async function publishHome(deps: TeamDeps, client: WebClient, userId: string): Promise<void> {
  await client.views.publish({ user_id: userId, view: homeView(await homeData(deps, userId, client)) });
}

/** The user's direct messages with Sparring, where App Home and modal buttons start sessions. */
export async function openDm(client: WebClient, userId: string): Promise<string> {
  const res = await client.conversations.open({ users: userId });
  const id = res.channel?.id;
  if (!id) throw new Error('conversations.open returned no channel');
  return id;
}
