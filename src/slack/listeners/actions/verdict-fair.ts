import type { AllMiddlewareArgs, BlockAction, SlackActionMiddlewareArgs } from '@slack/bolt';
import { z } from 'zod';
import { messages } from '../../../i18n/messages.js';
import { FEEDBACK_BLOCK_IDS, fairContext } from '../../blocks/feedback.js';
import type { KnownBlock } from '../../blocks/kit.js';
import type { WebClient } from '../../deps.js';
import { tellUser } from '../../notices.js';
import type { TeamDeps } from '../../team.js';
import { mrkdwn } from '../../text.js';
import { type BlockActionBody, channelOf, parseAction, SessionIdValueSchema, threadOf } from './payload.js';

type Args = SlackActionMiddlewareArgs<BlockAction> & AllMiddlewareArgs;

/** The posted card, as the click brings it along: the blocks to update in place. */
const CardSchema = z.object({
  message: z
    .object({ ts: z.string(), text: z.string().optional(), blocks: z.array(z.looseObject({})).optional() })
    .nullish(),
});

/** A note only the clicker sees: ephemeral in the conversation, or in their DM with Sparring (App Home). */
export const tellClicker = (client: WebClient, b: BlockActionBody, text: string) => {
  const channel = channelOf(b);
  return channel
    ? tellUser(client, { channel, user: b.user.id, threadTs: threadOf(b) }, text)
    : client.chat.postMessage({ channel: b.user.id, text });
};

/**
 * 👍 / 👎 on the feedback card: the rep's answer to "Was this fair?", stored per session (the last click wins)
 * and shown on the card in place of the question. Only the session's rep may answer.
 */
export const onVerdictFair =
  (deps: TeamDeps, fair: boolean) =>
  async ({ ack, body, client }: Args) => {
    await ack();
    const { body: b, value: sessionId } = parseAction(body, SessionIdValueSchema);
    const session = await deps.store.get(sessionId);
    if (!session) return void (await tellClicker(client, b, mrkdwn(messages('en').sessionNotFound)));
    const t = messages(session.language);
    if (session.userId !== b.user.id) {
      const rep = session.userId ? `<@${session.userId}>` : '?';
      return void (await tellClicker(client, b, mrkdwn(t.onlyRepFair, { user: rep })));
    }
    await deps.verdicts.setFair({ sessionId, userId: b.user.id, fair, at: deps.now() });

    const answer = fairContext(t, { fair, userId: b.user.id });
    const card = CardSchema.parse(body).message;
    const channel = channelOf(b);
    const blocks = card?.blocks;
    if (channel && card && blocks?.some((x) => x.block_id === FEEDBACK_BLOCK_IDS.fair)) {
      // The whole card again with only the question line changed: everyone in the thread sees the answer.
      await client.chat.update({
        channel,
        ts: card.ts,
        text: card.text ?? '',
        blocks: blocks.map((x) => (x.block_id === FEEDBACK_BLOCK_IDS.fair ? answer : x)) as KnownBlock[],
      });
      return;
    }
    // A card without its blocks in the payload: the rep still sees that the click counted.
    const line = answer.type === 'context' ? answer.elements[0] : undefined;
    await tellClicker(client, b, line && 'text' in line ? line.text : mrkdwn(t.fairPrompt));
  };
