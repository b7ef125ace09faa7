import type { App } from '@slack/bolt';
import type { SlackDeps } from '../../deps.js';
import { directEvent } from '../direct.js';
import { onAppMention } from './app-mention.js';

export function register(app: App, deps: SlackDeps): void {
  app.use(directEvent('app_mention', () => true, onAppMention(deps)));
}
