import type { App } from '@slack/bolt';
import type { SlackDeps } from '../../deps.js';
import { onPracticeMessage } from './practice-message.js';

export function register(app: App, deps: SlackDeps): void {
  app.message(onPracticeMessage(deps));
}
