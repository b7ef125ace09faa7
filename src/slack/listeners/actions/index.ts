import type { App, BlockAction } from '@slack/bolt';
import { ACTION_IDS } from '../../action-ids.js';
import type { SlackDeps } from '../../deps.js';
import { onEndSession } from './end-session.js';
import { onRetryReply } from './retry-reply.js';
import { onStartScenario } from './start-scenario.js';

export function register(app: App, deps: SlackDeps): void {
  app.action<BlockAction>(ACTION_IDS.start, onStartScenario(deps, { closePicker: true }));
  app.action<BlockAction>(ACTION_IDS.tryAgain, onStartScenario(deps, { closePicker: false }));
  app.action<BlockAction>(ACTION_IDS.end, onEndSession(deps));
  app.action<BlockAction>(ACTION_IDS.retry, onRetryReply(deps));
}
