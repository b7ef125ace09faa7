import type { App, BlockAction } from '@slack/bolt';
import { ACTION_IDS } from '../../action-ids.js';
import type { TeamDeps } from '../../team.js';
import { onAppHomeOpened } from './app-home-opened.js';
import { onStartInDm } from './home-start.js';

export function register(app: App, deps: TeamDeps): void {
  app.event('app_home_opened', onAppHomeOpened(deps));
  app.action<BlockAction>(ACTION_IDS.homeStart, onStartInDm(deps));
  app.action<BlockAction>(ACTION_IDS.testBuyer, onStartInDm(deps));
}
