import { BuyerStateSchema } from '../buyer/types.js';
import { type Feedback, FeedbackSchema } from '../coach/feedback.js';
import type { Usage } from '../llm/types.js';
import type {
  InboxItem,
  InboxKind,
  OutboxItem,
  OutboxPayload,
  Session,
  SessionStatus,
  StoredTurn,
} from '../practice/types.js';
import type { Db, Sql } from './db.js';

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
  usage: Usage;
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
  usage: json<Usage>(r.usage),
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
});

export type NewSession = Omit<Session, 'createdAt' | 'endedAt' | 'status' | 'usage'> & { usage?: Usage };

/** The work a session lease covers: the next open request and everything needed to answer it. */
export type Claim = { session: Session; item: InboxItem | null; turns: StoredTurn[] };

export type Completion = {
  itemId: number;
  /** Turns to append, in order (indices continue the transcript). */
  turns: ReadonlyArray<Omit<StoredTurn, 'idx'>>;
  state: Session['state'];
  usage: Usage;
  outbox: readonly OutboxPayload[];
  /** Ends the session; stores the feedback when given. */
  end?: { feedback: Feedback | null };
  itemStatus?: 'done' | 'ignored';
};

/** Every query the practice use cases need, and nothing else. */
export type SessionStore = ReturnType<typeof createSessionStore>;

