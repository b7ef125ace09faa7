import { z } from 'zod';
import { AppError } from '../errors.js';
import { messages } from '../i18n/messages.js';
import type { Drill } from '../store/drills.js';
import { type DrillLine, drillSchedule, slackDate } from './blocks/drill.js';
import { noticeBlocks } from './blocks/session.js';
import { slackErrorCode, type WebClient } from './deps.js';
import { CANNOT_POST, CANNOT_POST_HERE } from './errors.js';
import { startInSlack } from './start-session.js';
import type { TeamDeps } from './team.js';
import { escapeText, FALLBACK_TEXT_LIMIT, mrkdwn, truncate } from './text.js';

const postNotice = async (client: WebClient, channel: string, text: string) => {
  try {
    await client.chat.postMessage({
      channel,
      text: truncate(text, FALLBACK_TEXT_LIMIT),
      blocks: noticeBlocks(text),
    });
  } catch (err) {
    const code = slackErrorCode(err);
    if (code && CANNOT_POST.has(code)) throw new AppError('forbidden', CANNOT_POST_HERE, { cause: err });
    throw err;
  }
};

/** The drills as `/spar drill list` and App Home show them. */
export async function drillLines(
  deps: Pick<TeamDeps, 'drills' | 'catalog' | 'scheduler'>,
): Promise<DrillLine[]> {
  return (await deps.drills.active()).map((drill) => ({
    drill,
    title: deps.catalog.get(drill.scenarioId)?.title ?? drill.scenarioId,
    next: deps.scheduler.next(drill),
  }));
}

/**
 * Schedules a weekly drill in `channelId` in the manager's Slack time zone and announces it there, in the
 * scenario's language. When Sparring may not post in the channel nothing is kept (AppError 'forbidden').
 */
export async function scheduleDrill(
  deps: TeamDeps,
  client: WebClient,
  req: {
    userId: string;
    teamId: string | null;
    channelId: string;
    scenarioId: string;
    weekday: number;
    time: string;
    /** Keep attempts in the channel; by default each runs in the rep's DM. */
    publicAttempts?: boolean;
  },
): Promise<{ drill: Drill; first: Date }> {
  if (req.channelId.startsWith('D')) {
    throw new AppError(
      'invalid_input',
      'Schedule a drill in the team channel where it should be posted, not in a direct message.',
    );
  }
  const scenario = deps.catalog.require(req.scenarioId);
  const timeZone = await deps.people.timeZone(req.userId);
  const { drill, first } = await deps.scheduler.schedule({
    teamId: req.teamId,
    channelId: req.channelId,
    scenarioId: scenario.id,
    weekday: req.weekday,
    time: req.time,
    timeZone,
    createdBy: req.userId,
    publicAttempts: req.publicAttempts ?? false,
  });
  const t = messages(scenario.language);
  try {
    await postNotice(
      client,
      req.channelId,
      mrkdwn(t.drill.scheduled, {
        user: `<@${req.userId}>`,
        title: escapeText(scenario.title),
        schedule: drillSchedule(t, drill),
        first: slackDate(first),
      }),
    );
  } catch (err) {
    // Not allowed to post here: a drill that could never post is not kept.
    await deps.drills.remove(drill.id);
    throw err;
  }
  deps.logger.info({ module: 'slack', drillId: drill.id, channelId: drill.channelId }, 'drill scheduled');
  return { drill, first };
}

/** Stops a drill, posts its open run's results and says so in its channel. */
export async function stopDrill(
  deps: TeamDeps,
  client: WebClient,
  drillId: string,
  userId: string,
): Promise<{ drill: Drill; stopped: boolean } | null> {
  const result = await deps.scheduler.stop(drillId, userId);
  if (result?.stopped) {
    const scenario = deps.catalog.get(result.drill.scenarioId);
    const t = messages(scenario?.language);
    await postNotice(
      client,
      result.drill.channelId,
      mrkdwn(t.drill.stopped, {
        user: `<@${userId}>`,
        title: escapeText(scenario?.title ?? result.drill.scenarioId),
      }),
    ).catch((err: unknown) =>
      deps.logger.warn({ module: 'slack', err, drillId }, 'could not announce the stop'),
    );
  }
  return result;
}

