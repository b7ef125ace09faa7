import type { AllMiddlewareArgs, SlackEventMiddlewareArgs } from '@slack/bolt';
import { z } from 'zod';
import type { Session } from '../../../domain/session.js';
import { AppError, isAppError } from '../../../errors.js';
import { messages } from '../../../i18n/messages.js';
import { validateRepText } from '../../../practice/practice.js';
import { noticeBlocks } from '../../blocks/session.js';
import { isDirectMessage } from '../../deliver.js';
import type { SlackDeps } from '../../deps.js';
import { userMessage } from '../../errors.js';
import { eventStored } from '../../event-intake.js';
import { deferredClaimOf, skipped } from '../../middleware/dedupe-events.js';
import { sparAnswer, tellUser } from '../../notices.js';
import { localeLanguage } from '../../people.js';
import { fromSlackText } from '../../text.js';

/** A plain message written by a person; subtypes (edits, deletions, joins, bots) never get this far. */
const RepMessageSchema = z.object({
  user: z.string().min(1),
  text: z.string().default(''),
  ts: z.string().min(1),
  thread_ts: z.string().min(1).optional(),
  channel: z.string().min(1),
  channel_type: z.string().optional(),
});

/** "@Sparring what about Saturdays?" in the thread: the buyer reads the question, not the app's name. */
export function withoutMention(text: string, botUserId: string | undefined): string {
  if (!botUserId) return text;
  const id = botUserId.replace(/[^A-Z0-9]/gi, '');
  const without = text.replace(new RegExp(`\\s*<@${id}(\\|[^>]*)?>\\s*`, 'g'), ' ');
  return without === text ? text : without.trim();
}

/** The rep's message in a session thread goes to the buyer; anything else in Slack is left alone. */
export const onPracticeMessage = (deps: SlackDeps) => {
  const log = deps.logger.child({ module: 'slack' });
  return async ({ message, client, context }: SlackEventMiddlewareArgs<'message'> & AllMiddlewareArgs) => {
    if (message.subtype !== undefined || ('bot_id' in message && message.bot_id)) return;
    const parsed = RepMessageSchema.safeParse(message);
    if (!parsed.success) return;
    const m = parsed.data;

    const topLevel = !m.thread_ts || m.thread_ts === m.ts;
    const inDm = m.channel_type === 'im' || isDirectMessage(m.channel);
    const text = fromSlackText(withoutMention(m.text, context.botUserId));

    /** The rep's message was refused (an ended session, an empty or oversized text): told to the rep alone. */
    const refuse = async (err: AppError, session: Session) => {
      log.info({ sessionId: session.id, code: err.code }, 'rep message refused');
      const reply = userMessage(err, messages(session.language), { text });
      const threadTs = session.threadTs ?? m.thread_ts ?? m.ts;
      // For the rep alone: ephemeral in a channel; in the DM nobody else reads along.
      if (inDm) {
        await client.chat.postMessage({
          channel: m.channel,
          thread_ts: threadTs,
          text: reply,
          blocks: noticeBlocks(reply),
        });
      } else {
        await tellUser(client, { channel: m.channel, user: m.user, threadTs }, reply);
      }
    };

    // A reply in a thread: the delivery's claim and the queued message are one statement, the only one the
    // acknowledgement waits for. A text the buyer cannot take is refused the usual way below.
    const deferred = deferredClaimOf(context);
    if (deferred && m.thread_ts && !topLevel && acceptable(text)) {
      const got = await deps.practice.submitInThread({
        eventId: deferred.eventId,
        takeOverAfterMs: deferred.takeOverAfterMs,
        channelId: m.channel,
        threadTs: m.thread_ts,
        userId: m.user,
        text,
        externalId: m.ts,
      });
      if (got.claim !== 'claimed') return skipped(deferred.eventId, got.claim, context, log);
      // Stored (a message for nobody is stored as its claim): Slack may be told it arrived.
      eventStored(context);
      const session = got.session;
      if (!session?.threadTs) return;
      if (session.userId !== m.user) {
        log.debug({ sessionId: session.id }, 'message from someone else in a session thread ignored');
        return;
      }
      if (!got.queued) {
        return refuse(new AppError('session_ended', 'This practice session has ended.'), session);
      }
      await deps.practice.run(session.id);
      return;
    }
    // A top-level message in a channel is not for Sparring (nor claimed: nothing is done with it).
    if (topLevel && !inDm) return;
    if (deferred && !(await deferred.claim())) return;
    const session = topLevel
      ? // The app's own DM: a message outside the thread continues the rep's open session there.
        await deps.store.findOpenInChannel(m.channel, m.user)
      : await deps.practice.findByThread(m.channel, m.thread_ts ?? m.ts);
    if (!session?.threadTs) {
      if (topLevel) {
        // No session to continue: the scenarios to start one with.
        const picker = sparAnswer('', deps, await localeLanguage(client, m.user));
        if (picker) await client.chat.postMessage({ channel: m.channel, ...picker });
      }
      return;
    }
    if (session.userId !== m.user) {
      // A colleague chiming in is not the rep: the buyer never answers them.
      log.debug({ sessionId: session.id }, 'message from someone else in a session thread ignored');
      return;
    }

    try {
      await deps.practice.submit(session.id, { text, externalId: m.ts, userId: m.user });
    } catch (err) {
      if (!isAppError(err)) throw err;
      return refuse(err, session);
    }
    // Stored: Slack may be told it arrived. The buyer's answer takes seconds and must not hold that up.
    eventStored(context);
    await deps.practice.run(session.id);
  };
};

/** A text the buyer can take (validateRepText would not refuse it). */
function acceptable(text: string): boolean {
  try {
    validateRepText(text);
    return true;
  } catch (err) {
    if (isAppError(err)) return false;
    throw err;
  }
}
