import type { WebClient } from './deps.js';
import type { TeamDeps } from './team.js';
import { drillLines } from './team-drills.js';
import { estimateUsage } from './usage.js';
import { type HomeData, homeView } from './views/home.js';

/** The first moment of the current month, UTC: where "usage this month" starts. */
export const startOfMonth = (now: Date): Date =>
  new Date(Date.UTC(now.getUTCFullYear(), now.getUTCMonth(), 1));

/** Everything App Home shows `userId`; the manager part only for managers. */
export async function homeData(deps: TeamDeps, userId: string): Promise<HomeData> {
  const title = (id: string) => deps.catalog.get(id)?.title ?? id;
  const withTitle = <T extends { scenarioId: string }>(rows: T[]) =>
    rows.map((r) => ({ ...r, title: title(r.scenarioId) }));
  const [recent, verdicts, manager] = await Promise.all([
    deps.stats.recentSessions({ userId, limit: 8 }),
    deps.stats.verdicts(userId, 10),
    deps.people.isManager(userId),
  ]);
  const data: HomeData = {
    mode: deps.mode,
    recent: withTitle(recent),
    verdicts,
    scenarios: deps.catalog.summaries(),
    manager: null,
  };
  if (!manager) return data;
  const since = startOfMonth(deps.now());
  const [team, drills, stored, usage, coachFallbacks] = await Promise.all([
    deps.stats.recentSessions({ limit: 12 }),
    drillLines(deps),
    deps.scenarios.list(),
    deps.stats.usageSince(since),
    deps.stats.coachFallbacksSince(since),
  ]);
  data.manager = {
    team: withTitle(team),
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
  };
  return data;
}

/** Publishes App Home for `userId` (on app_home_opened, and after a manager changed something from it). */
export async function publishHome(deps: TeamDeps, client: WebClient, userId: string): Promise<void> {
  await client.views.publish({ user_id: userId, view: homeView(await homeData(deps, userId)) });
}

/** The user's direct messages with Sparring, where App Home and modal buttons start sessions. */
export async function openDm(client: WebClient, userId: string): Promise<string> {
  const res = await client.conversations.open({ users: userId });
  const id = res.channel?.id;
  if (!id) throw new Error('conversations.open returned no channel');
  return id;
}
