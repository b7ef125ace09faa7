import { BuyerStateSchema } from '../buyer/types.js';
import { type Feedback, FeedbackSchema } from '../coach/feedback.js';
import type {
  InboxItem,
  InboxKind,
  NewSession,
  OutboxItem,
  OutboxPayload,
  Session,
  SessionStatus,
  StoredTurn,
} from '../domain/session.js';
import type { SessionUsage } from '../llm/types.js';
import { type Db, type Prepared, prepared, type Sql, type SqlValue } from './db.js';

type SessionRow = {
  id: string;
  scenario_id: string;
  language: string;
  sale: string;
  mode: string;
  surface: string;
  user_id: string | null;
  team_id: string | null;
  channel_id: string | null;
  thread_ts: string | null;
  drill_id: string | null;
  status: string;
  state: unknown;
  usage: SessionUsage;
  models: Session['models'];
  busy_by: string | null;
  busy_until: Date | null;
  created_at: Date;
  ended_at: Date | null;
};

type InboxRow = {
  id: number;
  session_id: string;
  kind: string;
  text: string | null;
  external_id: string | null;
  user_id: string | null;
  status: string;
  error: string | null;
  attempts: number;
};

type OutboxRow = {
  id: number;
  session_id: string;
  payload: OutboxPayload;
  delivered_at: Date | null;
  ref: string | null;
  attempts?: number;
};

// JSON columns come back parsed from both drivers; a string means a driver that did not parse.
const json = <T>(v: unknown): T => (typeof v === 'string' ? JSON.parse(v) : v) as T;

const toSession = (r: SessionRow): Session => ({
  id: r.id,
  scenarioId: r.scenario_id,
  language: r.language as Session['language'],
  sale: r.sale as Session['sale'],
  mode: r.mode as Session['mode'],
  surface: r.surface as Session['surface'],
  userId: r.user_id,
  teamId: r.team_id,
  channelId: r.channel_id,
  threadTs: r.thread_ts,
  drillId: r.drill_id,
  status: r.status as SessionStatus,
  state: BuyerStateSchema.parse(json(r.state)),
  usage: json<SessionUsage>(r.usage),
  models: json<Session['models']>(r.models),
  createdAt: new Date(r.created_at),
  endedAt: r.ended_at ? new Date(r.ended_at) : null,
});

const toInbox = (r: InboxRow): InboxItem => ({
  id: Number(r.id),
  sessionId: r.session_id,
  kind: r.kind as InboxKind,
  text: r.text,
  externalId: r.external_id,
  userId: r.user_id,
  status: r.status as InboxItem['status'],
  error: r.error,
  attempts: Number(r.attempts),
});

const toOutbox = (r: OutboxRow): OutboxItem => ({
  id: Number(r.id),
  sessionId: r.session_id,
  payload: json<OutboxPayload>(r.payload),
  deliveredAt: r.delivered_at ? new Date(r.delivered_at) : null,
  ref: r.ref,
  attempts: Number(r.attempts ?? 0),
});

/** The lease a new session is stored with (see createClaimed): its owner, and for how long from now. */
export type NewLease = { owner: string; leaseMs: number };

/**
 * The work a session lease covers: the next open request and everything needed to answer it, and the messages
 * still to deliver (in order).
 */
export type Claim = {
  session: Session;
  item: InboxItem | null;
  turns: StoredTurn[];
  undelivered: OutboxItem[];
};

export type Completion = {
  itemId: number;
  /** Turns to append, in order (indices continue the transcript). */
  turns: ReadonlyArray<Omit<StoredTurn, 'idx'>>;
  state: Session['state'];
  usage: SessionUsage;
  outbox: readonly OutboxPayload[];
  /** Ends the session; stores the feedback when given. */
  end?: { feedback: Feedback | null };
  itemStatus?: 'done' | 'ignored';
};

/** Every query the practice use cases need, and nothing else. */
export type SessionStore = ReturnType<typeof createSessionStore>;

type TurnRow = { idx: number; role: string; text: string; raw: string | null; external_id: string | null };

const toTurn = (t: TurnRow): StoredTurn => ({
  idx: Number(t.idx),
  role: t.role as StoredTurn['role'],
  text: t.text,
  raw: t.raw,
  externalId: t.external_id,
});

/**
 * Turns as read (ordered by the rep's message ts, each answer with its message), numbered by position: a
 * message that reached the store late is in the place the rep wrote it, and `idx` is what the transcript, the
 * coach's evidence and the feedback card count by.
 */
const inWrittenOrder = (rows: readonly TurnRow[]): StoredTurn[] =>
  rows.map((t, i) => ({ ...toTurn(t), idx: i }));

/*
 * The hot path (a Slack event, a rep message, its answer, its delivery) runs few statements, each doing several
 * things, prepared once and run by name through Db.execute. A statement's round trip and, in PGlite's WASM
 * PostgreSQL, its parsing and planning cost more than running it: a claim planned afresh took 1.3 ms of PGlite's
 * CPU, prepared 0.35 ms. Prepared statements name their columns (no `*`), so that a later migration cannot change
 * a cached result type; sets of rows that come back inside one statement travel as JSON.
 */
const SESSION_COLUMNS = `id, scenario_id, language, sale, mode, surface, user_id, team_id, channel_id, thread_ts,
  drill_id, status, state, usage, models, busy_by, busy_until, created_at, ended_at`;
const OUTBOX_COLUMNS = 'id, session_id, payload, delivered_at, ref, attempts';

/**
 * The CTE `claimed` of the statements that store an event together with its claim: event id $1 claimed as
 * CLAIM_EVENT does ($2: the takeover seconds), and marked stored at once, since what the event asked for is
 * stored when the statement commits. CLAIM_OUTCOME reads it back: whether this delivery claimed it, and whether it
 * was stored before.
 */
const CLAIMED_AND_STORED = `claimed AS (
    INSERT INTO slack_events (id, stored_at) VALUES ($1, now())
    ON CONFLICT (id) DO UPDATE SET received_at = now(), stored_at = now()
      WHERE slack_events.stored_at IS NULL AND slack_events.received_at < now() - make_interval(secs => $2)
    RETURNING id)`;
const CLAIM_OUTCOME = `(SELECT count(*) FROM claimed)::int AS claimed,
    (SELECT stored_at IS NOT NULL FROM slack_events WHERE id = $1) AS stored`;

/**
 * Inserts outbox rows for `session.id` (default $1, read from `session.from` when given) from parameters `first` on
 * (kind, payload for each), in order: ids follow the order.
 */
