import { randomBytes, randomUUID } from 'node:crypto';
import { AppError, isAppError } from '../errors.js';
import type { Logger } from '../logger.js';
import type { Drill, DrillRun, DrillStore, DrillTally } from '../store/drills.js';
import { dueOccurrence, isValidTimeZone, nextOccurrence } from './schedule.js';
import { type DrillReport, drillReport } from './summary.js';

/** Why a run closed: its week ended, a manager asked for the results, or the drill was stopped. */
export type CloseReason = 'schedule' | 'results' | 'stopped';

/**
 * Where drills appear (Slack). Each call returns the posted message's ts. Throwing AppError('forbidden') or
 * AppError('scenario_not_found') means "this will not work by trying again": the run is marked failed.
 * Anything else is transient: the claim is released and the next tick tries again.
 */
export type DrillPoster = {
  /**
   * Posts the drill. `retry` is true when an earlier attempt may have posted it before failing or crashing:
   * the poster then looks for that post first and returns its ts instead of posting twice.
   */
  postDrill(drill: Drill, run: DrillRun, opts: { retry: boolean }): Promise<string | null>;
  postSummary(
    drill: Drill,
    run: DrillRun,
    report: DrillReport,
    opts: { retry: boolean },
  ): Promise<string | null>;
  /** Tells the drill's manager that a run could not be posted (optional). */
  reportFailure?(drill: Drill, run: DrillRun, error: AppError): Promise<void>;
  /**
   * Rewrites the run's post (at `run.messageTs`) with its tally; `closed` once the run is over, which takes the
   * start button away (optional).
   */
  updatePost?(drill: Drill, run: DrillRun, tally: DrillTally, opts: { closed: boolean }): Promise<void>;
};

export type DrillSchedulerDeps = {
  store: DrillStore;
  poster: DrillPoster;
  logger: Logger;
  /** The clock; tests pass a fake one. */
  now?: () => Date;
  /** Identifies this instance in claims. */
  instanceId?: string;
  /** How long a post or close claim lasts before another instance may take it over. */
  leaseMs?: number;
  newId?: () => string;
};

export type ScheduleInput = Pick<
  Drill,
  'teamId' | 'channelId' | 'scenarioId' | 'weekday' | 'time' | 'timeZone' | 'createdBy'
> & { publicAttempts?: boolean };

export type TickResult = { posted: string[]; closed: string[] };

export type DrillScheduler = ReturnType<typeof createDrillScheduler>;

const ID_ALPHABET = 'abcdefghjkmnpqrstuvwxyz23456789';
/** Short drill ids that are easy to type in `/spar drill stop <id>`: "d" and six letters or digits. */
export const newDrillId = (): string =>
  `d${Array.from(randomBytes(6), (b) => ID_ALPHABET[b % ID_ALPHABET.length]).join('')}`;

/**
 * Weekly drills across any number of instances. Each tick closes the runs whose week is over (posting their
 * summary) and posts the due occurrence of every drill. A post is decided by an insert of (drill, slot): the
 * instance whose insert lands posts, the others skip. A slot missed while every instance was down is posted at
 * the next tick (late, never twice); only the latest missed slot, so a week of downtime gives one post, not many.
 */
