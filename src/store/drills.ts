import { type Feedback, FeedbackSchema } from '../coach/feedback.js';
import type { SessionStatus } from '../domain/session.js';
import type { Db } from './db.js';

/** A weekly team drill: one scenario posted in one channel every `weekday` at `time` in `timeZone`. */
export type Drill = {
  id: string;
  teamId: string | null;
  channelId: string;
  scenarioId: string;
  /** 0 = Sunday … 6 = Saturday, as in cron. */
  weekday: number;
  /** "HH:MM", 24-hour, wall-clock time in `timeZone`. */
  time: string;
  /** IANA time zone, e.g. "Europe/Stockholm": the manager's Slack time zone when it was scheduled. */
  timeZone: string;
  createdBy: string;
  createdAt: Date;
  stoppedAt: Date | null;
  stoppedBy: string | null;
  /** Attempts run in the channel, in threads everyone sees; otherwise each in the rep's DM with Sparring. */
  publicAttempts: boolean;
};

export type NewDrill = Omit<Drill, 'stoppedAt' | 'stoppedBy' | 'publicAttempts'> & {
  publicAttempts?: boolean;
};

/** What a drill post shows of its run: attempts started, and how many of them have ended. */
export type DrillTally = { started: number; finished: number };

/** One week of a drill: posted once (the claim), closed once with a summary. */
export type DrillRun = {
  /** Stored in sessions.drill_id for every attempt started from this run's post. */
  id: string;
  drillId: string;
  /** The scheduled occurrence this run is for. */
  slot: Date;
  /** When the next occurrence starts, and with it the end of this run. */
  closesAt: Date;
  claimedBy: string;
  claimUntil: Date;
  /** How many times the post was claimed (more than one: a takeover after a crash or a transient failure). */
  attempts: number;
  postedAt: Date | null;
  messageTs: string | null;
  /** The post failed for good (Sparring not in the channel, scenario gone); the run is not retried. */
  failedAt: Date | null;
  error: string | null;
  /** How many times the close was claimed (more than one: a takeover). */
  closeAttempts: number;
  closedAt: Date | null;
  summaryTs: string | null;
  summary: unknown;
  /** The tally last written on the run's post; null before the first. */
  tally: DrillTally | null;
};

/** One rep's practice session started from a drill run, with its feedback when it has ended. */
export type DrillAttempt = {
  sessionId: string;
  userId: string | null;
  status: SessionStatus;
  createdAt: Date;
  channelId: string | null;
  threadTs: string | null;
  feedback: Feedback | null;
};

type DrillRow = {
  id: string;
  team_id: string | null;
  channel_id: string;
  scenario_id: string;
  weekday: number;
  time_of_day: string;
  time_zone: string;
  created_by: string;
  created_at: Date;
  stopped_at: Date | null;
  stopped_by: string | null;
  public_attempts: boolean;
};

type RunRow = {
  id: string;
  drill_id: string;
  slot: Date;
  closes_at: Date;
  claimed_by: string;
  claim_until: Date;
  attempts: number;
  posted_at: Date | null;
  message_ts: string | null;
  failed_at: Date | null;
  error: string | null;
  close_attempts: number;
  closed_at: Date | null;
  summary_ts: string | null;
  summary: unknown;
  tally: unknown;
};

const date = (v: Date | string): Date => new Date(v);
const maybeDate = (v: Date | string | null): Date | null => (v === null ? null : new Date(v));
const json = (v: unknown): unknown => (typeof v === 'string' ? JSON.parse(v) : v);

const toDrill = (r: DrillRow): Drill => ({
  id: r.id,
  teamId: r.team_id,
  channelId: r.channel_id,
  scenarioId: r.scenario_id,
  weekday: Number(r.weekday),
  time: r.time_of_day,
  timeZone: r.time_zone,
  createdBy: r.created_by,
  createdAt: date(r.created_at),
  stoppedAt: maybeDate(r.stopped_at),
  stoppedBy: r.stopped_by,
  publicAttempts: Boolean(r.public_attempts),
});

