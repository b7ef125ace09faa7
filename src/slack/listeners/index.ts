import type { App } from '@slack/bolt';
import type { SlackDeps } from '../deps.js';
import { dedupeEvents } from '../middleware/dedupe-events.js';
import * as actions from './actions/index.js';
import * as commands from './commands/index.js';
import * as events from './events/index.js';
import * as messages from './messages/index.js';

/** Wires every listener; the event dedupe runs before all of them. */
export function registerListeners(app: App, deps: SlackDeps): void {
  app.use(dedupeEvents(deps));
  commands.register(app, deps);
  messages.register(app, deps);
  actions.register(app, deps);
  events.register(app, deps);
}
