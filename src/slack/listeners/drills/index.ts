import type { App, BlockAction } from '@slack/bolt';
import { ACTION_IDS, VIEW_IDS } from '../../action-ids.js';
import type { TeamDeps } from '../../team.js';
import { onlyTeamCommands } from '../../team-commands.js';
import { onDrillAttempt } from './drill-attempt.js';
import { onDrillModalSubmit, onDrillStopButton, onOpenDrillModal } from './drill-home-actions.js';
import { onTeamCommand } from './team-command.js';

export function register(app: App, deps: TeamDeps): void {
  // The practice `/spar` listener skips these subcommands (skipTeamCommands), so exactly one listener acks.
  app.command('/spar', onlyTeamCommands, onTeamCommand(deps));
  app.action<BlockAction>(ACTION_IDS.drillAttempt, onDrillAttempt(deps));
  app.action<BlockAction>(ACTION_IDS.drillStop, onDrillStopButton(deps));
  app.action<BlockAction>(ACTION_IDS.drillScheduleOpen, onOpenDrillModal(deps));
  app.view(VIEW_IDS.drill, onDrillModalSubmit(deps));
}
