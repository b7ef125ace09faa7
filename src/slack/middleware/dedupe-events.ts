import type { AnyMiddlewareArgs, Middleware } from '@slack/bolt';
import { z } from 'zod';
import type { Logger } from '../../logger.js';
import { DEFAULT_EVENT_TAKEOVER_MS, type EventClaim } from '../../store/sessions.js';
import type { SlackDeps } from '../deps.js';
import { eventIntakeOf } from '../event-intake.js';

const EventIdSchema = z.object({ event_id: z.string().min(1).max(200) });

/**
 * A person's plain message or @mention of the app: its listener claims it itself (see deferredClaimOf), together
 * with what it stores (a reply queued in a session thread, a session started by a mention), and not at all when it
 * ignores it (a message in a channel, outside any thread).
 */
const PersonMessageSchema = z.object({
  event: z.object({
    type: z.enum(['message', 'app_mention']),
    subtype: z.undefined().optional(),
    bot_id: z.undefined().optional(),
    user: z.string().min(1),
    ts: z.string().min(1),
  }),
});

/**
 * An event whose claim is left to its listener: taken in the same statement as what it stores (a rep's message in
 * a thread, a mention that starts a session: one round trip before the acknowledgement instead of four or five),
 * or not at all when the listener does nothing with it. `claim()` takes it the usual way, before a listener does
 * anything else; false: a duplicate or still being handled (already answered), so the listener does nothing.
 */
export type DeferredClaim = { eventId: string; takeOverAfterMs: number; claim: () => Promise<boolean> };

const DEFERRED_KEY = 'sparringDeferredClaim';

/** The event's claim left to this listener, if it was (see DeferredClaim). */
export function deferredClaimOf(context: Record<string, unknown>): DeferredClaim | undefined {
  return context[DEFERRED_KEY] as DeferredClaim | undefined;
}

/**
 * Slack redelivers an event it thinks was not acknowledged in time (x-slack-retry-num), and with several
 * instances any of them may get it. The first claim of an event id, stored and shared, wins; a redelivery of
 * a stored one is skipped, and one still being handled is left for Slack to deliver again later (see
 * EventIntake). The inbox's unique external id (the message ts) is the second guard.
 */
/** What a delivery that is not to be handled is told: nothing for a duplicate, 503 while it is handled elsewhere. */
export function skipped(
  eventId: string,
  claim: 'duplicate' | 'in_flight',
  context: Record<string, unknown>,
  log: Logger,
): void {
  const retry = { eventId, retryNum: context.retryNum, retryReason: context.retryReason };
  if (claim === 'duplicate') {
    log.info(retry, 'duplicate event skipped');
    return;
  }
  log.info(retry, 'event still being handled elsewhere');
  eventIntakeOf(context)?.retryLater('another delivery of this event is being handled');
}

export function dedupeEvents(
  deps: Pick<SlackDeps, 'store' | 'logger'> & { eventTakeOverMs?: number },
): Middleware<AnyMiddlewareArgs> {
  const log = deps.logger.child({ module: 'slack' });
  const takeOverAfterMs = deps.eventTakeOverMs ?? DEFAULT_EVENT_TAKEOVER_MS;
  /** Claims the event (see claimEvent): true when this delivery is to be handled, false when it is answered. */
  const claimHere = async (eventId: string, context: Record<string, unknown>): Promise<boolean> => {
    const intake = eventIntakeOf(context);
    let claim: EventClaim;
    try {
      claim = await deps.store.claimEvent(eventId, { takeOverAfterMs });
    } catch (err) {
      // The store is unreachable: nothing of this event can be kept, so Slack had better send it again.
      log.warn({ eventId, err }, 'could not claim a Slack event');
      if (intake) {
        intake.retryLater('the store is unavailable');
        return false;
      }
      throw err;
    }
    if (claim !== 'claimed') {
      skipped(eventId, claim, context, log);
      return false;
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
    return true;
  };
  return async ({ body, context, next }) => {
    const parsed = EventIdSchema.safeParse(body);
    if (!parsed.success) return next();
    const eventId = parsed.data.event_id;
    const intake = eventIntakeOf(context);
    if (PersonMessageSchema.safeParse(body).success) {
      let claimed: Promise<boolean> | undefined;
      const deferred: DeferredClaim = {
        eventId,
        takeOverAfterMs,
        claim: () => {
          claimed ??= claimHere(eventId, context);
          return claimed;
        },
      };
      context[DEFERRED_KEY] = deferred;
    } else if (!(await claimHere(eventId, context))) {
      return;
    }
    try {
      await next();
    } catch (err) {
      intake?.failed(err instanceof Error ? err.message : String(err));
      throw err;
    }
  };
}
