import type { Session } from '../domain/session.js';
import { AppError, isAppError } from '../errors.js';
import { messages } from '../i18n/messages.js';
import { summarize } from '../scenarios/catalog.js';
import { sessionHeaderText, sessionStartBlocks } from './blocks/session.js';
import { type SlackDeps, slackErrorCode, type WebClient } from './deps.js';
import { CANNOT_POST, CANNOT_POST_HERE, userMessage } from './errors.js';
import { tellUser } from './notices.js';
import { FALLBACK_TEXT_LIMIT, truncate } from './text.js';

export type SlackStart = {
  scenarioId: string;
  userId: string;
  teamId: string | null;
  channelId: string;
  /** Start inside this thread (an @mention); otherwise the session message opens a new thread. */
  threadTs?: string | null;
  /** The drill run this attempt belongs to. */
  drillId?: string | null;
};

/**
 * Starts a practice session in Slack: posts the visible session message, stores the session on its thread and
 * delivers the buyer's opening there. Throws AppError('scenario_not_found') for an unknown id and
 * AppError('forbidden') when Sparring may not post in the conversation. `onStored` is called once the session
 * is stored, before its opening line is delivered.
 */
export async function startInSlack(
  deps: Pick<SlackDeps, 'practice' | 'catalog'>,
  client: WebClient,
  req: SlackStart,
  opts: { onStored?: () => void } = {},
): Promise<Session> {
  const scenario = summarize(deps.catalog.require(req.scenarioId));
  const t = messages(scenario.language);
  let headerTs: string | undefined;
  try {
    const posted = await client.chat.postMessage({
      channel: req.channelId,
      ...(req.threadTs ? { thread_ts: req.threadTs } : {}),
      blocks: sessionStartBlocks({ t, userId: req.userId, scenario }),
      text: truncate(sessionHeaderText(t, req.userId, scenario), FALLBACK_TEXT_LIMIT),
    });
    headerTs = posted.ts;
  } catch (err) {
    const code = slackErrorCode(err);
    if (code && CANNOT_POST.has(code)) throw new AppError('forbidden', CANNOT_POST_HERE, { cause: err });
    throw err;
  }
  const threadTs = req.threadTs ?? headerTs;
  if (!threadTs) throw new Error('chat.postMessage returned no ts for the session message');
  const session = await deps.practice.start({
    scenarioId: scenario.id,
    surface: 'slack',
    userId: req.userId,
    teamId: req.teamId,
    channelId: req.channelId,
    threadTs,
    drillId: req.drillId ?? null,
  });
  opts.onStored?.();
  await deps.practice.run(session.id);
  return session;
}

/**
 * startInSlack for a button click: an AppError (an unknown or retired scenario, a conversation Sparring may not
 * post in) is told to the person who clicked, privately. True when the session started.
 */
export async function startFromButton(
  deps: Pick<SlackDeps, 'practice' | 'catalog' | 'logger'>,
  client: WebClient,
  req: SlackStart,
  where: string,
): Promise<boolean> {
  try {
    await startInSlack(deps, client, req);
    return true;
  } catch (err) {
    if (!isAppError(err)) throw err;
    deps.logger.warn(
      { module: 'slack', code: err.code, scenarioId: req.scenarioId },
      `could not start from ${where}`,
    );
    await tellUser(client, { channel: req.channelId, user: req.userId }, userMessage(err, messages('en')));
    return false;
  }
}
