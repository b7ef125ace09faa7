import { afterEach, describe, expect, it } from 'vitest';
import type { BuyerState } from '../../src/buyer/types.js';
import type { NewSession } from '../../src/domain/session.js';
import { createSessionStore } from '../../src/store/sessions.js';
import { backends, freshDb } from '../helpers/db.js';

const state: BuyerState = {
  trust: 25,
  stage: 'opening',
  uncovered: [],
  closeAttempts: 0,
  unearnedCloses: 0,
  outcome: 'open',
  ended: false,
};

const newSession = (id: string): NewSession => ({
  id,
  scenarioId: 'en-test',
  language: 'en',
  sale: 'simple',
  mode: 'offline',
  surface: 'slack',
  userId: 'U1',
  teamId: 'T1',
  channelId: 'C1',
  threadTs: `${id}.000`,
  drillId: null,
  state,
  models: {},
});

/**
 * The sweeper takes a page of sessions per pass. Sessions whose delivery was given up on, or is waiting out its
 * backoff, are not work; the rest come longest-waiting first. So however many are stuck, a session with work
 * left behind by a crash is picked up on the next pass.
 */
describe.each(backends)('the sweeper’s page of work on %s', (kind) => {
  let cleanup: (() => Promise<void>) | undefined;
  afterEach(async () => {
    await cleanup?.();
    cleanup = undefined;
  });

  it('skips parked and backing-off deliveries, however many, and orders the rest by when they were due', async () => {
    const { db, drop } = await freshDb(kind);
    cleanup = drop;
    const store = createSessionStore(db);
    const opening = { kind: 'opening' as const, text: 'hi', summary: null };
    // 120 sessions whose opening Slack refused for good, and 120 whose post failed a moment ago: all older
    // than the fresh one, and (as the sweeper used to order them) at the front of the line.
    const parked: string[] = [];
    const backingOff: string[] = [];
    for (let i = 0; i < 240; i++) {
      const id = `stuck-${String(i).padStart(3, '0')}`;
      await store.create(newSession(id), { text: 'hi', raw: null }, opening);
      const [item] = await store.undelivered(id);
      if (i % 2 === 0) {
        await store.failDelivery(item!.id, 'not_in_channel');
        parked.push(id);
      } else {
        await store.deferDelivery(item!.id, 'internal_error', 60_000);
        backingOff.push(id);
      }
    }
    await db.query(`UPDATE sessions SET updated_at = now() - interval '1 hour'`);
    await db.query(`UPDATE outbox SET created_at = now() - interval '1 hour'`);
    // Work a crash left behind: a delivered opening and a pending rep message; and an older undelivered opening.
    await store.create(newSession('fresh'), { text: 'hi', raw: null }, opening);
    const [freshOpening] = await store.undelivered('fresh');
    await store.markDelivered(freshOpening!.id, 'ts');
    await store.enqueueOpen('fresh', { text: 'hello?', externalId: '1800000000.000001' });
    await store.create(newSession('older'), { text: 'hi', raw: null }, opening);
    await db.query(`UPDATE outbox SET created_at = now() - interval '10 minutes' WHERE session_id = 'older'`);

    // A session whose next message failed (waiting for Retry), with a later one queued behind it: no work.
    await store.create(newSession('blocked'), { text: 'hi', raw: null }, opening);
    const [blockedOpening] = await store.undelivered('blocked');
    await store.markDelivered(blockedOpening!.id, 'ts');
    const { item: failedItem } = await store.enqueue('blocked', {
      kind: 'message',
      text: 'first',
      externalId: '1800000000.000001',
    });
    await store.fail('blocked', failedItem.id, 'llm_timeout: no answer', {
      kind: 'failure',
      inboxId: failedItem.id,
      code: 'llm_timeout',
      message: 'no answer',
      inReplyTo: null,
    });
    const [failureNote] = await store.undelivered('blocked');
    await store.markDelivered(failureNote!.id, 'ts2');
    await store.enqueue('blocked', { kind: 'message', text: 'second', externalId: '1800000000.000002' });
    await db.query(
      `UPDATE inbox SET created_at = now() - interval '30 minutes' WHERE session_id = 'blocked'`,
    );

    const page = await store.needingWork(100);
    expect(page).toEqual(['older', 'fresh']);
    expect(page.some((id) => parked.includes(id) || backingOff.includes(id))).toBe(false);
    // A delivery whose backoff has run out is due again, by when it became due.
    await db.query(
      `UPDATE outbox SET next_attempt_at = now() - interval '20 minutes' WHERE session_id = $1`,
      [backingOff[0]],
    );
    expect(await store.needingWork(100)).toEqual([backingOff[0], 'older', 'fresh']);
    // A parked delivery stays recorded, with why, and is not delivered by a claim either.
    expect((await store.failedDeliveries(parked[0]!)).map((f) => f.error)).toEqual(['not_in_channel']);
    const claim = await store.claim(parked[0]!, 'me', 30_000);
    expect(claim).toBeNull();
  }, 120_000);
});