const outboxInsert = (count: number, first: number, session: { id: string; from?: string } = { id: '$1' }) =>
  count === 0
    ? `SELECT ${OUTBOX_COLUMNS} FROM outbox WHERE false`
    : `INSERT INTO outbox (session_id, kind, payload)
       SELECT ${session.id}, p.kind, p.payload
       FROM ${session.from ? `${session.from}, ` : ''}(VALUES ${Array.from({ length: count }, (_, k) => `(${k}, $${first + 2 * k}, $${first + 2 * k + 1})`).join(', ')})
         AS p(k, kind, payload)
       ORDER BY p.k RETURNING ${OUTBOX_COLUMNS}`;

/**
 * The CTEs `s` (the new session, inserted when `where` holds), `t` (its opening turn) and `o` (what to deliver
 * first, in order) from parameters `first` on: the session's 14 columns, the opening's text and raw answer, the
 * lease's owner and end (both null: not leased), then kind and payload of each of `outbox` messages.
 */
const newSessionCtes = (q: { first: number; outbox: number; where?: string }) => {
  const p = (n: number) => `$${q.first + n}`;
  const columns = [...Array.from({ length: 14 }, (_, k) => p(k)), p(16), p(17)].join(', ');
  return `s AS (
    INSERT INTO sessions (id, scenario_id, language, sale, mode, surface, user_id, team_id, channel_id,
      thread_ts, drill_id, state, usage, models, busy_by, busy_until)
    ${q.where ? `SELECT ${columns} WHERE ${q.where}` : `VALUES (${columns})`}
    RETURNING ${SESSION_COLUMNS}),
  t AS (INSERT INTO turns (session_id, idx, role, text, raw) SELECT s.id, 0, 'buyer', ${p(14)}, ${p(15)} FROM s),
  o AS (${outboxInsert(q.outbox, q.first + 18, { id: 's.id', from: 's' })})`;
};
const NEW_SESSION_TYPES = [
  ...Array(11).fill('text'),
  'jsonb',
  'jsonb',
  'jsonb',
  'text',
  'text',
  'text',
  'timestamptz',
];
/** The new session's outbox rows (the CTE `o`), in order, as JSON. */
const NEW_OUTBOX = `(SELECT coalesce(json_agg(o ORDER BY o.id), '[]'::json) FROM o) AS outbox`;

/** A new session with its opening turn and the opening message to deliver, in one statement. */
const CREATE = prepared(
  'sparring_create_v3',
  [...NEW_SESSION_TYPES, 'text', 'jsonb'],
  `WITH ${newSessionCtes({ first: 1, outbox: 1 })}
  SELECT row_to_json(s) AS session, ${NEW_OUTBOX} FROM s`,
);

/**
 * A rep's @mention that starts a session in its thread, as one statement (the one round trip its Slack
 * acknowledgement waits for): claims the event id as INTAKE_MESSAGE does and, when the claim is taken and the
 * thread has no session yet, stores the session as CREATE does, with the session message and then the opening to
 * deliver, and the mention itself as the session's first request, answered: the plain message event Slack sends
 * for the same mention is then a duplicate of it, not a message to the buyer. A failed statement keeps nothing.
 * $1 event id, $2 takeover seconds, $3 the mention's ts, $4 its text, then the session (see newSessionCtes),
 * the opening, and kind and payload of the two messages.
 */
const INTAKE_MENTION = prepared(
  'sparring_intake_mention_v2',
  ['text', 'float8', 'text', 'text', ...NEW_SESSION_TYPES, 'text', 'jsonb', 'text', 'jsonb'],
  `WITH ${CLAIMED_AND_STORED},
  existing AS (SELECT ${SESSION_COLUMNS} FROM sessions WHERE channel_id = $13 AND thread_ts = $14),
  ${newSessionCtes({
    first: 5,
    outbox: 2,
    where: 'EXISTS (SELECT 1 FROM claimed) AND NOT EXISTS (SELECT 1 FROM existing)',
  })},
  started AS (
    INSERT INTO inbox (session_id, kind, text, external_id, user_id, status)
    SELECT s.id, 'start', $4, $3, s.user_id, 'done' FROM s)
  SELECT ${CLAIM_OUTCOME},
    (SELECT row_to_json(existing) FROM existing) AS existing,
    (SELECT row_to_json(s) FROM s) AS session,
    ${NEW_OUTBOX}`,
);

// The first delivery claims the id. A redelivery finds it stored (a duplicate), still being stored (in flight),
// or claimed longer ago than $2 seconds and never stored: its instance stopped, so this delivery takes it over.
const CLAIM_EVENT = prepared(
  'sparring_claim_event_v2',
  ['text', 'float8'],
  `WITH claimed AS (
    INSERT INTO slack_events (id) VALUES ($1)
    ON CONFLICT (id) DO UPDATE SET received_at = now()
      WHERE slack_events.stored_at IS NULL AND slack_events.received_at < now() - make_interval(secs => $2)
    RETURNING id)
  SELECT (SELECT count(*) FROM claimed)::int AS claimed,
         (SELECT stored_at IS NOT NULL FROM slack_events WHERE id = $1) AS stored`,
);

const COMPLETE_EVENT = prepared(
  'sparring_complete_event',
  ['text'],
  'UPDATE slack_events SET stored_at = now() WHERE id = $1 AND stored_at IS NULL',
);

const CLAIM_REQUEST = prepared(
  'sparring_claim_request',
  ['text'],
  'INSERT INTO slack_requests (signature) VALUES ($1) ON CONFLICT (signature) DO NOTHING RETURNING signature',
);

const RELEASE_EVENT = prepared(
  'sparring_release_event',
  ['text'],
  'DELETE FROM slack_events WHERE id = $1 AND stored_at IS NULL',
);

/** A rep's message in a Slack thread, with its event's id, as intakeMessage takes it. */
export type ThreadMessage = {
  eventId: string;
  takeOverAfterMs?: number;
  channelId: string;
  threadTs: string;
  userId: string;
  text: string;
  externalId: string;
};

/** What a Slack event id's claim found; see claimEvent. */
export type EventClaim = 'claimed' | 'duplicate' | 'in_flight';

/** How long a claimed event may go unstored before a redelivery takes it over: the session lease's length. */
export const DEFAULT_EVENT_TAKEOVER_MS = 30_000;

const FIND_BY_THREAD = prepared(
  'sparring_find_by_thread',
  ['text', 'text'],
  `SELECT ${SESSION_COLUMNS} FROM sessions WHERE channel_id = $1 AND thread_ts = $2`,
);

