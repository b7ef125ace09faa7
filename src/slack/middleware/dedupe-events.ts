import type { AnyMiddlewareArgs, Middleware } from '@slack/bolt';
import { z } from 'zod';
import { DEFAULT_EVENT_TAKEOVER_MS, type EventClaim } from '../../store/sessions.js';
import type { SlackDeps } from '../deps.js';
import { eventIntakeOf } from '../event-intake.js';

const EventIdSchema = z.object({ event_id: z.string().min(1).max(200) });

/**
 * Slack redelivers an event it thinks was not acknowledged in time (x-slack-retry-num), and with several
 * instances any of them may get it. The first claim of an event id, stored and shared, wins; a redelivery of
 * a stored one is skipped, and one still being handled is left for Slack to deliver again later (see
 * EventIntake). The inbox's unique external id (the message ts) is the second guard.
 */
export function dedupeEvents(
  deps: Pick<SlackDeps, 'store' | 'logger'> & { eventTakeOverMs?: number },
): Middleware<AnyMiddlewareArgs> {
  const log = deps.logger.child({ module: 'slack' });
  const takeOverAfterMs = deps.eventTakeOverMs ?? DEFAULT_EVENT_TAKEOVER_MS;
  return async ({ body, context, next }) => {
    const parsed = EventIdSchema.safeParse(body);
    if (!parsed.success) return next();
    const eventId = parsed.data.event_id;
    const intake = eventIntakeOf(context);
    let claim: EventClaim;
    try {
      claim = await deps.store.claimEvent(eventId, { takeOverAfterMs });
    } catch (err) {
      // The store is unreachable: nothing of this event can be kept, so Slack had better send it again.
      log.warn({ eventId, err }, 'could not claim a Slack event');
      if (intake) return intake.retryLater('the store is unavailable');
      throw err;
    }
    const retry = { eventId, retryNum: context.retryNum, retryReason: context.retryReason };
    if (claim === 'duplicate') {
      log.info(retry, 'duplicate event skipped');
      return;
    }
    if (claim === 'in_flight') {
      log.info(retry, 'event still being handled elsewhere');
      intake?.retryLater('another delivery of this event is being handled');
      return;
    }
    intake?.onStored(() =>
      deps.store
        .completeEvent(eventId)
        .catch((err) => log.warn({ eventId, err }, 'could not mark a Slack event stored')),
    );
    // Storing failed: the claim is given back, so that Slack's redelivery is handled afresh, not skipped as a
    // duplicate of something that was never kept. (Unreleased, it would still be taken over after the takeover
    // time, or at the next start of an embedded store.)
    intake?.onFailed(() =>
      deps.store
        .releaseEvent(eventId)
        .catch((err) => log.warn({ eventId, err }, 'could not release a Slack event claim')),
    );
    try {
      await next();
    } catch (err) {
      intake?.failed(err instanceof Error ? err.message : String(err));
      throw err;
    }
  };
}
