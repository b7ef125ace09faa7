import type { Outcome } from '../buyer/types.js';
import type { RowLabels } from '../coach/eval.js';
import type { Verdict } from '../coach/feedback.js';
import type { Db } from './db.js';

/** The label fields a manager may check beside the verdict (every one optional). */
export type CorrectionLabels = Omit<RowLabels, 'verdict'>;

/** A manager's verdict on a session, stored beside the coach's (which is never changed). */
export type Correction = {
  id: number;
  sessionId: string;
  managerId: string;
  verdict: Verdict;
  labels: CorrectionLabels;
  note: string | null;
  createdAt: Date;
};

/** The rep's answer to "Was this fair?" (the last click). */
export type Fairness = { sessionId: string; userId: string; fair: boolean; updatedAt: Date };

/** How a session ended and what people said about its verdict: what App Home adds to a session line. */
export type SessionVerdictLine = {
  outcome: Outcome | null;
  correction: Correction | null;
  fair: boolean | null;
};

/** The coach against the managers' corrections: `n` corrected sessions, `agreed` where the verdicts match. */
export type Agreement = { n: number; agreed: number };

const VERDICTS: readonly string[] = ['connected', 'script', 'mixed'];
const OUTCOMES: readonly string[] = ['yes', 'next_step', 'no', 'open'];

type CorrectionRow = {
  id: number;
  session_id: string;
  manager_id: string;
  verdict: string;
  labels: CorrectionLabels | string | null;
  note: string | null;
  created_at: Date;
};

const toCorrection = (r: CorrectionRow): Correction => ({
  id: Number(r.id),
  sessionId: r.session_id,
  managerId: r.manager_id,
  verdict: (VERDICTS.includes(r.verdict) ? r.verdict : 'mixed') as Verdict,
  labels: (typeof r.labels === 'string' ? JSON.parse(r.labels) : (r.labels ?? {})) as CorrectionLabels,
  note: r.note,
  createdAt: new Date(r.created_at),
});

/** The latest correction of each session (DISTINCT ON keeps the first row per session in this order). */
const LATEST = `SELECT DISTINCT ON (session_id) id, session_id, manager_id, verdict, labels, note, created_at
  FROM verdict_corrections ORDER BY session_id, id DESC`;

export type VerdictStore = ReturnType<typeof createVerdictStore>;

/** The rep's 👍/👎 and the managers' corrections of the coach's verdict. */
export function createVerdictStore(db: Db) {
  return {
    /** Stores the rep's answer; a later click replaces it. */
    async setFair(a: { sessionId: string; userId: string; fair: boolean; at: Date }): Promise<void> {
      await db.query(
        `INSERT INTO session_feedback (session_id, user_id, fair, updated_at) VALUES ($1, $2, $3, $4)
         ON CONFLICT (session_id) DO UPDATE SET user_id = EXCLUDED.user_id, fair = EXCLUDED.fair,
           updated_at = EXCLUDED.updated_at`,
        [a.sessionId, a.userId, a.fair, a.at],
      );
    },

    async fairness(sessionId: string): Promise<Fairness | null> {
      const rows = await db.query<{ session_id: string; user_id: string; fair: boolean; updated_at: Date }>(
        'SELECT session_id, user_id, fair, updated_at FROM session_feedback WHERE session_id = $1',
        [sessionId],
      );
      const r = rows[0];
      return r
        ? { sessionId: r.session_id, userId: r.user_id, fair: r.fair, updatedAt: new Date(r.updated_at) }
        : null;
    },

    /** Adds a correction; earlier ones stay, as history. */
    async correct(c: {
      sessionId: string;
      managerId: string;
      verdict: Verdict;
      labels: CorrectionLabels;
      note: string | null;
      at: Date;
    }): Promise<Correction> {
      const rows = await db.query<CorrectionRow>(
        `INSERT INTO verdict_corrections (session_id, manager_id, verdict, labels, note, created_at)
         VALUES ($1, $2, $3, $4::jsonb, $5, $6)
         RETURNING id, session_id, manager_id, verdict, labels, note, created_at`,
        [c.sessionId, c.managerId, c.verdict, JSON.stringify(c.labels), c.note, c.at],
      );
      return toCorrection(rows[0]!);
    },

    /** Every correction of a session, oldest first. */
    async corrections(sessionId: string): Promise<Correction[]> {
      const rows = await db.query<CorrectionRow>(
        `SELECT id, session_id, manager_id, verdict, labels, note, created_at FROM verdict_corrections
         WHERE session_id = $1 ORDER BY id`,
        [sessionId],
      );
      return rows.map(toCorrection);
    },

    /** The latest correction of every corrected session, oldest session first (what `export --labelled` writes). */
    async latestCorrections(filter: { userId?: string; since?: Date } = {}): Promise<Correction[]> {
      const rows = await db.query<CorrectionRow>(
        `SELECT c.* FROM (${LATEST}) c JOIN sessions s ON s.id = c.session_id
         WHERE ($1::text IS NULL OR s.user_id = $1) AND ($2::timestamptz IS NULL OR s.created_at >= $2)
         ORDER BY s.created_at, s.id`,
        [filter.userId ?? null, filter.since ?? null],
      );
      return rows.map(toCorrection);
    },

    /** Outcome, latest correction and the rep's answer of each session in `ids`. */
    async lines(ids: readonly string[]): Promise<Map<string, SessionVerdictLine>> {
      const out = new Map<string, SessionVerdictLine>();
      if (ids.length === 0) return out;
      const rows = await db.query<
        CorrectionRow & { sid: string; outcome: string | null; fair: boolean | null; has_correction: boolean }
      >(
        `SELECT s.id AS sid, s.state->>'outcome' AS outcome, sf.fair, c.id IS NOT NULL AS has_correction,
           c.id, c.session_id, c.manager_id, c.verdict, c.labels, c.note, c.created_at
         FROM sessions s
         LEFT JOIN session_feedback sf ON sf.session_id = s.id
         LEFT JOIN (${LATEST}) c ON c.session_id = s.id
         WHERE s.id = ANY($1::text[])`,
        [[...ids]],
      );
      for (const r of rows) {
        out.set(r.sid, {
          outcome: r.outcome && OUTCOMES.includes(r.outcome) ? (r.outcome as Outcome) : null,
          correction: r.has_correction ? toCorrection(r) : null,
          fair: r.fair ?? null,
        });
      }
      return out;
    },

    /**
     * The coach's verdict against the latest correction of each session corrected since `since` (by when the
     * latest correction was made).
     */
    async agreementSince(since: Date): Promise<Agreement> {
      const rows = await db.query<{ n: number; agreed: number }>(
        `SELECT count(*)::int AS n, count(*) FILTER (WHERE f.verdict = c.verdict)::int AS agreed
         FROM (${LATEST}) c JOIN feedback f ON f.session_id = c.session_id
         WHERE c.created_at >= $1`,
        [since],
      );
      return { n: Number(rows[0]?.n ?? 0), agreed: Number(rows[0]?.agreed ?? 0) };
    },

    /** The reps' answers given since `since`. */
    async fairnessSince(since: Date): Promise<{ fair: number; unfair: number }> {
      const rows = await db.query<{ fair: number; unfair: number }>(
        `SELECT count(*) FILTER (WHERE fair)::int AS fair, count(*) FILTER (WHERE NOT fair)::int AS unfair
         FROM session_feedback WHERE updated_at >= $1`,
        [since],
      );
      return { fair: Number(rows[0]?.fair ?? 0), unfair: Number(rows[0]?.unfair ?? 0) };
    },
  };
}
