import { afterEach, describe, expect, it } from 'vitest';
import type { Db } from '../../src/store/db.js';
import { createStatsStore } from '../../src/store/stats.js';
import { backends, freshDb } from '../helpers/db.js';

describe.each(backends)('stats on %s', (kind) => {
  let drop: (() => Promise<void>) | null = null;
  afterEach(async () => {
    await drop?.();
    drop = null;
  });

  async function db(): Promise<Db> {
    const fresh = await freshDb(kind);
    drop = fresh.drop;
    return fresh.db;
  }

  /** A coached session created at `createdAt`, with the feedback body as the coach gave it. */
  async function coached(d: Db, id: string, createdAt: Date, body: Record<string, unknown>) {
    await d.query(
      `INSERT INTO sessions (id, scenario_id, language, sale, mode, surface, state, status, created_at)
       VALUES ($1, 'en-x', 'en', 'simple', 'llm', 'slack', '{}', 'ended', $2)`,
      [id, createdAt],
    );
    await d.query('INSERT INTO feedback (session_id, verdict, mode, body) VALUES ($1, $2, $3, $4)', [
      id,
      'mixed',
      body.mode,
      JSON.stringify(body),
    ]);
  }

  it('counts the sessions since a date whose model coach failed (feedback with a fallback)', async () => {
    const d = await db();
    const since = new Date('2025-03-01T00:00:00Z');
    const fallback = { code: 'llm_timeout', reason: 'no answer' };
    await coached(d, 's1', new Date('2025-03-02T00:00:00Z'), { mode: 'offline', fallback });
    await coached(d, 's2', new Date('2025-03-03T00:00:00Z'), { mode: 'offline', fallback });
    await coached(d, 's3', new Date('2025-03-03T00:00:00Z'), { mode: 'llm' });
    await coached(d, 's4', new Date('2025-03-04T00:00:00Z'), { mode: 'offline' });
    await coached(d, 'old', new Date('2025-02-27T00:00:00Z'), { mode: 'offline', fallback });
    const stats = createStatsStore(d);
    expect(await stats.coachFallbacksSince(since)).toBe(2);
    expect(await stats.coachFallbacksSince(new Date('2025-03-05T00:00:00Z'))).toBe(0);
  });
});
