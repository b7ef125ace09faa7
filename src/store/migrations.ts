import type { Db } from './db.js';

/**
 * One migration set for PGlite and PostgreSQL. Each entry is a list of single statements (PGlite's extended
 * protocol runs one statement per query). Append new versions; never edit an applied one.
 */
export const MIGRATIONS: ReadonlyArray<{ version: number; name: string; statements: readonly string[] }> = [
  {
    version: 1,
    name: 'practice sessions',
    statements: [
      `CREATE TABLE sessions (
        id text PRIMARY KEY,
        scenario_id text NOT NULL,
        language text NOT NULL,
        sale text NOT NULL,
        mode text NOT NULL,
        surface text NOT NULL,
        user_id text,
        team_id text,
        channel_id text,
        thread_ts text,
        drill_id text,
        status text NOT NULL DEFAULT 'active',
        state jsonb NOT NULL,
        usage jsonb NOT NULL DEFAULT '{"inputTokens":0,"cachedInputTokens":0,"outputTokens":0}',
        models jsonb NOT NULL DEFAULT '{}',
        busy_by text,
        busy_until timestamptz,
        created_at timestamptz NOT NULL DEFAULT now(),
        updated_at timestamptz NOT NULL DEFAULT now(),
        ended_at timestamptz
      )`,
      `CREATE UNIQUE INDEX sessions_thread ON sessions (channel_id, thread_ts) WHERE thread_ts IS NOT NULL`,
      `CREATE INDEX sessions_user ON sessions (user_id, created_at)`,
      `CREATE INDEX sessions_created ON sessions (created_at)`,
      `CREATE TABLE turns (
        session_id text NOT NULL REFERENCES sessions (id) ON DELETE CASCADE,
        idx integer NOT NULL,
        role text NOT NULL,
        text text NOT NULL,
        raw text,
        external_id text,
        created_at timestamptz NOT NULL DEFAULT now(),
        PRIMARY KEY (session_id, idx)
      )`,
      // The rep's messages and "end" requests, in arrival order: kept until answered, so nothing is lost.
      `CREATE TABLE inbox (
        id integer GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
        session_id text NOT NULL REFERENCES sessions (id) ON DELETE CASCADE,
        kind text NOT NULL,
        text text,
        external_id text,
        user_id text,
        status text NOT NULL DEFAULT 'pending',
        error text,
        attempts integer NOT NULL DEFAULT 0,
        created_at timestamptz NOT NULL DEFAULT now()
      )`,
      `CREATE UNIQUE INDEX inbox_external ON inbox (session_id, external_id) WHERE external_id IS NOT NULL`,
      `CREATE INDEX inbox_open ON inbox (session_id, id) WHERE status IN ('pending', 'failed')`,
      // What the app has to say, in order: delivered (posted) after it is stored, so a crash never loses it.
      `CREATE TABLE outbox (
        id integer GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
        session_id text NOT NULL REFERENCES sessions (id) ON DELETE CASCADE,
        kind text NOT NULL,
        payload jsonb NOT NULL,
        delivered_at timestamptz,
        ref text,
        created_at timestamptz NOT NULL DEFAULT now()
      )`,
      `CREATE INDEX outbox_undelivered ON outbox (session_id, id) WHERE delivered_at IS NULL`,
      `CREATE TABLE feedback (
        session_id text PRIMARY KEY REFERENCES sessions (id) ON DELETE CASCADE,
        verdict text NOT NULL,
        mode text NOT NULL,
        body jsonb NOT NULL,
        created_at timestamptz NOT NULL DEFAULT now()
      )`,
      // Slack event ids already handled: a stored dedupe, shared by every instance.
      `CREATE TABLE slack_events (
        id text PRIMARY KEY,
        received_at timestamptz NOT NULL DEFAULT now()
      )`,
    ],
  },
  {
    version: 2,
    name: 'team drills and scenarios written in Slack',
    statements: [
      // A weekly drill: one scenario, one channel, a weekday and a wall-clock time in the manager's time zone.
      `CREATE TABLE drills (
        id text PRIMARY KEY,
        team_id text,
        channel_id text NOT NULL,
        scenario_id text NOT NULL,
        weekday integer NOT NULL CHECK (weekday BETWEEN 0 AND 6),
        time_of_day text NOT NULL,
        time_zone text NOT NULL,
        created_by text NOT NULL,
        created_at timestamptz NOT NULL,
        stopped_at timestamptz,
        stopped_by text
      )`,
      `CREATE INDEX drills_active ON drills (channel_id) WHERE stopped_at IS NULL`,
      // One week of a drill. The primary key is the run-once claim: whichever instance inserts (drill, slot)
      // posts it. It is the only unique index, so a racing insert always lands in ON CONFLICT, never in an error.
      // Sessions of the run carry its id in sessions.drill_id.
      `CREATE TABLE drill_runs (
        drill_id text NOT NULL REFERENCES drills (id) ON DELETE CASCADE,
        slot timestamptz NOT NULL,
        id text NOT NULL,
        closes_at timestamptz NOT NULL,
        claimed_by text NOT NULL,
        claim_until timestamptz NOT NULL,
        attempts integer NOT NULL DEFAULT 1,
        posted_at timestamptz,
        message_ts text,
        failed_at timestamptz,
        error text,
        close_by text,
        close_until timestamptz,
        close_attempts integer NOT NULL DEFAULT 0,
        closed_at timestamptz,
        summary_ts text,
        summary jsonb,
        PRIMARY KEY (drill_id, slot)
      )`,
      `CREATE INDEX drill_runs_id ON drill_runs (id)`,
      `CREATE INDEX drill_runs_open ON drill_runs (closes_at) WHERE closed_at IS NULL`,
      `CREATE INDEX sessions_drill ON sessions (drill_id, user_id) WHERE drill_id IS NOT NULL`,
      // Scenarios written or uploaded in Slack, kept as the YAML that passed the same checks as `scenarios lint`.
      `CREATE TABLE stored_scenarios (
        id text PRIMARY KEY,
        yaml text NOT NULL,
        title text NOT NULL,
        language text NOT NULL,
        revision integer NOT NULL DEFAULT 1,
        created_by text NOT NULL,
        updated_by text NOT NULL,
        created_at timestamptz NOT NULL DEFAULT now(),
        updated_at timestamptz NOT NULL DEFAULT now(),
        retired_at timestamptz,
        retired_by text
      )`,
    ],
  },
  {
    version: 3,
    name: 'rep messages in the order they were written',
    statements: [
      // Slack may deliver two quick messages to two instances out of order; the message ts says which came first.
      // Requests without one (buttons, the terminal) sort by when they arrived.
      'ALTER TABLE inbox ADD COLUMN sort_key numeric',
      'UPDATE inbox SET sort_key = extract(epoch FROM created_at)',
      'ALTER TABLE inbox ALTER COLUMN sort_key SET DEFAULT extract(epoch FROM clock_timestamp())',
      'ALTER TABLE inbox ALTER COLUMN sort_key SET NOT NULL',
    ],
  },
  {
    version: 4,
    name: 'Slack events acknowledged once stored',
    statements: [
      // An event is claimed when it arrives and marked stored once what it asked for is in the store; Slack is
      // told it arrived only then. A claim that never got that far (its instance stopped) can be taken again.
      'ALTER TABLE slack_events ADD COLUMN stored_at timestamptz',
      'UPDATE slack_events SET stored_at = received_at',
    ],
  },
  {
    version: 5,
    name: 'delivery failures, replay protection, written order',
    statements: [
      // A delivery that failed: transient failures wait for next_attempt_at (backoff), a permanent one (or one
      // that kept failing) is recorded in failed_at and error and never tried again, so it blocks nothing.
      'ALTER TABLE outbox ADD COLUMN attempts integer NOT NULL DEFAULT 0',
      'ALTER TABLE outbox ADD COLUMN next_attempt_at timestamptz',
      'ALTER TABLE outbox ADD COLUMN failed_at timestamptz',
      'ALTER TABLE outbox ADD COLUMN error text',
      'DROP INDEX IF EXISTS outbox_undelivered',
      'CREATE INDEX outbox_due ON outbox (session_id, id) WHERE delivered_at IS NULL AND failed_at IS NULL',
      // Signatures of commands and interactions seen in the last minutes: a byte-identical replay is refused.
      `CREATE TABLE slack_requests (
        signature text PRIMARY KEY,
        received_at timestamptz NOT NULL DEFAULT now()
      )`,
      'CREATE INDEX slack_requests_received ON slack_requests (received_at)',
      // The transcript in the order the rep wrote (the message ts; a buyer turn sorts with the message it
      // answers), whatever order the messages reached the store in. Turns stored before sort by their index.
      'ALTER TABLE turns ADD COLUMN sort_key numeric',
      'UPDATE turns SET sort_key = idx',
      'ALTER TABLE turns ALTER COLUMN sort_key SET DEFAULT 0',
      'ALTER TABLE turns ALTER COLUMN sort_key SET NOT NULL',
      // Retention by last activity, for ended sessions only.
      `CREATE INDEX sessions_ended_activity ON sessions (updated_at) WHERE status = 'ended'`,
    ],
  },
  {
    version: 6,
    name: 'drill attempts in direct messages, drill post tally',
    statements: [
      // Attempts run in each rep's DM with Sparring unless the drill keeps them in the channel (existing drills
      // too: the channel stays clean).
      'ALTER TABLE drills ADD COLUMN public_attempts boolean NOT NULL DEFAULT false',
      // The attempts started and finished that the channel's drill post shows, as last written there.
      'ALTER TABLE drill_runs ADD COLUMN tally jsonb',
    ],
  },
  {
    version: 7,
    name: 'verdicts reps can question and managers can correct',
    statements: [
      // The rep's "Was this fair?": one answer per session, the last click wins.
      `CREATE TABLE session_feedback (
        session_id text PRIMARY KEY REFERENCES sessions (id) ON DELETE CASCADE,
        user_id text NOT NULL,
        fair boolean NOT NULL,
        updated_at timestamptz NOT NULL DEFAULT now()
      )`,
      // A manager's verdict (and optionally label fields) beside the coach's, which stays in feedback untouched.
      // Every correction is kept; the latest per session is the one shown and counted.
      `CREATE TABLE verdict_corrections (
        id integer GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
        session_id text NOT NULL REFERENCES sessions (id) ON DELETE CASCADE,
        manager_id text NOT NULL,
        verdict text NOT NULL,
        labels jsonb NOT NULL DEFAULT '{}',
        note text,
        created_at timestamptz NOT NULL DEFAULT now()
      )`,
      'CREATE INDEX verdict_corrections_session ON verdict_corrections (session_id, id)',
      'CREATE INDEX verdict_corrections_created ON verdict_corrections (created_at)',
    ],
  },
];

const LOCK_KEY = 7_310_424_001;

/** Applies the missing migrations in one transaction under an advisory lock; returns the versions applied. */
export async function migrate(db: Db): Promise<number[]> {
  return db.transaction(async (tx) => {
    // Two instances starting at the same moment: the second waits here, then finds nothing to do.
    await tx.query('SELECT pg_advisory_xact_lock($1)', [LOCK_KEY]);
    await tx.query(
      `CREATE TABLE IF NOT EXISTS schema_migrations (
        version integer PRIMARY KEY,
        name text NOT NULL,
        applied_at timestamptz NOT NULL DEFAULT now()
      )`,
    );
    const done = new Set(
      (await tx.query<{ version: number }>('SELECT version FROM schema_migrations')).map((r) => r.version),
    );
    const applied: number[] = [];
    for (const m of MIGRATIONS) {
      if (done.has(m.version)) continue;
      for (const statement of m.statements) await tx.query(statement);
      await tx.query('INSERT INTO schema_migrations (version, name) VALUES ($1, $2)', [m.version, m.name]);
      applied.push(m.version);
    }
    return applied;
  });
}
