import type { App } from '@slack/bolt';
import { createDrillScheduler, type DrillScheduler } from '../drills/scheduler.js';
import type { LiveCatalog } from '../scenarios/live-catalog.js';
import type { Db } from '../store/db.js';
import { createDrillStore, type DrillStore } from '../store/drills.js';
import { createScenarioStore, type ScenarioStore } from '../store/scenarios.js';
import { createStatsStore, type StatsStore } from '../store/stats.js';
import { createVerdictStore, type VerdictStore } from '../store/verdicts.js';
import type { SlackDeps } from './deps.js';
import { createSlackDrillPoster } from './drill-poster.js';
import * as authoring from './listeners/authoring/index.js';
import * as drills from './listeners/drills/index.js';
import * as home from './listeners/home/index.js';
import { createPeople, type People } from './people.js';

/** What the team listeners (drills, App Home, authoring) get on top of the practice listeners' deps. */
export type TeamDeps = SlackDeps & {
  catalog: LiveCatalog;
  drills: DrillStore;
  scenarios: ScenarioStore;
  stats: StatsStore;
  /** The reps' 👍/👎 and the managers' corrections of verdicts (issue 12). */
  verdicts: VerdictStore;
  people: People;
  scheduler: DrillScheduler;
  now: () => Date;
};

export type TeamOptions = SlackDeps & {
  app: App;
  db: Db;
  catalog: LiveCatalog;
  instanceId?: string;
  /** The clock of the drill scheduler and the stores' timestamps; tests pass a fake one. */
  now?: () => Date;
  /** Tests pass a fake directory of users; otherwise users.info through the app's client. */
  people?: People;
};

export type TeamFeatures = {
  deps: TeamDeps;
  /** Starts the drill scheduler (a tick now, then every `tickMs`) and the catalog refresh (every `refreshMs`). */
  start(opts?: { tickMs?: number; refreshMs?: number }): void;
  stop(): Promise<void>;
};

/**
 * Weekly drills, App Home and scenario authoring: builds their stores and scheduler over the shared database and
 * registers their listeners. Call after `registerListeners` (the practice listeners) and `start` once the app
 * is listening.
 */
export function createTeamFeatures(opts: TeamOptions): TeamFeatures {
  const { app, db, catalog, logger } = opts;
  const now = opts.now ?? (() => new Date());
  const drillStore = createDrillStore(db);
  const scheduler = createDrillScheduler({
    store: drillStore,
    poster: createSlackDrillPoster({ client: app.client, catalog, logger }),
    logger,
    now,
    instanceId: opts.instanceId,
  });
  const deps: TeamDeps = {
    practice: opts.practice,
    store: opts.store,
    config: opts.config,
    logger,
    mode: opts.mode,
    catalog,
    drills: drillStore,
    scenarios: createScenarioStore(db),
    stats: createStatsStore(db),
    verdicts: createVerdictStore(db),
    people: opts.people ?? createPeople({ client: app.client, managers: opts.config.managers, logger }),
    scheduler,
    now,
  };
  drills.register(app, deps);
  home.register(app, deps);
  authoring.register(app, deps);
  return {
    deps,
    start({ tickMs = 30_000, refreshMs = 5_000 } = {}) {
      catalog.startRefresh(refreshMs);
      scheduler.startTimer(tickMs);
    },
    async stop() {
      catalog.stopRefresh();
      await scheduler.shutdown();
    },
  };
}
