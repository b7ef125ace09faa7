import type { AllMiddlewareArgs, BlockAction, SlackActionMiddlewareArgs } from '@slack/bolt';
import { messages } from '../../../i18n/messages.js';
import type { SlackDeps } from '../../deps.js';
import { tellUser } from '../../notices.js';
import { mrkdwn } from '../../text.js';
import { BlockActionBodySchema, channelOf, threadOf } from './payload.js';

type Args = SlackActionMiddlewareArgs<BlockAction> & AllMiddlewareArgs;

/** One end per session: a second click (or a double click) is the same request, not a new one. */
const END_EXTERNAL_ID = 'end';

/** "End & get feedback" on the session message: the coach reads the thread once the buyer has caught up. */
export const onEndSession =
  (deps: SlackDeps) =>
  async ({ ack, body, client }: Args) => {
    await ack();
    const b = BlockActionBodySchema.parse(body);
    const channel = channelOf(b);
    const threadTs = threadOf(b);
    if (!channel || !threadTs) throw new Error('end button without a channel or message');
    const tell = (text: string) => tellUser(client, { channel, user: b.user.id, threadTs }, text);

    const session = await deps.practice.findByThread(channel, threadTs);
    if (!session) return void (await tell(mrkdwn(messages('en').sessionNotFound)));
    const t = messages(session.language);
    if (session.userId && session.userId !== b.user.id) {
      return void (await tell(mrkdwn(t.onlyRep, { user: `<@${session.userId}>` })));
    }
    const { duplicate, session: current } = await deps.practice.requestEnd(session.id, {
      externalId: END_EXTERNAL_ID,
      userId: b.user.id,
    });
    if (current.status === 'ended') return void (await tell(mrkdwn(t.sessionEnded)));
    if (!duplicate) await tell(mrkdwn(t.coaching));
    await deps.practice.run(session.id);
  };
