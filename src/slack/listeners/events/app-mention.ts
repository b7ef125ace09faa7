import type { AllMiddlewareArgs, SlackEventMiddlewareArgs } from '@slack/bolt';
import { z } from 'zod';
import { isAppError } from '../../../errors.js';
import { messages } from '../../../i18n/messages.js';
import type { SlackDeps } from '../../deps.js';
import { userMessage } from '../../errors.js';
import { eventStored } from '../../event-intake.js';
import { deferredClaimOf, skipped } from '../../middleware/dedupe-events.js';
import { sparAnswer, sparArgument, tellUser } from '../../notices.js';
import { localeLanguage } from '../../people.js';
import { startInSlack } from '../../start-session.js';

const MentionSchema = z.object({
  user: z.string().min(1),
  text: z.string().default(''),
  ts: z.string().min(1),
  thread_ts: z.string().min(1).optional(),
  channel: z.string().min(1),
  team: z.string().optional(),
});

/** `@Sparring <scenario-id>` in a channel: a session in the thread of the mention. */
export const onAppMention = (deps: SlackDeps) => {
  const log = deps.logger.child({ module: 'slack' });
  return async ({ event, client, context }: SlackEventMiddlewareArgs<'app_mention'> & AllMiddlewareArgs) => {
    const parsed = MentionSchema.safeParse(event);
    if (!parsed.success) return;
    const e = parsed.data;
    const threadTs = e.thread_ts ?? e.ts;
    const arg = sparArgument(e.text);
    const teamId = e.team ?? context.teamId ?? null;

    // A scenario id: the delivery's claim and the session are one statement, the only one the acknowledgement
    // waits for; the session message and the opening are posted in the thread after it, with retries.
    const deferred = deferredClaimOf(context);
    // (`help` and `list` are reserved and never scenario ids; sparAnswer answers them below.)
    if (deferred && arg !== '' && deps.catalog.get(arg)) {
      const got = await deps.practice.startInThread({
        scenarioId: arg,
        surface: 'slack',
        userId: e.user,
        teamId,
        channelId: e.channel,
        threadTs,
        mention: {
          eventId: deferred.eventId,
          takeOverAfterMs: deferred.takeOverAfterMs,
          ts: e.ts,
          text: e.text,
        },
      });
      if (got.claim !== 'claimed') return skipped(deferred.eventId, got.claim, context, log);
      eventStored(context);
      // Inside a session thread a mention is just a message: the message listener deals with it.
      if (got.session) await deps.practice.run(got.session.id);
      return;
    }
    if (deferred && !(await deferred.claim())) return;
    if (await deps.practice.findByThread(e.channel, threadTs)) return;

    const answer = sparAnswer(arg, deps, arg === '' ? await localeLanguage(client, e.user) : 'en');
    if (answer) {
      await client.chat.postEphemeral({
        channel: e.channel,
        user: e.user,
        thread_ts: e.thread_ts,
        ...answer,
      });
      return;
    }
    try {
      await startInSlack(
        deps,
        client,
        { scenarioId: arg, userId: e.user, teamId, channelId: e.channel, threadTs },
        { onStored: () => eventStored(context) },
      );
    } catch (err) {
      if (!isAppError(err)) throw err;
      log.warn({ code: err.code, scenarioId: arg }, 'could not start from a mention');
      await tellUser(
        client,
        { channel: e.channel, user: e.user, threadTs: e.thread_ts },
        userMessage(err, messages('en')),
      );
    }
  };
};