/** A session's turns as a JSON array, in the order they were written (see inWrittenOrder). */
const turnsJson = (sessionId: string) => `SELECT coalesce(json_agg(json_build_object(
        'idx', t.idx, 'role', t.role, 'text', t.text, 'raw', t.raw, 'external_id', t.external_id
      ) ORDER BY t.sort_key, t.idx), '[]'::json)
      FROM turns t WHERE t.session_id = ${sessionId}`;

/**
 * The CTEs `ins` (the message queued for the session of the CTE `s` when `where` holds, unless its external id
 * is there already) and `retried` (the session's failed messages back in line once it is queued). A Slack message
 * sorts by its ts (when it was written), so two that reach two instances out of order are still answered in the
 * order the rep wrote them; any other external id sorts by the time it arrives.
 */
const queueMessage = (q: {
  sessionId: string;
  text: string;
  externalId: string;
  userId: string;
  where: string;
  /** The session of `retried` when `sessionId` names a column of `from` (default: `sessionId`). */
  retrySessionId?: string;
  /** The attempts the message starts with (default 0: not claimed yet). */
  attempts?: string;
}) => `ins AS (
    INSERT INTO inbox (session_id, kind, text, external_id, user_id, sort_key, attempts)
    SELECT ${q.sessionId}, 'message', ${q.text}, ${q.externalId}, ${q.userId},
      CASE WHEN ${q.externalId} ~ '^[0-9]{9,}[.][0-9]+$' THEN ${q.externalId}::numeric
        ELSE extract(epoch FROM clock_timestamp()) END,
      ${q.attempts ?? '0'}
    FROM s WHERE ${q.where}
    ON CONFLICT (session_id, external_id) WHERE external_id IS NOT NULL DO NOTHING
    RETURNING id, session_id, kind, text, external_id, user_id, status, error, attempts),
  retried AS (
    UPDATE inbox SET status = 'pending'
    WHERE session_id = ${q.retrySessionId ?? q.sessionId} AND status = 'failed' AND EXISTS (SELECT 1 FROM ins)
    RETURNING id)`;

/** Queues a message unless the session is missing or has ended (see queueMessage). */
const ENQUEUE_OPEN = prepared(
  'sparring_enqueue_open',
  ['text', 'text', 'text', 'text'],
  `WITH s AS (SELECT status FROM sessions WHERE id = $1),
  ${queueMessage({ sessionId: '$1', text: '$2', externalId: '$3', userId: '$4', where: "s.status <> 'ended'" })}
  SELECT (SELECT status FROM s) AS session_status,
    (SELECT row_to_json(ins) FROM ins) AS item,
    (SELECT count(*) FROM retried)::int AS retried`,
);

/**
 * A rep's message in a thread, as one statement (the one round trip its Slack acknowledgement waits for): claims
 * the event id as CLAIM_EVENT does, finds the thread's session, and when the claim is taken and the session is the
 * writer's and open, queues the message as ENQUEUE_OPEN does. The claim is stored at once: what the event asked
 * for is done when the statement commits, and a failed statement keeps nothing, not even the claim.
 *
 * When the message will be the session's only work (nothing else waiting to be answered or delivered, no earlier
 * delivery of it) and nobody holds the session's lease, the statement also takes the lease for $8 until $10 (now
 * is $9), counts the message's first attempt and returns the turns: `leased` and `turns` are then the claim the
 * first drain starts from, as CLAIM would have returned it, without a round trip of its own. Taking the lease is
 * an UPDATE of the session row, so it waits for a claim that holds the row and then sees that claim's lease; when
 * the lease is not free, nothing is leased and the writer claims as usual once the statement has committed.
 * $1 event id, $2 takeover seconds, $3 channel, $4 thread ts, $5 user, $6 text, $7 message ts, $8 owner, $9 now,
 * $10 lease end.
 */
const INTAKE_MESSAGE = prepared(
  'sparring_intake_message_v2',
  ['text', 'float8', 'text', 'text', 'text', 'text', 'text', 'text', 'timestamptz', 'timestamptz'],
  `WITH ${CLAIMED_AND_STORED},
  s AS (SELECT ${SESSION_COLUMNS} FROM sessions WHERE channel_id = $3 AND thread_ts = $4),
  lease AS (
    UPDATE sessions SET busy_by = $8, busy_until = $10
    WHERE $8::text IS NOT NULL AND sessions.id = (SELECT id FROM s) AND EXISTS (SELECT 1 FROM claimed)
      AND sessions.user_id = $5 AND sessions.status <> 'ended'
      AND (sessions.busy_by IS NULL OR sessions.busy_until IS NULL OR sessions.busy_until <= $9)
      AND NOT EXISTS (
        SELECT 1 FROM inbox
        WHERE inbox.session_id = sessions.id AND (inbox.status IN ('pending', 'failed') OR inbox.external_id = $7))
      AND NOT EXISTS (
        SELECT 1 FROM outbox
        WHERE outbox.session_id = sessions.id AND outbox.delivered_at IS NULL AND outbox.failed_at IS NULL)
    RETURNING ${SESSION_COLUMNS.replace(/(\w+)/g, 'sessions.$1')}),
  ${queueMessage({
    sessionId: 's.id',
    retrySessionId: '(SELECT id FROM s)',
    text: '$6',
    externalId: '$7',
    userId: '$5',
    where: "s.user_id = $5 AND s.status <> 'ended' AND EXISTS (SELECT 1 FROM claimed)",
    attempts: '(SELECT count(*) FROM lease)::int',
  })}
  SELECT ${CLAIM_OUTCOME},
    (SELECT row_to_json(s) FROM s) AS session,
    (SELECT row_to_json(ins) FROM ins) AS item,
    (SELECT row_to_json(lease) FROM lease) AS leased,
    CASE WHEN EXISTS (SELECT 1 FROM lease) THEN (${turnsJson('(SELECT id FROM s)')}) END AS turns`,
);

/**
 * A claim is two statements in one round trip and one transaction: CLAIM_LOCK locks the session row; CLAIM,
 * which (read committed) sees every request committed before the lock was granted, checks the lease, takes or
 * renews it when there is work and releases it when there is none, counts the attempt, and returns the request,
 * the turns it needs and what is left to deliver. So a release and a request queued meanwhile cannot miss each
 * other. $1 session, $2 owner, $3 now, $4 lease end.
 */
