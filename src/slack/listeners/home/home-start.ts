import type { AllMiddlewareArgs, BlockAction, SlackActionMiddlewareArgs } from '@slack/bolt';
import { isAppError } from '../../../errors.js';
import { messages } from '../../../i18n/messages.js';
import { userMessage } from '../../errors.js';
import { openDm } from '../../home.js';
import { tellUser } from '../../notices.js';
import { startInSlack } from '../../start-session.js';
import type { TeamDeps } from '../../team.js';
import { channelOf, parseAction, ScenarioIdValueSchema } from '../actions/payload.js';

type Args = SlackActionMiddlewareArgs<BlockAction> & AllMiddlewareArgs;

/**
 * "Start" on App Home and "Test this buyer" (upload reply, saved modal): a session on the button's scenario,
 * in the conversation the button is in, or in the user's direct messages with Sparring when it is in App Home or
 * a modal (which have no conversation).
 */
export const onStartInDm =
  (deps: TeamDeps) =>
  async ({ ack, body, client }: Args) => {
    await ack();
    const { body: b, value: scenarioId } = parseAction(body, ScenarioIdValueSchema);
    const channelId = channelOf(b) ?? (await openDm(client, b.user.id));
    try {
      await startInSlack(deps, client, {
        scenarioId,
        userId: b.user.id,
        teamId: b.team?.id ?? null,
        channelId,
      });
    } catch (err) {
      if (!isAppError(err)) throw err;
      deps.logger.warn({ module: 'slack', code: err.code, scenarioId }, 'could not start from App Home');
      await tellUser(client, { channel: channelId, user: b.user.id }, userMessage(err, messages('en')));
    }
  };
