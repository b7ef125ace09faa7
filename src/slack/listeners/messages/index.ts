import type { App } from '@slack/bolt';
import type { SlackDeps } from '../../deps.js';
import { directEvent } from '../direct.js';
import { onPracticeMessage } from './practice-message.js';

export function register(app: App, deps: SlackDeps): void {
  // A person's plain message, the request of every turn. Edits, deletions, files and bots (a subtype) are not
  // for the buyer; a file shared in the DM goes on to the scenario upload (src/slack/team.ts).
  app.use(directEvent('message', (e) => e.subtype === undefined, onPracticeMessage(deps)));
}