export type AttemptResult =
  /** `text`: where the attempt is, when that is not the channel the button was in (the rep's DM). */
  { kind: 'started'; sessionId: string; text: string | null } | { kind: 'closed' | 'existing'; text: string };

const ConversationOpenSchema = z.object({ channel: z.object({ id: z.string().min(1) }) });

/** The app's DM with a user (conversations.open; im:write). */
async function directMessageWith(client: WebClient, userId: string): Promise<string> {
  const res = ConversationOpenSchema.safeParse(await client.conversations.open({ users: userId }));
  if (!res.success) throw new AppError('forbidden', 'Slack did not open a direct message with Sparring.');
  return res.data.channel.id;
}

// One start per rep and run at a time per app: a double click gives one thread, not two.
const startingByApp = new WeakMap<object, Map<string, Promise<AttemptResult>>>();

/**
 * "Start my attempt" on a drill post: the rep's own session on the drill's scenario, counted in the run's
 * results and in the post's tally. It runs in the rep's DM with Sparring (the channel stays clean), or in a new
 * thread of the channel when the drill keeps attempts public. A rep who already has one is pointed to it; a
 * closed run starts nothing. Notes come back in the scenario's language.
 */
export function startDrillAttempt(
  deps: TeamDeps,
  client: WebClient,
  req: { runId: string; userId: string; teamId: string | null },
): Promise<AttemptResult> {
  const starting = startingByApp.get(deps.drills) ?? new Map<string, Promise<AttemptResult>>();
  startingByApp.set(deps.drills, starting);
  const key = `${req.runId}:${req.userId}`;
  const pending = starting.get(key);
  // A second click while the first is still starting waits for it, then is pointed to that attempt.
  if (pending) return pending.then((first) => (first.kind === 'started' ? start(deps, client, req) : first));
  const attempt = start(deps, client, req).finally(() => starting.delete(key));
  starting.set(key, attempt);
  return attempt;
}

async function start(
  deps: TeamDeps,
  client: WebClient,
  req: { runId: string; userId: string; teamId: string | null },
): Promise<AttemptResult> {
  const run = await deps.drills.getRun(req.runId);
  const drill = run ? await deps.drills.get(run.drillId) : null;
  if (!run || !drill) throw new AppError('session_not_found', 'This drill no longer exists.');
  const scenario = deps.catalog.get(drill.scenarioId);
  const t = messages(scenario?.language);
  if (run.closedAt) return { kind: 'closed', text: mrkdwn(t.drill.closed, { id: drill.scenarioId }) };

  const existing = await deps.drills.attemptOf(run.id, req.userId);
  if (existing) {
    const threadTs = existing.threadTs;
    const link = await (threadTs
      ? client.chat.getPermalink({ channel: existing.channelId, message_ts: threadTs })
      : Promise.resolve({ permalink: undefined })
    )
      .then((r) => (r.permalink ? `<${r.permalink}|${escapeText(t.drill.yourThread)}>` : null))
      .catch(() => null);
    return {
      kind: 'existing',
      text: mrkdwn(t.drill.alreadyStarted, { link: link ?? escapeText(t.drill.yourThread) }),
    };
  }

  const channelId = drill.publicAttempts ? drill.channelId : await directMessageWith(client, req.userId);
  const session = await startInSlack(deps, client, {
    scenarioId: drill.scenarioId,
    userId: req.userId,
    teamId: req.teamId,
    channelId,
    drillId: run.id,
  });
  await deps.scheduler.refreshTally(run.id);
  if (drill.publicAttempts || !session.threadTs)
    return { kind: 'started', sessionId: session.id, text: null };
  const link = await client.chat
    .getPermalink({ channel: channelId, message_ts: session.threadTs })
    .then((r) => (r.permalink ? `<${r.permalink}|${escapeText(t.drillDmLink)}>` : null))
    .catch(() => null);
  return {
    kind: 'started',
    sessionId: session.id,
    text: mrkdwn(t.drillAttemptInDm, { link: link ?? escapeText(t.drillDmLink) }),
  };
}
