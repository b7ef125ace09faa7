import type { Logger } from '../logger.js';
import type { SessionStore } from '../store/sessions.js';

const DAY_MS = 86_400_000;
/** Slack refuses a signed request older than 5 minutes; replayed signatures only need remembering that long. */
const REPLAY_WINDOW_MS = 10 * 60_000;

/**
 * Deletes what is past its retention: ended sessions inactive for SPARRING_RETENTION_DAYS (when set), stale event
 * ids, and request signatures older than the replay window.
 */
export function createHousekeeping(deps: {
  store: Pick<SessionStore, 'deleteInactiveSince' | 'pruneEvents' | 'pruneRequests'>;
  retentionDays?: number;
  logger: Logger;
  now?: () => Date;
}) {
  const log = deps.logger.child({ module: 'housekeeping' });
  const now = deps.now ?? (() => new Date());
  return {
    async run(): Promise<{ sessions: number; events: number; requests: number }> {
      const at = now().getTime();
      // Deleting is idempotent, so instances that run this at the same time do no harm.
      // By last activity, and never a session still open: a conversation going on for weeks is not "old".
      const sessions = deps.retentionDays
        ? await deps.store.deleteInactiveSince(new Date(at - deps.retentionDays * DAY_MS))
        : 0;
      const events = await deps.store.pruneEvents(new Date(at - DAY_MS));
      const requests = await deps.store.pruneRequests(new Date(at - REPLAY_WINDOW_MS));
      if (sessions > 0 || events > 0)
        log.info({ sessions, events, requests, retentionDays: deps.retentionDays ?? null }, 'pruned');
      return { sessions, events, requests };
    },
  };
}
