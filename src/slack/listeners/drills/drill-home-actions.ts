import type {
  AllMiddlewareArgs,
  BlockAction,
  SlackActionMiddlewareArgs,
  SlackViewMiddlewareArgs,
  ViewSubmitAction,
} from '@slack/bolt';
import { z } from 'zod';
import { parseTime } from '../../../drills/schedule.js';
import { isAppError } from '../../../errors.js';
import { publishHome } from '../../home.js';
import { managersOnly } from '../../people.js';
import type { TeamDeps } from '../../team.js';
import { scheduleDrill, stopDrill } from '../../team-drills.js';
import { DRILL_FIELDS, drillModalView, readDrillForm } from '../../views/drill-modal.js';
import { BlockActionBodySchema } from '../actions/payload.js';

type ActionArgs = SlackActionMiddlewareArgs<BlockAction> & AllMiddlewareArgs;
type ViewArgs = SlackViewMiddlewareArgs<ViewSubmitAction> & AllMiddlewareArgs;

const TriggerSchema = z.object({ trigger_id: z.string().min(1) });
const DrillIdValueSchema = z.string().regex(/^d[a-z0-9]{3,20}$/);

/** A note in the user's direct messages with Sparring: App Home has no ephemeral messages. */
export const tellInDm = (client: ActionArgs['client'], userId: string, text: string) =>
  client.chat.postMessage({ channel: userId, text });

/** App Home "Stop" on a drill (managers). */
export const onDrillStopButton =
  (deps: TeamDeps) =>
  async ({ ack, body, client }: ActionArgs) => {
    await ack();
    const b = BlockActionBodySchema.parse(body);
    const drillId = DrillIdValueSchema.parse(b.actions[0]?.value);
    if (!(await deps.people.isManager(b.user.id)))
      return void (await tellInDm(client, b.user.id, await managersOnly(deps.people, b.user.id)));
    await stopDrill(deps, client, drillId, b.user.id);
    await publishHome(deps, client, b.user.id);
  };

/** App Home "Schedule a drill" (managers): the modal, with the scenarios to choose from. */
export const onOpenDrillModal =
  (deps: TeamDeps) =>
  async ({ ack, body, client }: ActionArgs) => {
    await ack();
    const b = BlockActionBodySchema.parse(body);
    const { trigger_id } = TriggerSchema.parse(body);
    if (!(await deps.people.isManager(b.user.id)))
      return void (await tellInDm(client, b.user.id, await managersOnly(deps.people, b.user.id)));
    const timeZone = await deps.people.timeZone(b.user.id).catch(() => null);
    await client.views.open({
      trigger_id,
      view: drillModalView({ scenarios: deps.catalog.summaries(), timeZone }),
    });
  };

const SubmitterSchema = z.object({
  user: z.object({ id: z.string().min(1) }),
  team: z.object({ id: z.string() }).nullish(),
});

/** The drill modal's submission: checked, scheduled and announced, or the problem shown on its input. */
export const onDrillModalSubmit =
  (deps: TeamDeps) =>
  async ({ ack, body, view, client }: ViewArgs) => {
    const submitter = SubmitterSchema.parse(body);
    const userId = submitter.user.id;
    const form = readDrillForm(view.state.values);
    const errors: Record<string, string> = {};
    const time = parseTime(form.time);
    const weekday = Number(form.weekday);
    if (!form.channelId) errors[DRILL_FIELDS.channel] = 'Choose the team channel.';
    if (!form.scenarioId) errors[DRILL_FIELDS.scenario] = 'Choose a scenario.';
    if (!Number.isInteger(weekday) || weekday < 0 || weekday > 6 || form.weekday === '')
      errors[DRILL_FIELDS.weekday] = 'Choose a weekday.';
    if (!time) errors[DRILL_FIELDS.time] = 'Choose a time.';
    if (!(await deps.people.isManager(userId)))
      errors[DRILL_FIELDS.channel] = await managersOnly(deps.people, userId);
    if (Object.keys(errors).length > 0 || !time)
      return void (await ack({ response_action: 'errors', errors }));
    try {
      await scheduleDrill(deps, client, {
        userId,
        teamId: submitter.team?.id ?? null,
        channelId: form.channelId,
        scenarioId: form.scenarioId,
        weekday,
        time,
        publicAttempts: form.publicAttempts,
      });
    } catch (err) {
      if (!isAppError(err)) throw err;
      const block = err.code === 'scenario_not_found' ? DRILL_FIELDS.scenario : DRILL_FIELDS.channel;
      const message =
        err.code === 'forbidden'
          ? 'Sparring is not in this channel. Invite it with /invite @Sparring, then try again.'
          : err.message;
      return void (await ack({ response_action: 'errors', errors: { [block]: message } }));
    }
    await ack();
    await publishHome(deps, client, userId);
  };
