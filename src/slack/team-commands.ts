import type { AllMiddlewareArgs, SlackCommandMiddlewareArgs } from '@slack/bolt';
import { sparArgument } from './notices.js';

/** `/spar` subcommands for teams and managers; everything else is a scenario id or a practice command. */
const TEAM_SUBCOMMANDS = new Set(['drill', 'drills', 'scenario', 'scenarios']);

/** `/spar drill …` and `/spar scenario …` are handled by the team listeners, not by the practice picker. */
export const isTeamCommand = (text: string): boolean => TEAM_SUBCOMMANDS.has(sparArgument(text));

type Args = SlackCommandMiddlewareArgs & AllMiddlewareArgs;

/** Listener middleware: lets only team subcommands through. */
export const onlyTeamCommands = async ({ command, next }: Args): Promise<void> => {
  if (isTeamCommand(command.text ?? '')) await next();
};

/** Listener middleware: lets everything but team subcommands through (for the practice `/spar` listener). */
export const skipTeamCommands = async ({ command, next }: Args): Promise<void> => {
  if (!isTeamCommand(command.text ?? '')) await next();
};