const CLAIM_LOCK = prepared(
  'sparring_claim_lock',
  ['text'],
  'SELECT 1 FROM sessions WHERE id = $1 FOR UPDATE',
);
const CLAIM = prepared(
  'sparring_claim',
  ['text', 'text', 'timestamptz', 'timestamptz'],
  `WITH cur AS (
    SELECT (busy_by IS NULL OR busy_by = $2 OR busy_until IS NULL OR busy_until <= $3) AS free
    FROM sessions WHERE id = $1),
  next AS (
    SELECT id, status FROM inbox
    WHERE session_id = $1 AND status IN ('pending', 'failed') AND (SELECT free FROM cur)
    ORDER BY sort_key, id LIMIT 1),
  item AS (
    UPDATE inbox SET attempts = attempts + 1
    WHERE id = (SELECT id FROM next WHERE status = 'pending')
    RETURNING id, session_id, kind, text, external_id, user_id, status, error, attempts),
  undelivered AS (
    SELECT ${OUTBOX_COLUMNS} FROM outbox
    WHERE session_id = $1 AND delivered_at IS NULL AND failed_at IS NULL AND (SELECT free FROM cur)),
  work AS (SELECT EXISTS (SELECT 1 FROM item) OR EXISTS (SELECT 1 FROM undelivered) AS yes),
  lease AS (
    UPDATE sessions SET
      busy_by = CASE WHEN work.yes THEN $2 END,
      busy_until = CASE WHEN work.yes THEN $4 END
    FROM work
    WHERE id = $1 AND (SELECT free FROM cur) AND (work.yes OR sessions.busy_by IS NOT NULL)
    RETURNING ${SESSION_COLUMNS.replace(/(\w+)/g, 'sessions.$1')})
  SELECT (SELECT free FROM cur) AS free,
    (SELECT yes FROM work) AS work,
    (SELECT row_to_json(lease) FROM lease) AS session,
    (SELECT row_to_json(item) FROM item) AS item,
    (SELECT coalesce(json_agg(u ORDER BY u.id), '[]'::json) FROM undelivered u) AS undelivered,
    CASE WHEN EXISTS (SELECT 1 FROM item) THEN (${turnsJson('$1')}) END AS turns`,
);

/**
 * Stores an answer that does not end the session: the turns, the request's status, state, usage and what to
 * deliver. One statement per shape (number of turns, number of messages): $1 session, $2 request, $3 its status,
 * $4 state, $5 usage, then role, text, raw, external id of each turn, then kind, payload of each message.
 */
const completeStatement = (turns: number, outbox: number) => {
  const rows = Array.from({ length: turns }, (_, k) => {
    const p = 6 + 4 * k;
    return `(${k}, $${p}, $${p + 1}, $${p + 2}, $${p + 3})`;
  });
  const insertTurns = turns
    ? `t AS (
    INSERT INTO turns (session_id, idx, role, text, raw, external_id, sort_key)
    SELECT s.id, (SELECT count(*)::int FROM turns WHERE session_id = $1) + n.k,
      n.role, n.text, n.raw, n.external_id, (SELECT sort_key FROM inbox WHERE id = $2)
    FROM s, (VALUES ${rows.join(', ')}) AS n(k, role, text, raw, external_id)),`
    : '';
  return prepared(
    `sparring_complete_${turns}_${outbox}`,
    [
      'text',
      'integer',
      'text',
      'jsonb',
      'jsonb',
      ...Array(turns * 4).fill('text'),
      ...Array.from({ length: outbox }, () => ['text', 'jsonb']).flat(),
    ],
    `WITH s AS (SELECT id FROM sessions WHERE id = $1),
    ${insertTurns}
    i AS (UPDATE inbox SET status = $3, error = NULL WHERE id = $2),
    u AS (UPDATE sessions SET state = $4, usage = $5, updated_at = now() WHERE id = $1)
    ${outboxInsert(outbox, 6 + 4 * turns)}`,
  );
};
const completeStatements = new Map<string, Prepared>();
const completeFor = (turns: number, outbox: number) => {
  const key = `${turns}_${outbox}`;
  let statement = completeStatements.get(key);
  if (!statement) {
    statement = completeStatement(turns, outbox);
    completeStatements.set(key, statement);
  }
  return statement;
};

/** $1 session, $2 request, $3 error, $4 kind, $5 payload of the failure message. */
const FAIL = prepared(
  'sparring_fail',
  ['text', 'integer', 'text', 'text', 'jsonb'],
  `WITH i AS (UPDATE inbox SET status = 'failed', error = $3 WHERE id = $2) ${outboxInsert(1, 4)}`,
);

const MARK_DELIVERED = prepared(
  'sparring_mark_delivered',
  ['integer', 'text'],
  'UPDATE outbox SET delivered_at = now(), ref = $2 WHERE id = $1',
);

/**
 * For the statements a Slack acknowledgement waits for (the event's claim, the thread lookup, queueing the message,
 * marking the claim stored, a request's signature): PostgreSQL's pool lends them the next free connection, and
 * PGlite's worker runs them before the turns' statements waiting with them (see src/store/pglite-protocol.ts).
 */
const URGENT = { urgent: true } as const;

/** The parameters of newSessionCtes: the session's columns, then its opening. */
const newSessionParams = (
  s: NewSession,
  opening: { text: string; raw: string | null },
  lease: NewLease | undefined,
) => [
  s.id,
  s.scenarioId,
  s.language,
  s.sale,
  s.mode,
  s.surface,
  s.userId,
  s.teamId,
  s.channelId,
  s.threadTs,
  s.drillId,
  JSON.stringify(s.state),
  JSON.stringify(s.usage ?? { inputTokens: 0, cachedInputTokens: 0, outputTokens: 0 }),
  JSON.stringify(s.models),
  opening.text,
  opening.raw,
  lease?.owner ?? null,
  lease ? new Date(Date.now() + lease.leaseMs) : null,
];
const outboxParams = (payloads: readonly OutboxPayload[]) =>
  payloads.flatMap((p) => [p.kind, JSON.stringify(p)]);

