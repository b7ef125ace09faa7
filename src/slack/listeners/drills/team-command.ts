import type { AllMiddlewareArgs, RespondFn, SlackCommandMiddlewareArgs } from '@slack/bolt';
import { z } from 'zod';
import { isAppError } from '../../../errors.js';
import type { KnownBlock } from '../../blocks/kit.js';
import type { TeamDeps } from '../../team.js';
import { escapeText } from '../../text.js';
import { onScenarioCommand } from '../authoring/scenario-command.js';
import { onDrillCommand } from './drill-command.js';

export const TeamCommandSchema = z.object({
  text: z.string().max(4000).default(''),
  user_id: z.string().min(1),
  channel_id: z.string().min(1),
  team_id: z.string().nullish(),
  trigger_id: z.string().nullish(),
});
export type TeamCommand = z.infer<typeof TeamCommandSchema> & { rest: string };

/** An ephemeral answer to the person who typed the command (mrkdwn). */
export const replyTo = (respond: RespondFn) => (text: string, blocks?: KnownBlock[]) =>
  respond({ response_type: 'ephemeral', text, ...(blocks ? { blocks } : {}) });

/**
 * `/spar drill …` and `/spar scenario …`. Acknowledged at once (they may ask Slack who the user is, post in the
 * channel or open a modal), answered privately through the response URL. AppErrors become that answer.
 */
export const onTeamCommand =
  (deps: TeamDeps) => async (args: SlackCommandMiddlewareArgs & AllMiddlewareArgs) => {
    const { command, ack, respond } = args;
    await ack();
    const parsed = TeamCommandSchema.parse(command);
    const [sub = '', ...words] = parsed.text.trim().split(/\s+/);
    const cmd: TeamCommand = { ...parsed, rest: words.join(' ') };
    try {
      if (sub.toLowerCase().startsWith('drill')) await onDrillCommand(deps, args, cmd);
      else await onScenarioCommand(deps, args, cmd);
    } catch (err) {
      if (!isAppError(err)) throw err;
      deps.logger.info({ module: 'slack', code: err.code, sub }, 'team command refused');
      await replyTo(respond)(`:warning: ${escapeText(err.message)}`);
    }
  };