const toTally = (v: unknown): DrillTally | null => {
  const t = v === null || v === undefined ? null : (json(v) as Partial<DrillTally> | null);
  return t && typeof t.started === 'number' && typeof t.finished === 'number'
    ? { started: t.started, finished: t.finished }
    : null;
};

const toRun = (r: RunRow): DrillRun => ({
  id: r.id,
  drillId: r.drill_id,
  slot: date(r.slot),
  closesAt: date(r.closes_at),
  claimedBy: r.claimed_by,
  claimUntil: date(r.claim_until),
  attempts: Number(r.attempts),
  postedAt: maybeDate(r.posted_at),
  messageTs: r.message_ts,
  failedAt: maybeDate(r.failed_at),
  error: r.error,
  closeAttempts: Number(r.close_attempts),
  closedAt: maybeDate(r.closed_at),
  summaryTs: r.summary_ts,
  summary: r.summary === null ? null : json(r.summary),
  tally: toTally(r.tally),
});

/** A run's id names its drill and its slot, so logs and session rows read without a lookup. */
export const runId = (drillId: string, slot: Date): string =>
  `${drillId}-${slot.toISOString().slice(0, 16).replace(/[-:]/g, '')}Z`;

/** Drills, their weekly runs and the attempts in them. Every time comes from the caller (a clock in tests). */
export type DrillStore = ReturnType<typeof createDrillStore>;

