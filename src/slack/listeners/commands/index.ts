import type { App } from '@slack/bolt';
import type { SlackDeps } from '../../deps.js';
import { skipTeamCommands } from '../../team-commands.js';
import { onSparCommand } from './spar-command.js';

export function register(app: App, deps: SlackDeps): void {
  // `/spar drill …` and `/spar scenario …` belong to the team listeners (src/slack/team.ts).
  app.command('/spar', skipTeamCommands, onSparCommand(deps));
}