export function createSessionStore(db: Db) {
  const getSession = async (q: Sql, id: string, lock = false) => {
    const rows = await q.query<SessionRow>(
      `SELECT * FROM sessions WHERE id = $1${lock ? ' FOR UPDATE' : ''}`,
      [id],
    );
    return rows[0] ?? null;
  };

  const turnsOf = async (q: Sql, sessionId: string): Promise<StoredTurn[]> =>
    (
      await q.query<{
        idx: number;
        role: string;
        text: string;
        raw: string | null;
        external_id: string | null;
      }>('SELECT idx, role, text, raw, external_id FROM turns WHERE session_id = $1 ORDER BY idx', [
        sessionId,
      ])
    ).map((t) => ({
      idx: Number(t.idx),
      role: t.role as StoredTurn['role'],
      text: t.text,
      raw: t.raw,
      externalId: t.external_id,
    }));

  const addOutbox = async (q: Sql, sessionId: string, payloads: readonly OutboxPayload[]) => {
    for (const p of payloads) {
      await q.query('INSERT INTO outbox (session_id, kind, payload) VALUES ($1, $2, $3)', [
        sessionId,
        p.kind,
        JSON.stringify(p),
      ]);
    }
  };

  const leaseFree = (row: SessionRow, owner: string, now: Date) =>
    !row.busy_by || row.busy_by === owner || !row.busy_until || new Date(row.busy_until) <= now;

  return {
    /** Stores a new session with its opening turn and the opening message to deliver. */
    async create(s: NewSession, opening: { text: string; raw: string | null }, openingOutbox: OutboxPayload) {
      return db.transaction(async (tx) => {
        const rows = await tx.query<SessionRow>(
          `INSERT INTO sessions (id, scenario_id, language, sale, mode, surface, user_id, team_id, channel_id,
             thread_ts, drill_id, state, usage, models)
           VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14) RETURNING *`,
          [
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
          ],
        );
        await tx.query(
          `INSERT INTO turns (session_id, idx, role, text, raw) VALUES ($1, 0, 'buyer', $2, $3)`,
          [s.id, opening.text, opening.raw],
        );
        await addOutbox(tx, s.id, [openingOutbox]);
        return toSession(rows[0]!);
      });
    },

    async get(id: string): Promise<Session | null> {
      const row = await getSession(db, id);
      return row ? toSession(row) : null;
    },

    async findByThread(channelId: string, threadTs: string): Promise<Session | null> {
      const rows = await db.query<SessionRow>(
        'SELECT * FROM sessions WHERE channel_id = $1 AND thread_ts = $2',
        [channelId, threadTs],
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
      const existing = await db.query<InboxRow>(
        'SELECT * FROM inbox WHERE session_id = $1 AND external_id = $2',
        [sessionId, req.externalId],
      );
      return { item: toInbox(existing[0]!), duplicate: true };
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
     * Takes (or renews) the session's lease for `owner` and returns the next open request, or:
     * 'busy' when another worker holds a live lease; null when there is nothing left to do (the lease is then
     * released in the same transaction, so a request queued meanwhile is never stranded).
     */
    async claim(sessionId: string, owner: string, leaseMs: number): Promise<Claim | 'busy' | null> {
      return db.transaction(async (tx) => {
        const row = await getSession(tx, sessionId, true);
        if (!row) return null;
        const now = new Date();
        if (!leaseFree(row, owner, now)) return 'busy';
        const open = await tx.query<InboxRow>(
          `SELECT * FROM inbox WHERE session_id = $1 AND status IN ('pending', 'failed') ORDER BY id LIMIT 1`,
          [sessionId],
        );
        const undelivered = await tx.query<{ n: number }>(
          'SELECT count(*)::int AS n FROM outbox WHERE session_id = $1 AND delivered_at IS NULL',
          [sessionId],
        );
        // A failed request waits for the rep (Retry or a new message); it also holds back later ones, so the
        // buyer never answers out of order.
        const next = open[0] && open[0].status === 'pending' ? toInbox(open[0]) : null;
        if (!next && (undelivered[0]?.n ?? 0) === 0) {
          if (row.busy_by)
            await tx.query('UPDATE sessions SET busy_by = NULL, busy_until = NULL WHERE id = $1', [
              sessionId,
            ]);
          return null;
        }
        const updated = await tx.query<SessionRow>(
          `UPDATE sessions SET busy_by = $2, busy_until = $3 WHERE id = $1 RETURNING *`,
          [sessionId, owner, new Date(now.getTime() + leaseMs)],
        );
        if (next) {
          await tx.query('UPDATE inbox SET attempts = attempts + 1 WHERE id = $1', [next.id]);
          next.attempts += 1;
        }
        return {
          session: toSession(updated[0]!),
          item: next,
          turns: next ? await turnsOf(tx, sessionId) : [],
        };
      });
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

    /** Stores the answer to a request atomically: turns, state, usage, messages to deliver, the end. */
    async complete(sessionId: string, c: Completion): Promise<void> {
      await db.transaction(async (tx) => {
        const row = await getSession(tx, sessionId, true);
        if (!row) return;
        const [{ n }] = (await tx.query<{ n: number }>(
          'SELECT count(*)::int AS n FROM turns WHERE session_id = $1',
          [sessionId],
        )) as [{ n: number }];
        let idx = Number(n);
        for (const t of c.turns) {
          await tx.query(
            'INSERT INTO turns (session_id, idx, role, text, raw, external_id) VALUES ($1, $2, $3, $4, $5, $6)',
            [sessionId, idx++, t.role, t.text, t.raw, t.externalId],
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
        await addOutbox(tx, sessionId, c.outbox);
      });
    },

    /** Records that a request could not be answered; the rep's text stays stored for the retry. */
    async fail(sessionId: string, itemId: number, error: string, outbox: OutboxPayload): Promise<void> {
      await db.transaction(async (tx) => {
        await tx.query(`UPDATE inbox SET status = 'failed', error = $2 WHERE id = $1`, [itemId, error]);
        await addOutbox(tx, sessionId, [outbox]);
      });
    },

    async undelivered(sessionId: string): Promise<OutboxItem[]> {
      return (
        await db.query<OutboxRow>(
          'SELECT * FROM outbox WHERE session_id = $1 AND delivered_at IS NULL ORDER BY id',
          [sessionId],
        )
      ).map(toOutbox);
    },

    async markDelivered(id: number, ref: string | null): Promise<void> {
      await db.query('UPDATE outbox SET delivered_at = now(), ref = $2 WHERE id = $1', [id, ref]);
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

    /** Sessions with work nobody is doing: pending requests or undelivered messages, and no live lease. */
    async needingWork(limit = 100): Promise<string[]> {
      const rows = await db.query<{ id: string }>(
        `SELECT s.id FROM sessions s
         WHERE (s.busy_by IS NULL OR s.busy_until < now())
           AND (EXISTS (SELECT 1 FROM inbox i WHERE i.session_id = s.id AND i.status = 'pending')
             OR EXISTS (SELECT 1 FROM outbox o WHERE o.session_id = s.id AND o.delivered_at IS NULL))
         ORDER BY s.updated_at LIMIT $1`,
        [limit],
      );
      return rows.map((r) => r.id);
    },

    /** An embedded store has one process: leases left by a crashed run of it are void. */
    async clearLeases(): Promise<void> {
      await db.query('UPDATE sessions SET busy_by = NULL, busy_until = NULL WHERE busy_by IS NOT NULL');
    },

    /** Slack event ids: true the first time an id is seen, false for every redelivery, across instances. */
    async claimEvent(eventId: string): Promise<boolean> {
      const rows = await db.query<{ id: string }>(
        'INSERT INTO slack_events (id) VALUES ($1) ON CONFLICT (id) DO NOTHING RETURNING id',
        [eventId],
      );
      return rows.length === 1;
    },

    /** Retention: deletes sessions (and with them turns, requests, messages, feedback) created before `before`. */
    async deleteOlderThan(before: Date): Promise<number> {
      const rows = await db.query<{ id: string }>('DELETE FROM sessions WHERE created_at < $1 RETURNING id', [
        before,
      ]);
      return rows.length;
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
