import { afterEach, describe, expect, it } from 'vitest';
import { createHousekeeping } from '../../src/practice/housekeeping.js';
import { createSessionStore } from '../../src/store/sessions.js';
import { backends, freshDb, silentLogger } from '../helpers/db.js';

const state = {
  trust: 20,
  stage: 'opening',
  uncovered: [],
  closeAttempts: 0,
  unearnedCloses: 0,
  outcome: 'open',
  ended: false,
} as const;

describe.each(backends)('housekeeping on %s', (kind) => {
  let cleanup: (() => Promise<void>) | undefined;
  afterEach(async () => {
    await cleanup?.();
  });

  it('deletes ended sessions inactive past the retention period with everything in them, and keeps the rest', async () => {
    const { db, drop } = await freshDb(kind);
    cleanup = drop;
    const store = createSessionStore(db);
    for (const id of ['old', 'new', 'old-but-active', 'old-open']) {
      await store.create(
        {
          id,
          scenarioId: 'x',
          language: 'en',
          sale: 'simple',
          mode: 'offline',
          surface: 'cli',
          userId: 'U',
          teamId: null,
          channelId: null,
          threadTs: null,
          drillId: null,
          state: { ...state, uncovered: [] },
          models: {},
        },
        { text: 'hi', raw: null },
        { kind: 'opening', text: 'hi', summary: null },
      );
    }
    // Created 40 days ago: 'old' ended then; 'old-but-active' ended yesterday after weeks of practice;
    // 'old-open' has not been touched for 40 days but was never ended.
    await db.query(`UPDATE sessions SET created_at = now() - interval '40 days'`);
    await db.query(
      `UPDATE sessions SET status = 'ended', ended_at = now() - interval '39 days', updated_at = now() - interval '39 days' WHERE id = 'old'`,
    );
    await db.query(
      `UPDATE sessions SET status = 'ended', ended_at = now() - interval '1 day', updated_at = now() - interval '1 day' WHERE id = 'old-but-active'`,
    );
    await db.query(`UPDATE sessions SET updated_at = now() - interval '40 days' WHERE id = 'old-open'`);
    await db.query(`UPDATE sessions SET created_at = now() WHERE id = 'new'`);
    await store.claimRequest('v0=old');
    await db.query(`UPDATE slack_requests SET received_at = now() - interval '1 hour'`);
    await store.claimRequest('v0=new');
    await store.claimEvent('Ev-old');
    await db.query(`UPDATE slack_events SET received_at = now() - interval '2 days'`);
    await store.claimEvent('Ev-new');
    await store.completeEvent('Ev-new');

    const result = await createHousekeeping({ store, retentionDays: 30, logger: silentLogger }).run();
    expect(result).toEqual({ sessions: 1, events: 1, requests: 1 });
    expect((await store.list()).map((s) => s.id).sort()).toEqual(['new', 'old-but-active', 'old-open']);
    expect(await db.query(`SELECT * FROM turns WHERE session_id = 'old'`)).toEqual([]);
    expect(await store.claimEvent('Ev-new')).toBe('duplicate');
    expect(await store.claimRequest('v0=new')).toBe(false);
    expect(await store.claimRequest('v0=old')).toBe(true);

    // Without a retention period, sessions stay.
    expect(await createHousekeeping({ store, logger: silentLogger }).run()).toEqual({
      sessions: 0,
      events: 0,
      requests: 0,
    });
  });
});
