import type { AllMiddlewareArgs, BlockAction, SlackActionMiddlewareArgs } from '@slack/bolt';
import type { SlackDeps } from '../../deps.js';
import { startFromButton } from '../../start-session.js';
import { channelOf, parseAction, ScenarioIdValueSchema } from './payload.js';

type Args = SlackActionMiddlewareArgs<BlockAction> & AllMiddlewareArgs;

/**
 * Start (picker) and Try again (feedback card): a new session on the button's scenario, in a new thread of the
 * conversation the button is in.
 */
export const onStartScenario =
  (deps: SlackDeps, opts: { closePicker: boolean }) =>
  async ({ ack, body, client, respond }: Args) => {
    await ack();
    const { body: b, value: scenarioId } = parseAction(body, ScenarioIdValueSchema);
    const channelId = channelOf(b);
    if (!channelId) throw new Error('block action without a channel');
    const started = await startFromButton(
      deps,
      client,
      { scenarioId, userId: b.user.id, teamId: b.team?.id ?? null, channelId },
      'a button',
    );
    if (!started) return;
    // The picker has done its job; a stale one invites a second session by accident.
    if (opts.closePicker) {
      await respond({ delete_original: true }).catch((err: unknown) =>
        deps.logger.debug({ module: 'slack', err }, 'could not remove the picker'),
      );
    }
  };
