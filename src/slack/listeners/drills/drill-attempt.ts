import type { AllMiddlewareArgs, BlockAction, SlackActionMiddlewareArgs } from '@slack/bolt';
import { z } from 'zod';
import { isAppError } from '../../../errors.js';
import { messages } from '../../../i18n/messages.js';
import { userMessage } from '../../errors.js';
import { tellUser } from '../../notices.js';
import type { TeamDeps } from '../../team.js';
import { startDrillAttempt } from '../../team-drills.js';
import { channelOf, parseAction } from '../actions/payload.js';

type Args = SlackActionMiddlewareArgs<BlockAction> & AllMiddlewareArgs;

const RunIdValueSchema = z.string().min(1).max(200);

/** "Start my attempt" on a weekly drill post: the rep's own practice thread, in their DM or the channel. */
export const onDrillAttempt =
  (deps: TeamDeps) =>
  async ({ ack, body, client }: Args) => {
    await ack();
    const { body: b, value: runId } = parseAction(body, RunIdValueSchema);
    const channel = channelOf(b);
    if (!channel) throw new Error('drill button without a channel');
    const tell = (text: string) => tellUser(client, { channel, user: b.user.id }, text);
    try {
      const result = await startDrillAttempt(deps, client, {
        runId,
        userId: b.user.id,
        teamId: b.team?.id ?? null,
      });
      if (result.text) await tell(result.text);
    } catch (err) {
      if (!isAppError(err)) throw err;
      deps.logger.warn({ module: 'slack', code: err.code, runId }, 'could not start a drill attempt');
      await tell(userMessage(err, messages('en')));
    }
  };
