import { afterEach, describe, expect, it } from 'vitest';
import type { Verdict } from '../../src/coach/feedback.js';
import type { Db } from '../../src/store/db.js';
import { createVerdictStore } from '../../src/store/verdicts.js';
import { backends, freshDb } from '../helpers/db.js';

describe.each(backends)('verdict store on %s', (kind) => {
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

  /** A session of UREP (or `user`) that ended with `outcome`, coached `verdict` (none: not coached). */
  async function session(
    d: Db,
    id: string,
    verdict: Verdict | null,
    o: { user?: string; outcome?: string } = {},
  ) {
    await d.query(
      `INSERT INTO sessions (id, scenario_id, language, sale, mode, surface, user_id, state, status, created_at)
       VALUES ($1, 'en-x', 'en', 'simple', 'offline', 'slack', $2, $3::jsonb, 'ended', $4)`,
      [
        id,
        o.user ?? 'UREP',
        JSON.stringify({ outcome: o.outcome ?? 'open' }),
        new Date('2025-03-02T00:00:00Z'),
      ],
    );
    if (verdict) {
      await d.query(
        `INSERT INTO feedback (session_id, verdict, mode, body) VALUES ($1, $2, 'offline', '{}')`,
        [id, verdict],
      );
    }
  }
  const at = (iso: string) => new Date(iso);

  it('keeps the rep’s last answer per session', async () => {
    const d = await db();
    await session(d, 's1', 'mixed');
    const v = createVerdictStore(d);
    expect(await v.fairness('s1')).toBeNull();
    await v.setFair({ sessionId: 's1', userId: 'UREP', fair: false, at: at('2025-03-03T10:00:00Z') });
    await v.setFair({ sessionId: 's1', userId: 'UREP', fair: true, at: at('2025-03-03T10:01:00Z') });
    expect(await v.fairness('s1')).toEqual({
      sessionId: 's1',
      userId: 'UREP',
      fair: true,
      updatedAt: at('2025-03-03T10:01:00Z'),
    });
    expect(await v.fairnessSince(at('2025-03-01T00:00:00Z'))).toEqual({ fair: 1, unfair: 0 });
  });

  it('keeps every correction, shows and counts the latest, and never touches the coach’s verdict', async () => {
    const d = await db();
    await session(d, 'agree', 'connected', { outcome: 'next_step' });
    await session(d, 'differ', 'script');
    await session(d, 'old', 'mixed');
    await session(d, 'bob', 'mixed', { user: 'UBOB' });
    await session(d, 'plain', 'mixed');
    const v = createVerdictStore(d);
    const correct = (sessionId: string, verdict: Verdict, iso: string, labels = {}) =>
      v.correct({ sessionId, managerId: 'UMGR', verdict, labels, note: null, at: at(iso) });
    // "agree" first corrected to script, then back to what the coach said: the latest counts.
    await correct('agree', 'script', '2025-03-04T00:00:00Z');
    await correct('agree', 'connected', '2025-03-05T00:00:00Z', { close_attempts: 1 });
    await correct('differ', 'mixed', '2025-03-06T00:00:00Z');
    await correct('old', 'connected', '2025-02-20T00:00:00Z');
    await correct('bob', 'mixed', '2025-03-07T00:00:00Z');

    expect((await v.corrections('agree')).map((c) => c.verdict)).toEqual(['script', 'connected']);
    // March: agree (connected = connected), differ (script ≠ mixed), bob (mixed = mixed); "old" was February's.
    expect(await v.agreementSince(at('2025-03-01T00:00:00Z'))).toEqual({ n: 3, agreed: 2 });
    expect(await v.agreementSince(at('2025-02-01T00:00:00Z'))).toEqual({ n: 4, agreed: 2 });
    const coach = await d.query<{ id: string; verdict: string }>(
      'SELECT session_id AS id, verdict FROM feedback ORDER BY session_id',
    );
    expect(coach.map((r) => [r.id, r.verdict])).toEqual([
      ['agree', 'connected'],
      ['bob', 'mixed'],
      ['differ', 'script'],
      ['old', 'mixed'],
      ['plain', 'mixed'],
    ]);

    const latest = await v.latestCorrections({ userId: 'UREP' });
    expect(latest.map((c) => [c.sessionId, c.verdict, c.labels])).toEqual(
      expect.arrayContaining([
        ['agree', 'connected', { close_attempts: 1 }],
        ['differ', 'mixed', {}],
        ['old', 'connected', {}],
      ]),
    );
    expect(latest).toHaveLength(3);

    await v.setFair({ sessionId: 'differ', userId: 'UREP', fair: false, at: at('2025-03-06T00:00:00Z') });
    const lines = await v.lines(['agree', 'differ', 'plain', 'missing']);
    expect(lines.get('agree')).toMatchObject({
      outcome: 'next_step',
      fair: null,
      correction: { verdict: 'connected', managerId: 'UMGR' },
    });
    expect(lines.get('differ')).toMatchObject({
      outcome: 'open',
      fair: false,
      correction: { verdict: 'mixed' },
    });
    expect(lines.get('plain')).toEqual({ outcome: 'open', fair: null, correction: null });
    expect(lines.has('missing')).toBe(false);
  });
});
