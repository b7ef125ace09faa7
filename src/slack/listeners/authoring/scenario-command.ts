import type { AllMiddlewareArgs, SlackCommandMiddlewareArgs } from '@slack/bolt';
import { MANAGERS_ONLY } from '../../people.js';
import type { TeamDeps } from '../../team.js';
import { retireScenario } from '../../team-scenarios.js';
import { escapeText } from '../../text.js';
import { scenarioModalView } from '../../views/scenario-modal.js';
import { replyTo, type TeamCommand } from '../drills/team-command.js';

const SCENARIO_USAGE =
  '`/spar scenario new` opens a form to write a buyer; `/spar scenario retire &lt;id&gt;` hides one written in Slack ' +
  'from the pickers. To add or replace a scenario from YAML, send me the .yaml file in a direct message.';

/** `/spar scenario new | retire <id>` (managers). */
export async function onScenarioCommand(
  deps: TeamDeps,
  { respond, client }: SlackCommandMiddlewareArgs & AllMiddlewareArgs,
  cmd: TeamCommand,
): Promise<void> {
  const reply = replyTo(respond);
  const [sub = '', id, ...extra] = cmd.rest.trim().split(/\s+/);
  const action = sub.toLowerCase();
  if (action !== 'new' && action !== 'retire')
    return void (await reply(`*Scenarios in Slack.* ${SCENARIO_USAGE}`));
  if (!(await deps.people.isManager(cmd.user_id))) return void (await reply(MANAGERS_ONLY));
  if (action === 'new') {
    if (!cmd.trigger_id) throw new Error('/spar scenario new without a trigger_id');
    await client.views.open({ trigger_id: cmd.trigger_id, view: scenarioModalView() });
    return;
  }
  if (!id || extra.length > 0)
    return void (await reply('Say which one: `/spar scenario retire &lt;id&gt;`.'));
  const { stored, drills } = await retireScenario(deps, { id: id.toLowerCase(), by: cmd.user_id });
  await reply(
    `:white_check_mark: *${escapeText(stored.title)}* (\`${stored.id}\`) is retired: gone from the pickers; its sessions stay readable.` +
      (drills.length > 0
        ? ` Weekly drills still use it and will fail to post until stopped: ${drills.map((d) => `\`${d}\``).join(', ')}.`
        : ''),
  );
}
