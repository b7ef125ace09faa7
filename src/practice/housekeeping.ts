import type { Logger } from '../logger.js';
import type { SessionStore } from '../store/sessions.js';

const DAY_MS = 86_400_000;

/** Deletes what is past its retention: old sessions (when SPARRING_RETENTION_DAYS is set) and stale event ids. */
export function createHousekeeping(deps: {
  store: Pick<SessionStore, 'deleteOlderThan' | 'pruneEvents'>;
  retentionDays?: number;
  logger: Logger;
  now?: () => Date;
}) {
  const log = deps.logger.child({ module: 'housekeeping' });
  const now = deps.now ?? (() => new Date());
  return {
    async run(): Promise<{ sessions: number; events: number }> {
      const at = now().getTime();
      // Deleting is idempotent, so instances that run this at the same time do no harm.
      const sessions = deps.retentionDays
        ? await deps.store.deleteOlderThan(new Date(at - deps.retentionDays * DAY_MS))
        : 0;
      const events = await deps.store.pruneEvents(new Date(at - DAY_MS));
      if (sessions > 0 || events > 0)
        log.info({ sessions, events, retentionDays: deps.retentionDays ?? null }, 'pruned');
      return { sessions, events };
    },
  };
}