export function createSessionStore(db: Db) {
  const getSession = async (q: Sql, id: string, lock = false) => {
    const rows = await q.query<SessionRow>(
      `SELECT * FROM sessions WHERE id = $1${lock ? ' FOR UPDATE' : ''}`,
      [id],
    );
    return rows[0] ?? null;
  };

  const turnsOf = async (q: Sql, sessionId: string): Promise<StoredTurn[]> =>
    inWrittenOrder(
      await q.query<TurnRow>(
        'SELECT idx, role, text, raw, external_id FROM turns WHERE session_id = $1 ORDER BY sort_key, idx',
        [sessionId],
      ),
    );

  /** The message a queueing statement left out as a duplicate of its external id: queued before. */
  const queuedAlready = async (sessionId: string, externalId: string | null | undefined) => {
    const existing = await db.query<InboxRow>(
      'SELECT * FROM inbox WHERE session_id = $1 AND external_id = $2',
      [sessionId, externalId ?? null],
    );
    if (!existing[0]) throw new Error(`inbox: message ${externalId} was neither queued nor found`);
    return toInbox(existing[0]);
  };

  const addOutbox = async (q: Sql, sessionId: string, payloads: readonly OutboxPayload[]) => {
    const added: OutboxItem[] = [];
    for (const p of payloads) {
      const [row] = await q.query<OutboxRow>(
        'INSERT INTO outbox (session_id, kind, payload) VALUES ($1, $2, $3) RETURNING *',
        [sessionId, p.kind, JSON.stringify(p)],
      );
      added.push(toOutbox(row!));
    }
    return added;
  };

  /**
   * Runs a statement that stores an event together with its claim (CLAIMED_AND_STORED, CLAIM_OUTCOME): $1 the
   * event id, $2 the takeover seconds, then `params`. The row when this delivery claimed the event; otherwise
   * whether it is a duplicate or still being handled elsewhere (nothing was stored).
   */
  const intake = async <R>(
    statement: Prepared,
    event: { eventId: string; takeOverAfterMs?: number },
    params: SqlValue[],
  ): Promise<{ claim: 'duplicate' | 'in_flight' } | { claim: 'claimed'; row: R }> => {
    const seconds = (event.takeOverAfterMs ?? DEFAULT_EVENT_TAKEOVER_MS) / 1000;
    const [rows] = await db.execute<R & { claimed: number; stored: boolean | null }>(
      [{ statement, params: [event.eventId, seconds, ...params] }],
      URGENT,
    );
    const r = rows?.[0];
    if (r?.claimed !== 1) return { claim: r?.stored ? 'duplicate' : 'in_flight' };
    return { claim: 'claimed', row: r };
  };

  const createSession = async (
    s: NewSession,
    opening: { text: string; raw: string | null },
    openingOutbox: OutboxPayload,
    lease?: NewLease,
  ) => {
    const [rows] = await db.execute<{ session: SessionRow | string; outbox: OutboxRow[] | string }>([
      {
        statement: CREATE,
        params: [...newSessionParams(s, opening, lease), ...outboxParams([openingOutbox])],
      },
    ]);
    const r = rows![0]!;
    return { session: toSession(json<SessionRow>(r.session)), outbox: json<OutboxRow[]>(r.outbox) };
  };
  /** A new session's first claim, when it was stored leased: nothing to answer yet, its messages to deliver. */
  const firstClaim = (session: Session, outbox: OutboxRow[]): Claim => ({
    session,
    item: null,
    turns: [],
    undelivered: outbox.map(toOutbox),
  });

  return {
    /** Stores a new session with its opening turn and the opening message to deliver. */
    async create(s: NewSession, opening: { text: string; raw: string | null }, openingOutbox: OutboxPayload) {
      return (await createSession(s, opening, openingOutbox)).session;
    },

    /**
     * create, with the session leased to `lease.owner` in the same statement: its claim, for the first drain, which
     * then needs no round trip of its own to take the lease and find the opening.
     */
    async createClaimed(
      s: NewSession,
      opening: { text: string; raw: string | null },
      openingOutbox: OutboxPayload,
      lease: NewLease,
    ): Promise<Claim> {
      const got = await createSession(s, opening, openingOutbox, lease);
      return firstClaim(got.session, got.outbox);
    },

    /**
     * A session started by a rep's @mention in its thread, with the mention's claim, in one round trip
     * (INTAKE_MENTION): `claim` as claimEvent says; once claimed, the session the thread had already (nothing is
     * stored then) or the new one, to deliver `header` and then `opening`. Claimed means stored. With `lease`, a
     * new session is stored leased to its owner, and `first` is its claim (see createClaimed).
     */
    async intakeMention(m: {
      eventId: string;
      takeOverAfterMs?: number;
      mention: { ts: string; text: string };
      session: NewSession & { channelId: string; threadTs: string };
      opening: { text: string; raw: string | null };
      outbox: readonly [OutboxPayload, OutboxPayload];
      lease?: NewLease;
    }): Promise<
      | { claim: 'duplicate' | 'in_flight' }
      | { claim: 'claimed'; existing: Session | null; session: Session | null; first?: Claim }
    > {
      const got = await intake<{
        existing: SessionRow | string | null;
        session: SessionRow | string | null;
        outbox: OutboxRow[] | string;
      }>(INTAKE_MENTION, m, [
        m.mention.ts,
        m.mention.text,
        ...newSessionParams(m.session, m.opening, m.lease),
        ...outboxParams(m.outbox),
      ]);
      if (got.claim !== 'claimed') return got;
      const r = got.row;
      const session = r.session ? toSession(json<SessionRow>(r.session)) : null;
      return {
        claim: 'claimed',
        existing: r.existing ? toSession(json<SessionRow>(r.existing)) : null,
        session,
        ...(session && m.lease ? { first: firstClaim(session, json<OutboxRow[]>(r.outbox)) } : {}),
      };
    },

    async get(id: string): Promise<Session | null> {
      const row = await getSession(db, id);
      return row ? toSession(row) : null;
    },

    async findByThread(channelId: string, threadTs: string): Promise<Session | null> {
      const [rows] = await db.execute<SessionRow>(
        [{ statement: FIND_BY_THREAD, params: [channelId, threadTs] }],
        URGENT,
      );
      return rows?.[0] ? toSession(rows[0]) : null;
    },

    /** The user's most recent active session in a conversation (a DM with the app), if any. */
    async findOpenInChannel(channelId: string, userId: string): Promise<Session | null> {
      const rows = await db.query<SessionRow>(
        `SELECT ${SESSION_COLUMNS} FROM sessions
         WHERE user_id = $2 AND channel_id = $1 AND status = 'active' AND thread_ts IS NOT NULL
         ORDER BY created_at DESC LIMIT 1`,
        [channelId, userId],
      );
      return rows[0] ? toSession(rows[0]) : null;
    },

    turns: (sessionId: string) => turnsOf(db, sessionId),

    /** Queues a request. A repeated external id (the same Slack message delivered twice) is not queued again. */
    async enqueue(
      sessionId: string,
      req: { kind: InboxKind; text?: string | null; externalId?: string | null; userId?: string | null },
    ): Promise<{ item: InboxItem; duplicate: boolean }> {
      const inserted = await db.query<InboxRow>(
        `INSERT INTO inbox (session_id, kind, text, external_id, user_id) VALUES ($1, $2, $3, $4, $5)
         ON CONFLICT (session_id, external_id) WHERE external_id IS NOT NULL DO NOTHING RETURNING *`,
        [sessionId, req.kind, req.text ?? null, req.externalId ?? null, req.userId ?? null],
      );
      if (inserted[0]) return { item: toInbox(inserted[0]), duplicate: false };
      return { item: await queuedAlready(sessionId, req.externalId), duplicate: true };
    },

    /**
     * Queues a rep message in one round trip, unless the session is missing or ended: `enqueue` plus
     * `retryFailed` (when the message is new), guarded by the session's status.
     */
    async enqueueOpen(
      sessionId: string,
      req: { text: string; externalId?: string | null; userId?: string | null },
    ): Promise<
      { status: 'missing' } | { status: 'ended' } | { status: 'queued'; item: InboxItem; duplicate: boolean }
    > {
      const [rows] = await db.execute<{ session_status: string | null; item: InboxRow | string | null }>(
        [{ statement: ENQUEUE_OPEN, params: [sessionId, req.text, req.externalId, req.userId] }],
        URGENT,
      );
      const r = rows?.[0];
      if (!r?.session_status) return { status: 'missing' };
      if (r.session_status === 'ended') return { status: 'ended' };
      if (r.item) return { status: 'queued', item: toInbox(json<InboxRow>(r.item)), duplicate: false };
      return { status: 'queued', item: await queuedAlready(sessionId, req.externalId), duplicate: true };
    },

    /**
     * A rep's message in a Slack thread, with its event's claim, in one round trip (INTAKE_MESSAGE): `claim` as
     * claimEvent says; once claimed, the thread's session (null: not a session thread) and, when the session is
     * the writer's and open, the queued message. Claimed means stored: a redelivery is a duplicate from then on.
     */
    async intakeMessage(
      msg: ThreadMessage,
      lease?: NewLease,
    ): Promise<
      | { claim: 'duplicate' | 'in_flight' }
      | {
          claim: 'claimed';
          session: Session | null;
          queued: { item: InboxItem; duplicate: boolean } | null;
          /** With `lease`: the session's claim when the statement took its lease (see INTAKE_MESSAGE). */
          first?: Claim;
        }
    > {
      const now = new Date();
      const got = await intake<{
        session: SessionRow | string | null;
        item: InboxRow | string | null;
        leased: SessionRow | string | null;
        turns: TurnRow[] | string | null;
      }>(INTAKE_MESSAGE, msg, [
        msg.channelId,
        msg.threadTs,
        msg.userId,
        msg.text,
        msg.externalId,
        lease?.owner ?? null,
        now,
        lease ? new Date(now.getTime() + lease.leaseMs) : null,
      ]);
      if (got.claim !== 'claimed') return got;
      const r = got.row;
      const session = r.session ? toSession(json<SessionRow>(r.session)) : null;
      if (!session || session.userId !== msg.userId || session.status === 'ended')
        return { claim: 'claimed', session, queued: null };
      if (r.item) {
        const item = toInbox(json<InboxRow>(r.item));
        const first: Claim | undefined = r.leased
          ? {
              session: toSession(json<SessionRow>(r.leased)),
              item,
              turns: inWrittenOrder(json<TurnRow[]>(r.turns ?? '[]')),
              undelivered: [],
            }
          : undefined;
        return { claim: 'claimed', session, queued: { item, duplicate: false }, ...(first ? { first } : {}) };
      }
      // Queued already (a delivery taken over from an instance that stopped before marking it stored). Should the
      // lease have been taken all the same (a delivery of the message committed meanwhile), the writer's own
      // claim finds the session's state and gives it up.
      const item = await queuedAlready(session.id, msg.externalId);
      return { claim: 'claimed', session, queued: { item, duplicate: true } };
    },

    /** Marks failed requests as pending again (the rep pressed Retry, or wrote again). */
    async retryFailed(sessionId: string): Promise<number> {
      const rows = await db.query<{ id: number }>(
        `UPDATE inbox SET status = 'pending' WHERE session_id = $1 AND status = 'failed' RETURNING id`,
        [sessionId],
      );
      return rows.length;
    },

    /** The rep ended the session: failed messages will not be answered; they stay stored as ignored. */
    async ignoreFailed(sessionId: string): Promise<void> {
      await db.query(`UPDATE inbox SET status = 'ignored' WHERE session_id = $1 AND status = 'failed'`, [
        sessionId,
      ]);
    },

    /**
     * Takes (or renews) the session's lease for `owner` and returns the next open request, or: 'busy' when
     * another worker holds a live lease; null when there is nothing left to do (the lease is then released in the
     * same transaction, so a request queued meanwhile is never stranded). `delivered` records a delivery first,
     * in the same round trip but committed on its own (markDelivered without a round trip of its own).
     */
    async claim(
      sessionId: string,
      owner: string,
      leaseMs: number,
      delivered?: { id: number; ref: string | null },
    ): Promise<Claim | 'busy' | null> {
      // A failed request waits for the rep (Retry or a new message); it also holds back later ones, so the buyer
      // never answers out of order.
      const now = new Date();
      const results = await db.execute<{
        free: boolean | null;
        work: boolean;
        session: SessionRow | string | null;
        item: InboxRow | string | null;
        undelivered: OutboxRow[] | string;
        turns: TurnRow[] | string | null;
      }>([
        ...(delivered
          ? [{ statement: MARK_DELIVERED, params: [delivered.id, delivered.ref], alone: true }]
          : []),
        { statement: CLAIM_LOCK, params: [sessionId] },
        { statement: CLAIM, params: [sessionId, owner, now, new Date(now.getTime() + leaseMs)] },
      ]);
      const r = results.at(-1)?.[0];
      if (!r || r.free === null) return null;
      if (!r.free) return 'busy';
      if (!r.work || !r.session) return null;
      return {
        session: toSession(json<SessionRow>(r.session)),
        item: r.item ? toInbox(json<InboxRow>(r.item)) : null,
        turns: r.turns ? inWrittenOrder(json<TurnRow[]>(r.turns)) : [],
        undelivered: json<OutboxRow[]>(r.undelivered).map(toOutbox),
      };
    },

    /** Extends a lease its owner still holds (a heartbeat while a slow model call runs). */
    async renew(sessionId: string, owner: string, leaseMs: number): Promise<boolean> {
      const rows = await db.query<{ id: string }>(
        'UPDATE sessions SET busy_until = $3 WHERE id = $1 AND busy_by = $2 RETURNING id',
        [sessionId, owner, new Date(Date.now() + leaseMs)],
      );
      return rows.length === 1;
    },

    /** Gives the lease up (on an error path); the next claim by anyone starts afresh. */
    async release(sessionId: string, owner: string): Promise<void> {
      await db.query('UPDATE sessions SET busy_by = NULL, busy_until = NULL WHERE id = $1 AND busy_by = $2', [
        sessionId,
        owner,
      ]);
    },

    /**
     * Stores the answer to a request atomically: turns, state, usage, messages to deliver, the end. Returns the
     * messages to deliver, as stored.
     */
    async complete(sessionId: string, c: Completion): Promise<OutboxItem[]> {
      if (!c.end) {
        // The everyday case, one statement: no end, no feedback, nothing else to ignore.
        const [rows] = await db.execute<OutboxRow>([
          {
            statement: completeFor(c.turns.length, c.outbox.length),
            params: [
              sessionId,
              c.itemId,
              c.itemStatus ?? 'done',
              JSON.stringify(c.state),
              JSON.stringify(c.usage),
              ...c.turns.flatMap((t) => [t.role, t.text, t.raw, t.externalId]),
              ...outboxParams(c.outbox),
            ],
          },
        ]);
        return (rows ?? []).map(toOutbox).sort((a, b) => a.id - b.id);
      }
      return db.transaction(async (tx) => {
        const row = await getSession(tx, sessionId, true);
        if (!row) return [];
        const [{ n }] = (await tx.query<{ n: number }>(
          'SELECT count(*)::int AS n FROM turns WHERE session_id = $1',
          [sessionId],
        )) as [{ n: number }];
        let idx = Number(n);
        for (const t of c.turns) {
          await tx.query(
            `INSERT INTO turns (session_id, idx, role, text, raw, external_id, sort_key)
             VALUES ($1, $2, $3, $4, $5, $6, (SELECT sort_key FROM inbox WHERE id = $7))`,
            [sessionId, idx++, t.role, t.text, t.raw, t.externalId, c.itemId],
          );
        }
        await tx.query(`UPDATE inbox SET status = $2, error = NULL WHERE id = $1`, [
          c.itemId,
          c.itemStatus ?? 'done',
        ]);
        await tx.query(
          `UPDATE sessions SET state = $2, usage = $3, updated_at = now(),
             status = CASE WHEN $4::boolean THEN 'ended' ELSE status END,
             ended_at = CASE WHEN $4::boolean AND ended_at IS NULL THEN now() ELSE ended_at END
           WHERE id = $1`,
          [sessionId, JSON.stringify(c.state), JSON.stringify(c.usage), Boolean(c.end)],
        );
        if (c.end) {
          // Everything the rep sent after the end stays stored but is not answered.
          await tx.query(
            `UPDATE inbox SET status = 'ignored' WHERE session_id = $1 AND status IN ('pending', 'failed') AND id <> $2`,
            [sessionId, c.itemId],
          );
          if (c.end.feedback) {
            await tx.query(
              `INSERT INTO feedback (session_id, verdict, mode, body) VALUES ($1, $2, $3, $4)
               ON CONFLICT (session_id) DO UPDATE SET verdict = EXCLUDED.verdict, mode = EXCLUDED.mode, body = EXCLUDED.body`,
              [sessionId, c.end.feedback.verdict, c.end.feedback.mode, JSON.stringify(c.end.feedback)],
            );
          }
        }
        return addOutbox(tx, sessionId, c.outbox);
      });
    },

    /** Records that a request could not be answered; the rep's text stays stored for the retry. */
    async fail(
      sessionId: string,
      itemId: number,
      error: string,
      outbox: OutboxPayload,
    ): Promise<OutboxItem[]> {
      const [rows] = await db.execute<OutboxRow>([
        { statement: FAIL, params: [sessionId, itemId, error, outbox.kind, JSON.stringify(outbox)] },
      ]);
      return (rows ?? []).map(toOutbox);
    },

    async undelivered(sessionId: string): Promise<OutboxItem[]> {
      return (
        await db.query<OutboxRow>(
          'SELECT * FROM outbox WHERE session_id = $1 AND delivered_at IS NULL AND failed_at IS NULL ORDER BY id',
          [sessionId],
        )
      ).map(toOutbox);
    },

    async markDelivered(id: number, ref: string | null): Promise<void> {
      await db.execute([{ statement: MARK_DELIVERED, params: [id, ref] }]);
    },

    /** Where an earlier delivery went (e.g. the Slack ts of a reply), for linking evidence to messages. */
    async deliveredRefs(sessionId: string): Promise<OutboxItem[]> {
      return (
        await db.query<OutboxRow>(
          'SELECT * FROM outbox WHERE session_id = $1 AND delivered_at IS NOT NULL ORDER BY id',
          [sessionId],
        )
      ).map(toOutbox);
    },

    async feedback(sessionId: string): Promise<Feedback | null> {
      const rows = await db.query<{ body: unknown }>('SELECT body FROM feedback WHERE session_id = $1', [
        sessionId,
      ]);
      return rows[0] ? FeedbackSchema.parse(json(rows[0].body)) : null;
    },

    async inbox(sessionId: string): Promise<InboxItem[]> {
      return (
        await db.query<InboxRow>('SELECT * FROM inbox WHERE session_id = $1 ORDER BY id', [sessionId])
      ).map(toInbox);
    },

    /**
     * Sessions with work due that nobody is doing (no live lease), the longest-waiting first: pending requests
     * (due when they arrived) and messages to deliver (due at their next attempt). While a session has messages
     * to deliver, those come first (a drain delivers before it answers), so a delivery waiting out its backoff
     * holds the session back, and its place in the line is its next attempt: sessions that keep failing go to
     * the back, and a failed delivery that was given up on is not work at all.
     */
    async needingWork(limit = 100): Promise<string[]> {
      const rows = await db.query<{ id: string }>(
        // From the open requests and undelivered messages (their partial indexes) to the sessions, not the
        // other way round: the sweep stays a millisecond when every session ever held is still stored.
        `WITH o AS (
           SELECT session_id, min(coalesce(next_attempt_at, created_at)) AS due FROM outbox
           WHERE delivered_at IS NULL AND failed_at IS NULL GROUP BY session_id),
         i AS (
           -- Not a session whose next request failed: it waits for the rep's Retry (or a new message), and a
           -- claim would find nothing to do, pass after pass, at the front of the line.
           SELECT session_id, min(created_at) FILTER (WHERE status = 'pending') AS due FROM inbox
           WHERE status IN ('pending', 'failed') GROUP BY session_id
           HAVING (array_agg(status ORDER BY sort_key, id))[1] = 'pending'),
         w AS (
           SELECT coalesce(o.session_id, i.session_id) AS session_id, coalesce(o.due, i.due) AS due
           FROM o FULL JOIN i ON i.session_id = o.session_id)
         SELECT s.id FROM w JOIN sessions s ON s.id = w.session_id
         WHERE w.due <= now() AND (s.busy_by IS NULL OR s.busy_until < now())
         ORDER BY w.due, s.id LIMIT $1`,
        [limit],
      );
      return rows.map((r) => r.id);
    },

    /**
     * A delivery failed and is to be tried again `delayMs` from now (a transient failure); the sweeper leaves the
     * session until then. Returns the failed attempts so far.
     */
    async deferDelivery(id: number, error: string, delayMs: number): Promise<number> {
      const rows = await db.query<{ attempts: number }>(
        `UPDATE outbox SET attempts = attempts + 1, error = $2,
           next_attempt_at = now() + make_interval(secs => $3::float8)
         WHERE id = $1 RETURNING attempts`,
        [id, error, delayMs / 1000],
      );
      return Number(rows[0]?.attempts ?? 0);
    },

    /** A delivery that can never succeed (or kept failing): recorded, and never tried again. */
    async failDelivery(id: number, error: string): Promise<void> {
      await db.query(
        'UPDATE outbox SET attempts = attempts + 1, error = $2, failed_at = now() WHERE id = $1 AND delivered_at IS NULL',
        [id, error],
      );
    },

    /** Messages whose delivery was given up on, with why (newest first). */
    async failedDeliveries(sessionId: string): Promise<Array<OutboxItem & { error: string | null }>> {
      const rows = await db.query<OutboxRow & { error: string | null }>(
        'SELECT * FROM outbox WHERE session_id = $1 AND failed_at IS NOT NULL ORDER BY id DESC',
        [sessionId],
      );
      return rows.map((r) => ({ ...toOutbox(r), error: r.error }));
    },

    /** An embedded store has one process: leases left by a crashed run of it are void. */
    async clearLeases(): Promise<void> {
      await db.query('UPDATE sessions SET busy_by = NULL, busy_until = NULL WHERE busy_by IS NOT NULL');
    },

    /**
     * Slack event ids, across instances: 'claimed' the first time an id is seen (and when an earlier claim was
     * never stored within `takeOverAfterMs`), 'duplicate' once it is stored, 'in_flight' while another delivery
     * of it is being handled.
     */
    async claimEvent(eventId: string, opts: { takeOverAfterMs?: number } = {}): Promise<EventClaim> {
      const seconds = (opts.takeOverAfterMs ?? DEFAULT_EVENT_TAKEOVER_MS) / 1000;
      const [rows] = await db.execute<{ claimed: number; stored: boolean | null }>(
        [{ statement: CLAIM_EVENT, params: [eventId, seconds] }],
        URGENT,
      );
      const row = rows?.[0];
      if (row?.claimed === 1) return 'claimed';
      return row?.stored ? 'duplicate' : 'in_flight';
    },

    /** What the event asked for is stored: its redeliveries are duplicates from now on. */
    async completeEvent(eventId: string): Promise<void> {
      await db.execute([{ statement: COMPLETE_EVENT, params: [eventId] }], URGENT);
    },

    /** Gives up a claim that was never stored (storing failed): the next delivery claims the id afresh. */
    async releaseEvent(eventId: string): Promise<void> {
      await db.execute([{ statement: RELEASE_EVENT, params: [eventId] }], URGENT);
    },

    /** An embedded store has one process: events claimed by a crashed run of it were never stored. */
    async releaseUnstoredEvents(): Promise<number> {
      const rows = await db.query<{ id: string }>(
        'DELETE FROM slack_events WHERE stored_at IS NULL RETURNING id',
      );
      return rows.length;
    },

    /**
     * Retention: deletes ended sessions (and with them turns, requests, messages, feedback) whose last activity
     * (the last answer, the end) was before `before`. A session still open is never deleted, however old.
     */
    async deleteInactiveSince(before: Date): Promise<number> {
      const rows = await db.query<{ id: string }>(
        `DELETE FROM sessions WHERE status = 'ended' AND updated_at < $1
           AND coalesce(ended_at, updated_at) < $1 RETURNING id`,
        [before],
      );
      return rows.length;
    },

    /**
     * Replay protection: records a signed request's signature; false when it was seen already (a byte-identical
     * request replayed). Signatures cover the timestamp, which Slack's verification bounds to 5 minutes.
     */
    async claimRequest(signature: string): Promise<boolean> {
      const [rows] = await db.execute<{ signature: string }>(
        [{ statement: CLAIM_REQUEST, params: [signature] }],
        URGENT,
      );
      return (rows?.length ?? 0) === 1;
    },

    /** Signatures older than the replay window are dropped. */
    async pruneRequests(before: Date): Promise<number> {
      const rows = await db.query<{ signature: string }>(
        'DELETE FROM slack_requests WHERE received_at < $1 RETURNING signature',
        [before],
      );
      return rows.length;
    },

    /** A cheap round trip, for health checks. */
    async ping(): Promise<void> {
      await db.query('SELECT 1');
    },

    /** Event ids only matter while Slack may still redeliver (minutes); older ones are dropped. */
    async pruneEvents(before: Date): Promise<number> {
      const rows = await db.query<{ id: string }>(
        'DELETE FROM slack_events WHERE received_at < $1 RETURNING id',
        [before],
      );
      return rows.length;
    },

    async list(filter: { userId?: string; since?: Date; limit?: number; status?: SessionStatus } = {}) {
      const rows = await db.query<SessionRow>(
        `SELECT * FROM sessions
         WHERE ($1::text IS NULL OR user_id = $1)
           AND ($2::timestamptz IS NULL OR created_at >= $2)
           AND ($3::text IS NULL OR status = $3)
         ORDER BY created_at DESC LIMIT $4`,
        [filter.userId ?? null, filter.since ?? null, filter.status ?? null, filter.limit ?? 1000],
      );
      return rows.map(toSession);
    },
  };
}
