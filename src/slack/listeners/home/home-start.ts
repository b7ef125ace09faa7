import type { AllMiddlewareArgs, BlockAction, SlackActionMiddlewareArgs } from '@slack/bolt';
import { openDm } from '../../home.js';
import { startFromButton } from '../../start-session.js';
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
    await startFromButton(
      deps,
      client,
      { scenarioId, userId: b.user.id, teamId: b.team?.id ?? null, channelId },
      'App Home',
    );
  };
