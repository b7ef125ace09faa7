import { AppError } from '../errors.js';
import type { Logger } from '../logger.js';
import { createCatalog, type ScenarioCatalog } from './catalog.js';
import { formatProblem, parseScenario } from './loader.js';
import type { Scenario } from './schema.js';

/** A scenario kept in the database (see src/store/scenarios.ts), as the catalog needs it. */
export type StoredScenarioSource = {
  /** Changes whenever a stored scenario is added, replaced or retired. */
  fingerprint(): Promise<string>;
  list(): Promise<ReadonlyArray<{ id: string; yaml: string; retiredAt: Date | null }>>;
};

export type ScenarioOrigin = 'file' | 'slack';

/**
 * The scenario files merged with the scenarios written in Slack, kept fresh: `refresh` reloads the stored ones
 * when their fingerprint changed, and `startRefresh` does it every few seconds, so every instance sees a new
 * scenario within that time (the instance that saved it calls `refresh` at once).
 *
 * Files win over stored scenarios with the same id (a file added later shadows one written in Slack). Retired
 * stored scenarios are left out of `all` and `summaries` (the pickers) and refused by `require` (nothing new
 * starts on them), but `get` still finds them, so sessions on them stay readable and can finish.
 */
export type LiveCatalog = ScenarioCatalog & {
  origin(id: string): ScenarioOrigin | undefined;
  isRetired(id: string): boolean;
  /** Reloads the stored scenarios if they changed; resolves true when something changed. */
  refresh(): Promise<boolean>;
  startRefresh(intervalMs?: number): void;
  stopRefresh(): void;
};

export async function createLiveCatalog(opts: {
  files: readonly Scenario[];
  source: StoredScenarioSource;
  logger: Logger;
}): Promise<LiveCatalog> {
  const log = opts.logger.child({ module: 'scenarios' });
  const fileIds = new Set(opts.files.map((s) => s.id));
  let fingerprint: string | null = null;
  let active: ScenarioCatalog = createCatalog(opts.files);
  let retired = new Map<string, Scenario>();
  let stored = new Set<string>();
  let chain: Promise<unknown> = Promise.resolve();
  let timer: NodeJS.Timeout | null = null;

  const load = async (): Promise<boolean> => {
    const current = await opts.source.fingerprint();
    if (current === fingerprint) return false;
    const rows = await opts.source.list();
    const live: Scenario[] = [];
    const gone = new Map<string, Scenario>();
    const ids = new Set<string>();
    for (const row of rows) {
      if (fileIds.has(row.id)) {
        log.warn(
          { scenarioId: row.id },
          'a scenario file has the id of a scenario written in Slack; the file wins',
        );
        continue;
      }
      // Checked when it was saved; checked again in case the schema has moved on since.
      const { scenario, problems } = parseScenario(row.yaml, `slack:${row.id}`);
      if (!scenario || scenario.id !== row.id) {
        for (const p of problems) log.warn({ scenarioId: row.id }, formatProblem(p));
        continue;
      }
      ids.add(row.id);
      if (row.retiredAt) gone.set(row.id, scenario);
      else live.push(scenario);
    }
    active = createCatalog([...opts.files, ...live]);
    retired = gone;
    stored = ids;
    fingerprint = current;
    log.info({ stored: live.length, retired: gone.size }, 'stored scenarios loaded');
    return true;
  };

  const refresh = (): Promise<boolean> => {
    // One reload at a time; a caller that arrives during one waits for it, then checks again.
    const next = chain.then(load);
    chain = next.catch(() => undefined);
    return next;
  };

  await refresh();

  return {
    all: () => active.all(),
    summaries: () => active.summaries(),
    get: (id) => active.get(id) ?? retired.get(id),
    require(id) {
      if (retired.has(id)) {
        throw new AppError('scenario_not_found', `The scenario "${id}" has been retired.`);
      }
      return active.require(id);
    },
    origin: (id) => (fileIds.has(id) ? 'file' : stored.has(id) ? 'slack' : undefined),
    isRetired: (id) => retired.has(id),
    refresh,
    startRefresh(intervalMs = 5_000) {
      if (timer || intervalMs <= 0) return;
      timer = setInterval(() => {
        refresh().catch((err: unknown) => log.warn({ err }, 'reloading stored scenarios failed'));
      }, intervalMs);
      timer.unref();
    },
    stopRefresh() {
      if (timer) clearInterval(timer);
      timer = null;
    },
  };
}
