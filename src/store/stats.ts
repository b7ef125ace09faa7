import type { Verdict } from '../coach/feedback.js';
import type { SessionStatus } from '../domain/session.js';
import type { Db } from './db.js';

/** A session as App Home lists it: what, who, when, and the verdict once coached. */
export type SessionLine = {
  id: string;
  scenarioId: string;
  userId: string | null;
  status: SessionStatus;
  verdict: Verdict | null;
  drillId: string | null;
  channelId: string | null;
  threadTs: string | null;
  createdAt: Date;
};

/** Token use of the sessions that ran on one pair of models (or offline, with no models). */
export type UsageLine = {
  mode: 'llm' | 'offline';
  buyerModel: string | null;
  coachModel: string | null;
  sessions: number;
  /** All tokens, the buyer's and the coach's. */
  inputTokens: number;
  cachedInputTokens: number;
  outputTokens: number;
  /** The coach's part of them. */
  coach: { inputTokens: number; cachedInputTokens: number; outputTokens: number };
};

const VERDICTS: readonly string[] = ['connected', 'script', 'mixed'];

export type StatsStore = ReturnType<typeof createStatsStore>;

/** Read-only queries over sessions for App Home: recent activity and usage. */
export function createStatsStore(db: Db) {
  return {
    /** The newest sessions, of one rep when `userId` is given, with their verdicts. */
    async recentSessions(filter: { userId?: string; limit?: number } = {}): Promise<SessionLine[]> {
      const rows = await db.query<{
        id: string;
        scenario_id: string;
        user_id: string | null;
        status: string;
        verdict: string | null;
        drill_id: string | null;
        channel_id: string | null;
        thread_ts: string | null;
        created_at: Date;
      }>(
        `SELECT s.id, s.scenario_id, s.user_id, s.status, f.verdict, s.drill_id, s.channel_id, s.thread_ts,
           s.created_at
         FROM sessions s LEFT JOIN feedback f ON f.session_id = s.id
         WHERE s.surface = 'slack' AND ($1::text IS NULL OR s.user_id = $1)
         ORDER BY s.created_at DESC, s.id LIMIT $2`,
        [filter.userId ?? null, filter.limit ?? 10],
      );
      return rows.map((r) => ({
        id: r.id,
        scenarioId: r.scenario_id,
        userId: r.user_id,
        status: r.status as SessionStatus,
        verdict: r.verdict && VERDICTS.includes(r.verdict) ? (r.verdict as Verdict) : null,
        drillId: r.drill_id,
        channelId: r.channel_id,
        threadTs: r.thread_ts,
        createdAt: new Date(r.created_at),
      }));
    },

    /** The verdicts of a rep's coached sessions, newest first: the trend on their App Home. */
    async verdicts(userId: string, limit = 10): Promise<Verdict[]> {
      const rows = await db.query<{ verdict: string }>(
        `SELECT f.verdict FROM sessions s JOIN feedback f ON f.session_id = s.id
         WHERE s.user_id = $1 ORDER BY s.created_at DESC, s.id LIMIT $2`,
        [userId, limit],
      );
      return rows.map((r) => r.verdict).filter((v): v is Verdict => VERDICTS.includes(v));
    },

    /**
     * Sessions coached since `since` whose model coach failed, so that the rep got the offline coach's feedback
     * (the feedback body carries `fallback`).
     */
    async coachFallbacksSince(since: Date): Promise<number> {
      const rows = await db.query<{ n: number }>(
        `SELECT count(*)::int AS n FROM feedback f JOIN sessions s ON s.id = f.session_id
         WHERE s.created_at >= $1 AND f.body -> 'fallback' IS NOT NULL`,
        [since],
      );
      return Number(rows[0]?.n ?? 0);
    },

    /** Sessions and tokens since `since`, per pair of models. */
    async usageSince(since: Date): Promise<UsageLine[]> {
      const rows = await db.query<{
        mode: string;
        buyer: string | null;
        coach: string | null;
        sessions: number;
        input: string | number | null;
        cached: string | number | null;
        output: string | number | null;
        coach_input: string | number | null;
        coach_cached: string | number | null;
        coach_output: string | number | null;
      }>(
        `SELECT mode, models->>'buyer' AS buyer, models->>'coach' AS coach, count(*)::int AS sessions,
           sum((usage->>'inputTokens')::bigint) AS input,
           sum((usage->>'cachedInputTokens')::bigint) AS cached,
           sum((usage->>'outputTokens')::bigint) AS output,
           sum((usage->'coach'->>'inputTokens')::bigint) AS coach_input,
           sum((usage->'coach'->>'cachedInputTokens')::bigint) AS coach_cached,
           sum((usage->'coach'->>'outputTokens')::bigint) AS coach_output
         FROM sessions WHERE created_at >= $1
         GROUP BY 1, 2, 3 ORDER BY 4 DESC, 2, 3`,
        [since],
      );
      return rows.map((r) => ({
        mode: r.mode === 'llm' ? 'llm' : 'offline',
        buyerModel: r.buyer,
        coachModel: r.coach,
        sessions: Number(r.sessions),
        inputTokens: Number(r.input ?? 0),
        cachedInputTokens: Number(r.cached ?? 0),
        outputTokens: Number(r.output ?? 0),
        coach: {
          inputTokens: Number(r.coach_input ?? 0),
          cachedInputTokens: Number(r.coach_cached ?? 0),
          outputTokens: Number(r.coach_output ?? 0),
        },
      }));
    },
  };
}