export function createDrillStore(db: Db) {
  return {
    /** Stores a new drill; false when the id is taken (the caller picks another). */
    async create(d: NewDrill): Promise<Drill | null> {
      const rows = await db.query<DrillRow>(
        `INSERT INTO drills (id, team_id, channel_id, scenario_id, weekday, time_of_day, time_zone, created_by,
           created_at, public_attempts)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10) ON CONFLICT (id) DO NOTHING RETURNING *`,
        [
          d.id,
          d.teamId,
          d.channelId,
          d.scenarioId,
          d.weekday,
          d.time,
          d.timeZone,
          d.createdBy,
          d.createdAt,
          d.publicAttempts ?? false,
        ],
      );
      return rows[0] ? toDrill(rows[0]) : null;
    },

    async get(id: string): Promise<Drill | null> {
      const rows = await db.query<DrillRow>('SELECT * FROM drills WHERE id = $1', [id]);
      return rows[0] ? toDrill(rows[0]) : null;
    },

    /** Drills that have not been stopped, oldest first; in one channel when given. */
    async active(filter: { channelId?: string } = {}): Promise<Drill[]> {
      const rows = await db.query<DrillRow>(
        `SELECT * FROM drills WHERE stopped_at IS NULL AND ($1::text IS NULL OR channel_id = $1)
         ORDER BY created_at, id`,
        [filter.channelId ?? null],
      );
      return rows.map(toDrill);
    },

    /** Stops a drill; null when there is no such drill, the drill as it was when it had already stopped. */
    async stop(id: string, by: string, at: Date): Promise<{ drill: Drill; stopped: boolean } | null> {
      const rows = await db.query<DrillRow>(
        `UPDATE drills SET stopped_at = $3, stopped_by = $2 WHERE id = $1 AND stopped_at IS NULL RETURNING *`,
        [id, by, at],
      );
      if (rows[0]) return { drill: toDrill(rows[0]), stopped: true };
      const existing = await db.query<DrillRow>('SELECT * FROM drills WHERE id = $1', [id]);
      return existing[0] ? { drill: toDrill(existing[0]), stopped: false } : null;
    },

    /** Deletes a drill that never ran (its confirmation could not be posted). */
    async remove(id: string): Promise<void> {
      await db.query('DELETE FROM drills WHERE id = $1', [id]);
    },

    /**
     * The run-once claim for a slot. The first insert of (drill, slot) wins and gets the run back; everyone else
     * gets null. A claim that expired without a post (its instance crashed, or Slack failed for a moment) can be
     * taken over, which counts an attempt; a posted, failed or closed run never is.
     */
    async claimRun(c: {
      drillId: string;
      slot: Date;
      closesAt: Date;
      owner: string;
      now: Date;
      leaseMs: number;
    }): Promise<DrillRun | null> {
      const rows = await db.query<RunRow>(
        `INSERT INTO drill_runs (drill_id, slot, id, closes_at, claimed_by, claim_until)
         VALUES ($1, $2, $3, $4, $5, $6)
         ON CONFLICT (drill_id, slot) DO UPDATE
           SET claimed_by = EXCLUDED.claimed_by, claim_until = EXCLUDED.claim_until,
               attempts = drill_runs.attempts + 1
           WHERE drill_runs.posted_at IS NULL AND drill_runs.failed_at IS NULL
             AND drill_runs.closed_at IS NULL AND drill_runs.claim_until <= $7
         RETURNING *`,
        [
          c.drillId,
          c.slot,
          runId(c.drillId, c.slot),
          c.closesAt,
          c.owner,
          new Date(c.now.getTime() + c.leaseMs),
          c.now,
        ],
      );
      return rows[0] ? toRun(rows[0]) : null;
    },

    /** Records the post; false when `owner` no longer holds the claim. */
    async markPosted(id: string, owner: string, posted: { ts: string | null; at: Date }): Promise<boolean> {
      const rows = await db.query<{ id: string }>(
        `UPDATE drill_runs SET posted_at = $3, message_ts = $4
         WHERE id = $1 AND claimed_by = $2 AND posted_at IS NULL RETURNING id`,
        [id, owner, posted.at, posted.ts],
      );
      return rows.length > 0;
    },

    /** The post failed for good: the run is not retried, and closes without a summary. */
    async markFailed(id: string, error: string, at: Date): Promise<void> {
      await db.query(`UPDATE drill_runs SET failed_at = $3, error = $2 WHERE id = $1 AND posted_at IS NULL`, [
        id,
        error.slice(0, 500),
        at,
      ]);
    },

    /** Gives a claim up after a transient failure, so the next tick (here or elsewhere) tries again. */
    async releaseRun(id: string, owner: string, error: string): Promise<void> {
      await db.query(
        `UPDATE drill_runs SET claim_until = 'epoch', error = $3
         WHERE id = $1 AND claimed_by = $2 AND posted_at IS NULL`,
        [id, owner, error.slice(0, 500)],
      );
    },

    async getRun(id: string): Promise<DrillRun | null> {
      const rows = await db.query<RunRow>('SELECT * FROM drill_runs WHERE id = $1', [id]);
      return rows[0] ? toRun(rows[0]) : null;
    },

    /** The latest runs of a drill, newest first. */
    async runs(drillId: string, limit = 10): Promise<DrillRun[]> {
      const rows = await db.query<RunRow>(
        'SELECT * FROM drill_runs WHERE drill_id = $1 ORDER BY slot DESC LIMIT $2',
        [drillId, limit],
      );
      return rows.map(toRun);
    },

    /** Runs of a drill that are not closed yet, oldest first. */
    async openRuns(drillId: string): Promise<DrillRun[]> {
      const rows = await db.query<RunRow>(
        'SELECT * FROM drill_runs WHERE drill_id = $1 AND closed_at IS NULL ORDER BY slot',
        [drillId],
      );
      return rows.map(toRun);
    },

    /** Runs whose week is over and that nobody is closing right now. */
    async dueToClose(now: Date): Promise<DrillRun[]> {
      const rows = await db.query<RunRow>(
        `SELECT * FROM drill_runs
         WHERE closed_at IS NULL AND closes_at <= $1 AND (close_by IS NULL OR close_until <= $1)
         ORDER BY closes_at, drill_id`,
        [now],
      );
      return rows.map(toRun);
    },

    /** The close claim: like the post claim, one instance posts the summary; an expired claim can be taken over. */
    async claimClose(id: string, owner: string, now: Date, leaseMs: number): Promise<DrillRun | null> {
      const rows = await db.query<RunRow>(
        `UPDATE drill_runs SET close_by = $2, close_until = $3, close_attempts = close_attempts + 1
         WHERE id = $1 AND closed_at IS NULL AND (close_by IS NULL OR close_until <= $4) RETURNING *`,
        [id, owner, new Date(now.getTime() + leaseMs), now],
      );
      return rows[0] ? toRun(rows[0]) : null;
    },

    async markClosed(
      id: string,
      owner: string,
      closed: { at: Date; ts: string | null; summary: unknown },
    ): Promise<boolean> {
      const rows = await db.query<{ id: string }>(
        `UPDATE drill_runs SET closed_at = $3, summary_ts = $4, summary = $5
         WHERE id = $1 AND close_by = $2 AND closed_at IS NULL RETURNING id`,
        [id, owner, closed.at, closed.ts, closed.summary === null ? null : JSON.stringify(closed.summary)],
      );
      return rows.length > 0;
    },

    async releaseClose(id: string, owner: string): Promise<void> {
      await db.query(
        `UPDATE drill_runs SET close_until = 'epoch' WHERE id = $1 AND close_by = $2 AND closed_at IS NULL`,
        [id, owner],
      );
    },

    /** The posted run of the same drill before `slot`: what "since last time" compares with. */
    async previousRun(drillId: string, slot: Date): Promise<DrillRun | null> {
      const rows = await db.query<RunRow>(
        `SELECT * FROM drill_runs WHERE drill_id = $1 AND slot < $2 AND posted_at IS NOT NULL
         ORDER BY slot DESC LIMIT 1`,
        [drillId, slot],
      );
      return rows[0] ? toRun(rows[0]) : null;
    },

    /** Every session started from a run, oldest first, with its feedback. */
    async attempts(runId: string): Promise<DrillAttempt[]> {
      const rows = await db.query<{
        id: string;
        user_id: string | null;
        status: string;
        created_at: Date;
        channel_id: string | null;
        thread_ts: string | null;
        body: unknown;
      }>(
        `SELECT s.id, s.user_id, s.status, s.created_at, s.channel_id, s.thread_ts, f.body
         FROM sessions s LEFT JOIN feedback f ON f.session_id = s.id
         WHERE s.drill_id = $1 ORDER BY s.created_at, s.id`,
        [runId],
      );
      return rows.map((r) => {
        const parsed = r.body === null ? null : FeedbackSchema.safeParse(json(r.body));
        return {
          sessionId: r.id,
          userId: r.user_id,
          status: r.status as SessionStatus,
          createdAt: date(r.created_at),
          channelId: r.channel_id,
          threadTs: r.thread_ts,
          feedback: parsed?.success ? parsed.data : null,
        };
      });
    },

    /** The attempts of a run as its post counts them: started, and ended. */
    async tallyOf(runId: string): Promise<DrillTally> {
      const rows = await db.query<{ started: number | string; finished: number | string }>(
        `SELECT count(*) AS started, count(*) FILTER (WHERE status = 'ended') AS finished
         FROM sessions WHERE drill_id = $1`,
        [runId],
      );
      return { started: Number(rows[0]?.started ?? 0), finished: Number(rows[0]?.finished ?? 0) };
    },

    /** Records the tally written on the run's post. */
    async setTally(runId: string, tally: DrillTally): Promise<void> {
      await db.query('UPDATE drill_runs SET tally = $2 WHERE id = $1', [runId, JSON.stringify(tally)]);
    },

    /** The rep's latest attempt in a run, if any. */
    async attemptOf(
      runId: string,
      userId: string,
    ): Promise<{ channelId: string; threadTs: string | null } | null> {
      // An attempt whose session message is not posted yet (no thread yet) is an attempt all the same.
      const rows = await db.query<{ channel_id: string; thread_ts: string | null }>(
        `SELECT channel_id, thread_ts FROM sessions
         WHERE drill_id = $1 AND user_id = $2 ORDER BY created_at DESC LIMIT 1`,
        [runId, userId],
      );
      return rows[0] ? { channelId: rows[0].channel_id, threadTs: rows[0].thread_ts } : null;
    },
  };
}
