import type { AnyMiddlewareArgs, Middleware } from '@slack/bolt';
import { z } from 'zod';
import type { SlackDeps } from '../deps.js';

const EventIdSchema = z.object({ event_id: z.string().min(1).max(200) });

/**
 * Slack redelivers an event it thinks was not acknowledged in time (x-slack-retry-num), and with several
 * instances any of them may get it. The first claim of an event id, stored and shared, wins; the rest are
 * skipped. The inbox's unique external id (the message ts) is the second guard.
 */
export function dedupeEvents(deps: Pick<SlackDeps, 'store' | 'logger'>): Middleware<AnyMiddlewareArgs> {
  const log = deps.logger.child({ module: 'slack' });
  return async ({ body, context, next }) => {
    const parsed = EventIdSchema.safeParse(body);
    if (parsed.success && !(await deps.store.claimEvent(parsed.data.event_id))) {
      log.info(
        { eventId: parsed.data.event_id, retryNum: context.retryNum, retryReason: context.retryReason },
        'duplicate event skipped',
      );
      return;
    }
    await next();
  };
}
