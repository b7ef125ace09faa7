import type {
  AllMiddlewareArgs,
  BlockAction,
  SlackActionMiddlewareArgs,
  SlackViewMiddlewareArgs,
  ViewSubmitAction,
} from '@slack/bolt';
import { z } from 'zod';
import { messages } from '../../../i18n/messages.js';
import { publishHome } from '../../home.js';
import type { TeamDeps } from '../../team.js';
import { escapeText, mrkdwn } from '../../text.js';
import {
  CORRECTION_FIELDS,
  CorrectionMetadataSchema,
  readCorrectionForm,
  verdictModalView,
} from '../../views/verdict-modal.js';
import { BlockActionBodySchema, SessionIdValueSchema } from './payload.js';
import { tellClicker } from './verdict-fair.js';

type ActionArgs = SlackActionMiddlewareArgs<BlockAction> & AllMiddlewareArgs;
type ViewArgs = SlackViewMiddlewareArgs<ViewSubmitAction> & AllMiddlewareArgs;

/** A button carries the session in `value`, the card's ⋯ menu in `selected_option.value`. */
const ClickSchema = z.object({
  trigger_id: z.string().min(1),
  actions: z
    .array(
      z.object({
        value: z.string().optional(),
        selected_option: z.object({ value: z.string() }).nullish(),
      }),
    )
    .min(1),
});

/**
 * "Correct the verdict" (the card's ⋯ menu, App Home's Correct): the correction modal, for managers only.
 * Everyone else gets a note only they see.
 */
export const onOpenVerdictCorrection =
  (deps: TeamDeps) =>
  async ({ ack, body, client }: ActionArgs) => {
    await ack();
    const b = BlockActionBodySchema.parse(body);
    const click = ClickSchema.parse(body);
    const action = click.actions[0]!;
    const sessionId = SessionIdValueSchema.parse(action.selected_option?.value ?? action.value);
    const session = await deps.store.get(sessionId);
    const t = messages(session?.language);
    if (!(await deps.people.isManager(b.user.id))) {
      return void (await tellClicker(client, b, mrkdwn(t.managersOnlyCorrect)));
    }
    if (!session) return void (await tellClicker(client, b, mrkdwn(t.correctionSessionGone)));
    const [feedback, history] = await Promise.all([
      deps.store.feedback(sessionId),
      deps.verdicts.corrections(sessionId),
    ]);
    await client.views.open({
      trigger_id: click.trigger_id,
      view: verdictModalView({
        t,
        sessionId,
        coachVerdict: feedback?.verdict ?? null,
        current: history.at(-1) ?? null,
      }),
    });
  };

const SubmissionSchema = z.object({
  user: z.object({ id: z.string().min(1) }),
  view: z.object({ private_metadata: z.string() }),
});

/**
 * The correction modal's submission: stored beside the coach's verdict (which is never changed), said in the
 * session thread so the rep sees it, and App Home republished for the manager.
 */
export const onVerdictCorrectionSubmit =
  (deps: TeamDeps) =>
  async ({ ack, body, view, client }: ViewArgs) => {
    const submission = SubmissionSchema.parse(body);
    const managerId = submission.user.id;
    const { sessionId } = CorrectionMetadataSchema.parse(JSON.parse(submission.view.private_metadata));
    const session = await deps.store.get(sessionId);
    const t = messages(session?.language);
    // Checked again here: a modal can outlive its opener's rights.
    if (!(await deps.people.isManager(managerId))) {
      return void (await ack({
        response_action: 'errors',
        errors: { [CORRECTION_FIELDS.verdict]: t.managersOnlyCorrect },
      }));
    }
    if (!session) {
      return void (await ack({
        response_action: 'errors',
        errors: { [CORRECTION_FIELDS.verdict]: t.correctionSessionGone },
      }));
    }
    const form = readCorrectionForm(view.state.values, t);
    if (!form.ok) return void (await ack({ response_action: 'errors', errors: form.errors }));
    const coach = await deps.store.feedback(sessionId);
    await deps.verdicts.correct({
      sessionId,
      managerId,
      verdict: form.verdict,
      labels: form.labels,
      note: form.note,
      at: deps.now(),
    });
    await ack();
    deps.logger.info(
      { sessionId, managerId, verdict: form.verdict, coach: coach?.verdict },
      'verdict corrected',
    );

    if (session.channelId && session.threadTs) {
      const lines = [
        mrkdwn(t.correctionPosted, {
          manager: `<@${managerId}>`,
          verdict: escapeText(t.verdict[form.verdict]),
          coach: escapeText(coach ? t.verdict[coach.verdict] : '—'),
        }),
        ...(form.note ? [mrkdwn(t.correctionNoteLine, { note: escapeText(form.note) })] : []),
      ];
      await client.chat.postMessage({
        channel: session.channelId,
        thread_ts: session.threadTs,
        text: lines.join('\n'),
        unfurl_links: false,
        unfurl_media: false,
      });
    }
    await publishHome(deps, client, managerId);
  };
