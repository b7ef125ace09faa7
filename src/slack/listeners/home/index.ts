import type { App, BlockAction, ViewSubmitAction } from '@slack/bolt';
import { ACTION_IDS, VIEW_IDS } from '../../action-ids.js';
import type { TeamDeps } from '../../team.js';
import { onOpenVerdictCorrection, onVerdictCorrectionSubmit } from '../actions/verdict-correct.js';
import { onVerdictFair } from '../actions/verdict-fair.js';
import { onAppHomeOpened } from './app-home-opened.js';
import { onStartInDm } from './home-start.js';

export function register(app: App, deps: TeamDeps): void {
  app.event('app_home_opened', onAppHomeOpened(deps));
  app.action<BlockAction>(ACTION_IDS.homeStart, onStartInDm(deps));
  app.action<BlockAction>(ACTION_IDS.testBuyer, onStartInDm(deps));
  // The feedback card's verdict actions need the team's stores and the manager check, so they register here.
  app.action<BlockAction>(ACTION_IDS.verdictFair, onVerdictFair(deps, true));
  app.action<BlockAction>(ACTION_IDS.verdictUnfair, onVerdictFair(deps, false));
  app.action<BlockAction>(ACTION_IDS.verdictCorrect, onOpenVerdictCorrection(deps));
  app.view<ViewSubmitAction>(VIEW_IDS.verdictCorrection, onVerdictCorrectionSubmit(deps));
}
