import type { App } from '@slack/bolt';
import type { SlackDeps } from '../../deps.js';
import { onSparCommand } from './spar-command.js';

export function register(app: App, deps: SlackDeps): void {
  app.command('/spar', onSparCommand(deps));
}
