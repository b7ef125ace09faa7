import type { AllMiddlewareArgs, BlockAction, SlackActionMiddlewareArgs } from '@slack/bolt';
import { messages } from '../../../i18n/messages.js';
import type { SlackDeps } from '../../deps.js';
import { tellUser } from '../../notices.js';
import { mrkdwn } from '../../text.js';
import { channelOf, parseAction, SessionIdValueSchema, threadOf } from './payload.js';

type Args = SlackActionMiddlewareArgs<BlockAction> & AllMiddlewareArgs;

/** Retry on a failure message: the stored message goes to the buyer again. */
export const onRetryReply =
  (deps: SlackDeps) =>
  async ({ ack, body, client }: Args) => {
    await ack();
    const { body: b, value: sessionId } = parseAction(body, SessionIdValueSchema);
    const channel = channelOf(b);
    const threadTs = threadOf(b);
    const session = await deps.practice.get(sessionId);
    // The button must sit in the session's own thread; a forged value cannot reach another session.
    if (!session || !channel || session.channelId !== channel || session.threadTs !== threadTs) {
      if (channel)
        await tellUser(client, { channel, user: b.user.id }, mrkdwn(messages('en').sessionNotFound));
      return;
    }
    const t = messages(session.language);
    if (session.userId && session.userId !== b.user.id) {
      const text = mrkdwn(t.onlyRep, { user: `<@${session.userId}>` });
      await tellUser(client, { channel, user: b.user.id, threadTs: session.threadTs }, text);
      return;
    }
    await deps.practice.retry(session.id);
    await deps.practice.run(session.id);
  };