export function createDrillScheduler(deps: DrillSchedulerDeps) {
  const { store, poster } = deps;
  const log = deps.logger.child({ module: 'drills' });
  const now = deps.now ?? (() => new Date());
  const owner = deps.instanceId ?? randomUUID();
  const leaseMs = deps.leaseMs ?? 5 * 60_000;
  const newId = deps.newId ?? newDrillId;
  let running: Promise<TickResult> | null = null;
  let timer: NodeJS.Timeout | null = null;

  const failure = (err: unknown) => (err instanceof Error ? err.message : String(err));
  const permanent = (err: unknown): err is AppError =>
    isAppError(err, 'forbidden') || isAppError(err, 'scenario_not_found');

  const post = async (drill: Drill, run: DrillRun): Promise<boolean> => {
    try {
      const ts = await poster.postDrill(drill, run, { retry: run.attempts > 1 });
      const recorded = await store.markPosted(run.id, owner, { ts, at: now() });
      if (!recorded) log.warn({ runId: run.id }, 'drill posted, but the claim had moved on');
      log.info({ drillId: drill.id, runId: run.id, slot: run.slot, ts }, 'drill posted');
      return true;
    } catch (err) {
      if (permanent(err)) {
        log.warn({ drillId: drill.id, runId: run.id, code: err.code, err }, 'drill cannot be posted');
        await store.markFailed(run.id, `${err.code}: ${err.message}`, now());
        await poster.reportFailure?.(drill, run, err).catch((e) => log.debug({ err: e }, 'report failed'));
      } else {
        log.warn({ drillId: drill.id, runId: run.id, err }, 'posting a drill failed; will try again');
        await store.releaseRun(run.id, owner, failure(err));
      }
      return false;
    }
  };

  const sameTally = (a: DrillTally, b: DrillTally) => a.started === b.started && a.finished === b.finished;

  /**
   * Brings a posted run's post up to date with its attempts; only when the count changed (or the run closed).
   * Any instance may do it: the post shows whatever was counted last, and the next tick corrects a stale write.
   */
  const refreshPost = async (drill: Drill, run: DrillRun, opts: { closed?: boolean } = {}) => {
    if (!poster.updatePost || !run.messageTs) return false;
    try {
      const tally = await store.tallyOf(run.id);
      // Never written: the post shows no tally, which reads as none started.
      if (!opts.closed && sameTally(run.tally ?? { started: 0, finished: 0 }, tally)) return false;
      await poster.updatePost(drill, run, tally, { closed: Boolean(opts.closed) });
      await store.setTally(run.id, tally);
      log.debug({ runId: run.id, ...tally, closed: Boolean(opts.closed) }, 'drill post updated');
      return true;
    } catch (err) {
      log.warn({ runId: run.id, err }, 'updating the drill post failed; the next tick tries again');
      return false;
    }
  };

  /** Closes one run: one instance claims it, posts the summary (if the run was ever posted) and records it. */
  const closeRun = async (run: DrillRun, reason: CloseReason): Promise<boolean> => {
    const claimed = await store.claimClose(run.id, owner, now(), leaseMs);
    if (!claimed) return false;
    const drill = await store.get(run.drillId);
    try {
      if (!drill || !claimed.postedAt) {
        // Never reached the channel (failed, or closed before it could be posted): nothing to sum up.
        await store.markClosed(run.id, owner, { at: now(), ts: null, summary: null });
        return true;
      }
      const previous = await store.previousRun(drill.id, run.slot);
      const report = drillReport(
        await store.attempts(run.id),
        previous ? await store.attempts(previous.id) : null,
      );
      let ts: string | null = null;
      try {
        // A second close claim means the first may have posted before it died.
        ts = await poster.postSummary(drill, claimed, report, { retry: claimed.closeAttempts > 1 });
      } catch (err) {
        if (!permanent(err)) throw err;
        log.warn({ runId: run.id, code: err.code }, 'drill summary cannot be posted; closing without it');
      }
      await store.markClosed(run.id, owner, { at: now(), ts, summary: report });
      log.info({ drillId: drill.id, runId: run.id, reason, ts }, 'drill closed');
      // The post's final count, without its start button.
      await refreshPost(drill, claimed, { closed: true });
      return true;
    } catch (err) {
      log.warn({ runId: run.id, err }, 'closing a drill failed; will try again');
      await store.releaseClose(run.id, owner);
      return false;
    }
  };

  const tickOnce = async (): Promise<TickResult> => {
    const result: TickResult = { posted: [], closed: [] };
    // Close first, so last week's summary comes before this week's drill.
    for (const run of await store.dueToClose(now())) {
      if (await closeRun(run, 'schedule')) result.closed.push(run.id);
    }
    const active = await store.active();
    for (const drill of active) {
      const at = now();
      const slot = dueOccurrence(drill, at, drill.createdAt);
      if (!slot) continue;
      const run = await store.claimRun({
        drillId: drill.id,
        slot,
        closesAt: nextOccurrence(drill, slot),
        owner,
        now: at,
        leaseMs,
      });
      if (!run) continue;
      // After downtime, a run older than this slot may still be open: close it before posting the new one.
      for (const open of await store.openRuns(drill.id)) {
        if (open.slot < slot && (await closeRun(open, 'schedule'))) result.closed.push(open.id);
      }
      if (await post(drill, run)) result.posted.push(run.id);
    }
    // Attempts that finished since the last tick: their drill post shows it.
    if (poster.updatePost) {
      for (const drill of active) {
        for (const open of await store.openRuns(drill.id)) if (open.postedAt) await refreshPost(drill, open);
      }
    }
    return result;
  };

  return {
    /** One pass: close what is over, post what is due. Concurrent calls in one process share one pass. */
    tick(): Promise<TickResult> {
      if (!running) {
        running = tickOnce().finally(() => {
          running = null;
        });
      }
      return running;
    },

    /** Runs `tick` now and every `intervalMs` (errors are logged, never thrown). */
    startTimer(intervalMs = 30_000): void {
      const run = () => {
        this.tick().catch((err: unknown) => log.warn({ err }, 'drill tick failed'));
      };
      run();
      if (intervalMs > 0 && !timer) {
        timer = setInterval(run, intervalMs);
        timer.unref();
      }
    },

    /** Stops the timer and waits for a tick in progress. */
    async shutdown(): Promise<void> {
      if (timer) clearInterval(timer);
      timer = null;
      await running?.catch(() => undefined);
    },

    /** Stores a new weekly drill; the first occurrence after now is its first run. */
    async schedule(input: ScheduleInput): Promise<{ drill: Drill; first: Date }> {
      if (!isValidTimeZone(input.timeZone)) {
        throw new AppError('invalid_input', `"${input.timeZone}" is not a time zone I know.`);
      }
      for (let i = 0; i < 5; i++) {
        const drill = await store.create({ ...input, id: newId(), createdAt: now() });
        if (drill) return { drill, first: nextOccurrence(drill, drill.createdAt) };
      }
      throw new Error('could not find a free drill id');
    },

    /** Brings a run's post up to date with its attempts now (an attempt just started); false when unchanged. */
    async refreshTally(runId: string): Promise<boolean> {
      const run = await store.getRun(runId);
      const drill = run ? await store.get(run.drillId) : null;
      if (!run || !drill || run.closedAt) return false;
      return refreshPost(drill, run);
    },

    /** The next time a drill opens. */
    next: (drill: Drill): Date => nextOccurrence(drill, now()),

    /** Closes a run now (`/spar drill results`); false when it was already closed or is being closed. */
    async close(runId: string, reason: CloseReason = 'results'): Promise<boolean> {
      const run = await store.getRun(runId);
      return run ? closeRun(run, reason) : false;
    },

    /** The posted runs still open in a channel (what `/spar drill results` closes). */
    async openInChannel(channelId: string): Promise<Array<{ drill: Drill; run: DrillRun }>> {
      const found: Array<{ drill: Drill; run: DrillRun }> = [];
      for (const drill of await store.active({ channelId })) {
        for (const run of await store.openRuns(drill.id)) if (run.postedAt) found.push({ drill, run });
      }
      return found;
    },

    /** Stops a drill and closes its open run with a summary. */
    async stop(drillId: string, by: string): Promise<{ drill: Drill; stopped: boolean } | null> {
      const result = await store.stop(drillId, by, now());
      if (result?.stopped) {
        for (const run of await store.openRuns(drillId)) await closeRun(run, 'stopped');
      }
      return result;
    },
  };
}
