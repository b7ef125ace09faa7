import type {
  AllMiddlewareArgs,
  BlockAction,
  SlackActionMiddlewareArgs,
  SlackViewMiddlewareArgs,
  ViewSubmitAction,
} from '@slack/bolt';
import { z } from 'zod';
import { isAppError } from '../../../errors.js';
import { formToScenario, readForm } from '../../authoring/form.js';
import { publishHome } from '../../home.js';
import { MANAGERS_ONLY } from '../../people.js';
import type { TeamDeps } from '../../team.js';
import { createScenario, retireScenario } from '../../team-scenarios.js';
import { scenarioModalView, scenarioSavedView } from '../../views/scenario-modal.js';
import { BlockActionBodySchema } from '../actions/payload.js';
import { tellInDm } from '../drills/drill-home-actions.js';

type ActionArgs = SlackActionMiddlewareArgs<BlockAction> & AllMiddlewareArgs;
type ViewArgs = SlackViewMiddlewareArgs<ViewSubmitAction> & AllMiddlewareArgs;

const TriggerSchema = z.object({ trigger_id: z.string().min(1) });
const SubmitterSchema = z.object({ user: z.object({ id: z.string().min(1) }) });

/** App Home "New scenario" (managers): the authoring modal. */
export const onOpenScenarioModal =
  (deps: TeamDeps) =>
  async ({ ack, body, client }: ActionArgs) => {
    await ack();
    const b = BlockActionBodySchema.parse(body);
    const { trigger_id } = TriggerSchema.parse(body);
    if (!(await deps.people.isManager(b.user.id)))
      return void (await tellInDm(client, b.user.id, MANAGERS_ONLY));
    await client.views.open({ trigger_id, view: scenarioModalView() });
  };

/**
 * The authoring modal's submission. Problems go back onto the inputs they concern (response_action: errors);
 * a valid buyer is stored, available at once, and the modal turns into a confirmation with "Test this buyer".
 */
export const onScenarioModalSubmit =
  (deps: TeamDeps) =>
  async ({ ack, body, view, client }: ViewArgs) => {
    const userId = SubmitterSchema.parse(body).user.id;
    if (!(await deps.people.isManager(userId))) {
      return void (await ack({ response_action: 'errors', errors: { title: MANAGERS_ONLY } }));
    }
    const form = readForm(view.state.values);
    const at = deps.now();
    const build = (taken: ReadonlySet<string>) =>
      formToScenario(form, {
        // Any id in use, retired ones included: a new buyer never takes over an old one's sessions.
        isTaken: (id) =>
          taken.has(id) || deps.catalog.get(id) !== undefined || deps.catalog.origin(id) !== undefined,
        author: userId,
        at,
      });
    const result = build(new Set());
    if (!result.ok) return void (await ack({ response_action: 'errors', errors: result.errors }));
    let stored: Awaited<ReturnType<typeof createScenario>>;
    try {
      stored = await createScenario(deps, {
        build: (taken) => {
          const built = build(taken);
          if (!built.ok) throw new Error('the same form stopped being valid');
          return built;
        },
        by: userId,
      });
    } catch (err) {
      if (!isAppError(err)) throw err;
      return void (await ack({ response_action: 'errors', errors: { title: err.message } }));
    }
    await ack({
      response_action: 'update',
      view: scenarioSavedView({ id: stored.id, title: stored.title, replaced: false }),
    });
    await publishHome(deps, client, userId).catch((err: unknown) =>
      deps.logger.debug({ module: 'slack', err }, 'could not refresh App Home'),
    );
  };

/** App Home "Retire" on a scenario written in Slack (managers). */
export const onRetireButton =
  (deps: TeamDeps) =>
  async ({ ack, body, client }: ActionArgs) => {
    await ack();
    const b = BlockActionBodySchema.parse(body);
    const id = z.string().min(1).max(64).parse(b.actions[0]?.value);
    if (!(await deps.people.isManager(b.user.id)))
      return void (await tellInDm(client, b.user.id, MANAGERS_ONLY));
    try {
      await retireScenario(deps, { id, by: b.user.id });
    } catch (err) {
      if (!isAppError(err)) throw err;
      await tellInDm(client, b.user.id, err.message);
    }
    await publishHome(deps, client, b.user.id);
  };
