import type { AllMiddlewareArgs, SlackCommandMiddlewareArgs } from '@slack/bolt';
import { z } from 'zod';
import { isAppError } from '../../../errors.js';
import { messages } from '../../../i18n/messages.js';
import type { SlackDeps } from '../../deps.js';
import { userMessage } from '../../errors.js';
import { sparAnswer, sparArgument } from '../../notices.js';
import { localeLanguage } from '../../people.js';
import { startInSlack } from '../../start-session.js';

const CommandSchema = z.object({
  text: z.string().max(4000).default(''),
  user_id: z.string().min(1),
  channel_id: z.string().min(1),
  team_id: z.string().nullish(),
});

/**
 * `/spar` (picker), `/spar help`, `/spar list`, `/spar <scenario-id>`. Answers that need no I/O go back in the
 * acknowledgement itself; a start acknowledges first and then posts.
 */
export const onSparCommand =
  (deps: SlackDeps) =>
  async ({ command, ack, respond, client }: SlackCommandMiddlewareArgs & AllMiddlewareArgs) => {
    const parsed = CommandSchema.safeParse(command);
    if (!parsed.success) {
      // Text too long to be a scenario id is the user's input, not a bug: they hear why nothing happened.
      if (typeof command.text === 'string' && command.text.length > 4000) {
        return ack({
          response_type: 'ephemeral',
          text: 'That is too long for `/spar`. Type `/spar` to pick a scenario.',
        });
      }
      await ack();
      throw new Error(`unexpected /spar payload: ${parsed.error.issues[0]?.message}`);
    }
    const cmd = parsed.data;
    const arg = sparArgument(cmd.text);
    if (arg === '') {
      // The picker leads with the user's language (Slack locale): asked after the acknowledgement.
      await ack();
      const picker = sparAnswer('', deps, await localeLanguage(client, cmd.user_id));
      if (picker) await respond({ response_type: 'ephemeral', ...picker });
      return;
    }
    const answer = sparAnswer(arg, deps);
    if (answer) return ack({ response_type: 'ephemeral', ...answer });

    await ack();
    try {
      await startInSlack(deps, client, {
        scenarioId: arg,
        userId: cmd.user_id,
        teamId: cmd.team_id ?? null,
        channelId: cmd.channel_id,
      });
    } catch (err) {
      if (!isAppError(err)) throw err;
      deps.logger.warn({ module: 'slack', code: err.code, scenarioId: arg }, '/spar could not start');
      await respond({ response_type: 'ephemeral', text: userMessage(err, messages('en')) });
    }
  };
