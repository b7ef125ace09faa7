import type { App, BlockAction } from '@slack/bolt';
import { ACTION_IDS, VIEW_IDS } from '../../action-ids.js';
import type { TeamDeps } from '../../team.js';
import { onOpenScenarioModal, onRetireButton, onScenarioModalSubmit } from './scenario-modal.js';
import { onScenarioUpload } from './scenario-upload.js';

export function register(app: App, deps: TeamDeps): void {
  // File shares have a subtype, so the practice message listener leaves them to this one.
  app.message(onScenarioUpload(deps));
  app.action<BlockAction>(ACTION_IDS.scenarioNew, onOpenScenarioModal(deps));
  app.action<BlockAction>(ACTION_IDS.scenarioRetire, onRetireButton(deps));
  app.view(VIEW_IDS.scenario, onScenarioModalSubmit(deps));
}
