import { afterEach, describe, expect, it } from 'vitest';
import type { BuyerState } from '../../src/buyer/types.js';
import type { NewSession } from '../../src/domain/session.js';
import { openDb } from '../../src/store/db.js';
import { MIGRATIONS, migrate } from '../../src/store/migrations.js';
import { createSessionStore } from '../../src/store/sessions.js';
import { backends, freshDb, freshPostgresDatabase, silentLogger } from '../helpers/db.js';

const state: BuyerState = {
  trust: 25,
  stage: 'opening',
  uncovered: [],
  closeAttempts: 0,
  unearnedCloses: 0,
  outcome: 'open',
  ended: false,
};

const newSession = (id: string, extra: Partial<NewSession> = {}): NewSession => ({
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
  ...extra,
});

describe.each(backends)('session store on %s', (kind) => {
  let cleanup: (() => Promise<void>) | undefined;
  afterEach(async () => {
    await cleanup?.();
    cleanup = undefined;
  });

  const setup = async () => {
    const { db, drop } = await freshDb(kind);
    cleanup = drop;
    const store = createSessionStore(db);
    await store.create(
      newSession('s1'),
      { text: 'Hello?', raw: null },
      { kind: 'opening', text: 'Hello?', summary: null },
    );
    return { db, store };
  };

  it('stores a session with its opening turn and the opening to deliver', async () => {
    const { store } = await setup();
    const session = await store.get('s1');
    expect(session).toMatchObject({ id: 's1', status: 'active', state, channelId: 'C1' });
    expect(await store.turns('s1')).toEqual([
      { idx: 0, role: 'buyer', text: 'Hello?', raw: null, externalId: null },
    ]);
    expect((await store.undelivered('s1')).map((o) => o.payload)).toEqual([
      { kind: 'opening', text: 'Hello?', summary: null },
    ]);
    expect((await store.findByThread('C1', 's1.000'))?.id).toBe('s1');
    expect(await store.findByThread('C1', 'nope')).toBeNull();
  });

  it('queues a redelivered message only once', async () => {
    const { store } = await setup();
    const first = await store.enqueue('s1', { kind: 'message', text: 'hi', externalId: '111.1' });
    const again = await store.enqueue('s1', { kind: 'message', text: 'hi', externalId: '111.1' });
    expect(first.duplicate).toBe(false);
    expect(again).toEqual({ item: first.item, duplicate: true });
    expect(await store.inbox('s1')).toHaveLength(1);
  });

  it('leases a session to one worker at a time and releases it when the work is done', async () => {
    const { store } = await setup();
    const { item } = await store.enqueue('s1', { kind: 'message', text: 'first' });
    const claim = await store.claim('s1', 'worker-a', 60_000);
    expect(claim).not.toBe('busy');
    expect(claim && claim !== 'busy' ? claim.item?.id : null).toBe(item.id);
    expect(await store.claim('s1', 'worker-b', 60_000)).toBe('busy');
    expect(await store.needingWork()).toEqual([]);

    await store.complete('s1', {
      itemId: item.id,
      turns: [
        { role: 'rep', text: 'first', raw: null, externalId: null },
        { role: 'buyer', text: 'answer', raw: '{"reply":"answer"}', externalId: null },
      ],
      state: { ...state, trust: 30 },
      usage: { inputTokens: 10, cachedInputTokens: 4, outputTokens: 3 },
      outbox: [{ kind: 'reply', text: 'answer', turn: 2, inboxId: item.id, inReplyTo: null }],
    });
    for (const o of await store.undelivered('s1')) await store.markDelivered(o.id, 'ts-1');
    // Nothing left: the claim releases the lease, so another worker can take the session at once.
    expect(await store.claim('s1', 'worker-a', 60_000)).toBeNull();
    expect(await store.claim('s1', 'worker-b', 60_000)).toBeNull();

    const session = await store.get('s1');
    expect(session?.state.trust).toBe(30);
    expect(session?.usage).toEqual({ inputTokens: 10, cachedInputTokens: 4, outputTokens: 3 });
    expect((await store.turns('s1')).map((t) => `${t.idx}:${t.role}`)).toEqual([
      '0:buyer',
      '1:rep',
      '2:buyer',
    ]);
  });

  it('lets another worker take over an expired lease', async () => {
    const { store } = await setup();
    await store.enqueue('s1', { kind: 'message', text: 'first' });
    expect(await store.claim('s1', 'dead-worker', 1)).not.toBe('busy');
    await new Promise((r) => setTimeout(r, 20));
    expect(await store.needingWork()).toEqual(['s1']);
    const claim = await store.claim('s1', 'worker-b', 60_000);
    expect(claim === 'busy' || claim === null ? null : claim.item?.text).toBe('first');
  });

  it('holds later messages back behind a failed one until it is retried', async () => {
    const { store } = await setup();
    const a = await store.enqueue('s1', { kind: 'message', text: 'a' });
    await store.enqueue('s1', { kind: 'message', text: 'b' });
    for (const o of await store.undelivered('s1')) await store.markDelivered(o.id, null);
    await store.fail('s1', a.item.id, 'llm_timeout: slow', {
      kind: 'failure',
      inboxId: a.item.id,
      code: 'llm_timeout',
      message: 'slow',
      inReplyTo: null,
    });
    const withFailure = await store.claim('s1', 'w', 60_000);
    expect(withFailure !== null && withFailure !== 'busy' && withFailure.item).toBe(null);
    for (const o of await store.undelivered('s1')) await store.markDelivered(o.id, null);
    expect(await store.claim('s1', 'w', 60_000)).toBeNull();
    expect(await store.retryFailed('s1')).toBe(1);
    const retried = await store.claim('s1', 'w', 60_000);
    expect(retried !== null && retried !== 'busy' ? retried.item?.text : null).toBe('a');
  });

  it('ends a session, stores its feedback and ignores what was queued after the end', async () => {
    const { store } = await setup();
    const end = await store.enqueue('s1', { kind: 'end' });
    await store.enqueue('s1', { kind: 'message', text: 'late' });
    const feedback = {
      verdict: 'mixed' as const,
      mode: 'offline' as const,
      summary: 's',
      nextTime: 'n',
      dimensions: [],
      metrics: {
        repWordShare: 0,
        repQuestions: 0,
        discoveryQuestions: 0,
        longestRepTurnWords: 0,
        closeAttempts: 0,
        finalCloseType: 'none' as const,
        recapBeforeClose: false,
        addedArgumentAfterClose: false,
        pitchedBeforeDiscovery: false,
        buyerFlatNo: false,
        disguisedNo: false,
      },
    };
    await store.complete('s1', {
      itemId: end.item.id,
      turns: [],
      state: { ...state, ended: true, stage: 'ended' },
      usage: { inputTokens: 0, cachedInputTokens: 0, outputTokens: 0 },
      outbox: [{ kind: 'feedback', feedback, outcome: 'open', endedBy: 'rep' }],
      end: { feedback },
    });
    expect((await store.get('s1'))?.status).toBe('ended');
    expect((await store.get('s1'))?.endedAt).toBeInstanceOf(Date);
    expect(await store.feedback('s1')).toEqual(feedback);
    expect((await store.inbox('s1')).map((i) => i.status)).toEqual(['done', 'ignored']);
  });

  it('claims each Slack event id once; a redelivery is in flight until the first is stored', async () => {
    const { store } = await setup();
    expect(await store.claimEvent('Ev1')).toBe('claimed');
    expect(await store.claimEvent('Ev1')).toBe('in_flight');
    expect(await store.claimEvent('Ev2')).toBe('claimed');
    await store.completeEvent('Ev1');
    expect(await store.claimEvent('Ev1')).toBe('duplicate');
    expect(await store.claimEvent('Ev2')).toBe('in_flight');
  });

  it('lets a redelivery take over a claim that was never stored, once it is older than the take-over time', async () => {
    const { db, store } = await setup();
    expect(await store.claimEvent('Ev-lost')).toBe('claimed');
    expect(await store.claimEvent('Ev-lost', { takeOverAfterMs: 60_000 })).toBe('in_flight');
    await db.query(`UPDATE slack_events SET received_at = now() - interval '2 minutes' WHERE id = 'Ev-lost'`);
    expect(await store.claimEvent('Ev-lost', { takeOverAfterMs: 60_000 })).toBe('claimed');
    // Taking over restarts its clock: a third delivery now is in flight again.
    expect(await store.claimEvent('Ev-lost', { takeOverAfterMs: 60_000 })).toBe('in_flight');
    // A stored one is never taken over, however old.
    await store.completeEvent('Ev-lost');
    await db.query(`UPDATE slack_events SET received_at = now() - interval '2 hours' WHERE id = 'Ev-lost'`);
    expect(await store.claimEvent('Ev-lost', { takeOverAfterMs: 60_000 })).toBe('duplicate');
  });

  it('claims and queues a rep message in a thread in one statement; a redelivery is a duplicate', async () => {
    const { store } = await setup();
    const msg = {
      eventId: 'Ev-in-1',
      channelId: 'C1',
      threadTs: 's1.000',
      userId: 'U1',
      text: 'Who else is involved?',
      externalId: '1800000000.000001',
    };
    const first = await store.intakeMessage(msg);
    expect(first).toMatchObject({ claim: 'claimed', session: { id: 's1' }, queued: { duplicate: false } });
    expect(first.claim === 'claimed' && first.queued?.item).toMatchObject({
      kind: 'message',
      text: 'Who else is involved?',
      externalId: '1800000000.000001',
      status: 'pending',
    });
    // Stored with its claim: the redelivery is a duplicate at once, and nothing is queued twice.
    expect(await store.intakeMessage(msg)).toEqual({ claim: 'duplicate' });
    expect(await store.claimEvent('Ev-in-1')).toBe('duplicate');
    expect((await store.inbox('s1')).filter((i) => i.kind === 'message')).toHaveLength(1);
  });

  it('takes the lease with a rep message when the session is idle: the first claim comes back with it', async () => {
    const { db, store } = await setup();
    const [opening] = await store.undelivered('s1');
    await store.markDelivered(opening!.id, 'ts-opening');
    const msg = (n: number) => ({
      eventId: `Ev-lease-${n}`,
      channelId: 'C1',
      threadTs: 's1.000',
      userId: 'U1',
      text: `question ${n}`,
      externalId: `1800000000.00010${n}`,
    });
    const got = await store.intakeMessage(msg(1), { owner: 'here', leaseMs: 60_000 });
    expect(got.claim === 'claimed' && got.first).toMatchObject({
      session: { id: 's1' },
      item: { kind: 'message', text: 'question 1', status: 'pending', attempts: 1 },
      turns: [{ idx: 0, role: 'buyer', text: 'Hello?' }],
      undelivered: [],
    });
    // Leased for real: another instance finds the session busy; the owner's own claim sees the same request.
    expect(await db.query(`SELECT busy_by FROM sessions WHERE id = 's1'`)).toEqual([{ busy_by: 'here' }]);
    expect(await store.claim('s1', 'elsewhere', 60_000)).toBe('busy');
    // A second message while the first is in hand: queued, but the lease is not free, so no first claim.
    const second = await store.intakeMessage(msg(2), { owner: 'here', leaseMs: 60_000 });
    expect(second).toMatchObject({ claim: 'claimed', queued: { duplicate: false } });
    expect(second.claim === 'claimed' && second.first).toBeUndefined();
    const own = await store.claim('s1', 'here', 60_000);
    expect(own !== 'busy' && own?.item).toMatchObject({ text: 'question 1', attempts: 2 });
  });

  it('takes no lease with a message when the session has other work, another owner, or none is asked for', async () => {
    const { db, store } = await setup();
    const msg = (n: number) => ({
      eventId: `Ev-nolease-${n}`,
      channelId: 'C1',
      threadTs: 's1.000',
      userId: 'U1',
      text: `question ${n}`,
      externalId: `1800000000.00020${n}`,
    });
    const lease = { owner: 'here', leaseMs: 60_000 };
    const first = (got: Awaited<ReturnType<typeof store.intakeMessage>>) =>
      got.claim === 'claimed' ? got.first : 'not claimed';
    // The opening is not delivered yet.
    expect(first(await store.intakeMessage(msg(1), lease))).toBeUndefined();
    await db.query('UPDATE outbox SET delivered_at = now()');
    // A message waits to be answered (the one just queued).
    expect(first(await store.intakeMessage(msg(2), lease))).toBeUndefined();
    await db.query(`UPDATE inbox SET status = 'done'`);
    // Another instance holds a live lease.
    await db.query(`UPDATE sessions SET busy_by = 'elsewhere', busy_until = now() + interval '1 minute'`);
    expect(first(await store.intakeMessage(msg(3), lease))).toBeUndefined();
    await db.query(`UPDATE inbox SET status = 'done'`);
    await db.query(`UPDATE sessions SET busy_by = NULL, busy_until = NULL`);
    // No lease asked for.
    expect(first(await store.intakeMessage(msg(4)))).toBeUndefined();
    expect(await db.query(`SELECT busy_by FROM sessions WHERE id = 's1'`)).toEqual([{ busy_by: null }]);
    await db.query(`UPDATE inbox SET status = 'done'`);
    // Idle again, and a lease run out counts as free.
    await db.query(`UPDATE sessions SET busy_by = 'gone', busy_until = now() - interval '1 minute'`);
    expect(first(await store.intakeMessage(msg(5), lease))).toMatchObject({ item: { text: 'question 5' } });
  });

  it('claims without queueing a message in a thread that is no session, someone else’s, or ended', async () => {
    const { db, store } = await setup();
    const msg = (eventId: string, extra: object = {}) => ({
      eventId,
      channelId: 'C1',
      threadTs: 's1.000',
      userId: 'U1',
      text: 'Hello',
      externalId: `1800000000.0${eventId.length}${eventId.at(-1)}`,
      ...extra,
    });
    expect(await store.intakeMessage(msg('Ev-none', { threadTs: '999.000' }))).toEqual({
      claim: 'claimed',
      session: null,
      queued: null,
    });
    expect(await store.intakeMessage(msg('Ev-other', { userId: 'U2' }))).toMatchObject({
      claim: 'claimed',
      session: { id: 's1' },
      queued: null,
    });
    await db.query(`UPDATE sessions SET status = 'ended' WHERE id = 's1'`);
    expect(await store.intakeMessage(msg('Ev-ended'))).toMatchObject({
      claim: 'claimed',
      session: { id: 's1', status: 'ended' },
      queued: null,
    });
    expect(await store.inbox('s1')).toEqual([]);
    // Each is stored as its claim: nothing more to do for any redelivery.
    for (const id of ['Ev-none', 'Ev-other', 'Ev-ended'])
      expect(await store.claimEvent(id)).toBe('duplicate');
  });

  it('leaves a message whose event another delivery holds, and takes over a claim never stored', async () => {
    const { db, store } = await setup();
    const msg = {
      eventId: 'Ev-held',
      channelId: 'C1',
      threadTs: 's1.000',
      userId: 'U1',
      text: 'What does it cost?',
      externalId: '1800000000.000009',
      takeOverAfterMs: 60_000,
    };
    // Claimed by a delivery that has not stored anything yet: this one is in flight and queues nothing.
    expect(await store.claimEvent('Ev-held')).toBe('claimed');
    expect(await store.intakeMessage(msg)).toEqual({ claim: 'in_flight' });
    expect(await store.inbox('s1')).toEqual([]);
    // That delivery queued the message and stopped before marking its claim: the takeover finds it queued.
    await store.enqueueOpen('s1', { text: msg.text, externalId: msg.externalId, userId: 'U1' });
    await db.query(`UPDATE slack_events SET received_at = now() - interval '2 minutes' WHERE id = 'Ev-held'`);
    expect(await store.intakeMessage(msg)).toMatchObject({ claim: 'claimed', queued: { duplicate: true } });
    expect(await store.claimEvent('Ev-held')).toBe('duplicate');
    expect((await store.inbox('s1')).filter((i) => i.kind === 'message')).toHaveLength(1);
  });

  it('starts a session from a mention with its claim in one statement; the mention’s own message event is a duplicate', async () => {
    const { store } = await setup();
    const mention = (eventId: string, id: string, threadTs: string) => ({
      eventId,
      mention: { ts: threadTs, text: '<@UBOT> en-test' },
      session: { ...newSession(id), channelId: 'C1', threadTs },
      opening: { text: 'Who are you?', raw: null },
      outbox: [{ kind: 'header' }, { kind: 'opening', text: 'Who are you?', summary: null }] as const,
    });
    const first = await store.intakeMention(mention('Ev-m1', 'm1', '1800000000.000100'));
    expect(first).toMatchObject({
      claim: 'claimed',
      existing: null,
      session: { id: 'm1', status: 'active' },
    });
    expect((await store.findByThread('C1', '1800000000.000100'))?.id).toBe('m1');
    expect(await store.turns('m1')).toEqual([
      { idx: 0, role: 'buyer', text: 'Who are you?', raw: null, externalId: null },
    ]);
    // The session message first, then the opening.
    expect((await store.undelivered('m1')).map((o) => o.payload.kind)).toEqual(['header', 'opening']);
    // The mention is the session's first request, answered: nothing for the buyer to do.
    expect(await store.inbox('m1')).toMatchObject([
      { kind: 'start', externalId: '1800000000.000100', userId: 'U1', status: 'done' },
    ]);
    expect(await store.claim('m1', 'w1', 60_000)).toMatchObject({ item: null });

    // Slack's plain message event for the same mention finds it queued already: not a message to the buyer.
    const echo = await store.intakeMessage({
      eventId: 'Ev-m1-message',
      channelId: 'C1',
      threadTs: '1800000000.000100',
      userId: 'U1',
      text: 'en-test',
      externalId: '1800000000.000100',
    });
    expect(echo).toMatchObject({ claim: 'claimed', queued: { duplicate: true, item: { kind: 'start' } } });
    expect(await store.inbox('m1')).toHaveLength(1);

    // A redelivery is a duplicate and stores nothing; so is a second mention in a thread that has its session.
    expect(await store.intakeMention(mention('Ev-m1', 'm1-again', '1800000000.000100'))).toEqual({
      claim: 'duplicate',
    });
    const inSession = await store.intakeMention(mention('Ev-m2', 'm2', '1800000000.000100'));
    expect(inSession).toMatchObject({ claim: 'claimed', existing: { id: 'm1' }, session: null });
    expect(await store.get('m1-again')).toBeNull();
    expect(await store.get('m2')).toBeNull();
    expect(await store.claimEvent('Ev-m2')).toBe('duplicate');

    // Held by another delivery: in flight, nothing stored.
    expect(await store.claimEvent('Ev-m3')).toBe('claimed');
    expect(await store.intakeMention(mention('Ev-m3', 'm3', '1800000000.000300'))).toEqual({
      claim: 'in_flight',
    });
    expect(await store.findByThread('C1', '1800000000.000300')).toBeNull();
  });

  it('stores a new session leased to its starter, with its first claim, so that nobody else delivers it', async () => {
    const { store } = await setup();
    const claim = await store.createClaimed(
      newSession('leased'),
      { text: 'Hi.', raw: null },
      { kind: 'opening', text: 'Hi.', summary: null },
      { owner: 'w1', leaseMs: 60_000 },
    );
    expect(claim).toMatchObject({ session: { id: 'leased', status: 'active' }, item: null, turns: [] });
    expect(claim.undelivered.map((o) => o.payload)).toEqual([
      { kind: 'opening', text: 'Hi.', summary: null },
    ]);
    expect(claim.undelivered.map((o) => o.id)).toEqual((await store.undelivered('leased')).map((o) => o.id));
    // Another worker finds it busy; its owner may claim it again (the same lease), and releases it when done.
    expect(await store.claim('leased', 'w2', 60_000)).toBe('busy');
    const again = await store.claim('leased', 'w1', 60_000, {
      id: claim.undelivered[0]!.id,
      ref: '1800000000.000500',
    });
    expect(again).toBeNull();
    expect(await store.claim('leased', 'w2', 60_000)).toBeNull();
    expect(await store.undelivered('leased')).toEqual([]);

    // A mention's session likewise, its messages in order; a thread that has its session gets no first claim.
    const mention = (eventId: string, id: string) => ({
      eventId,
      mention: { ts: '1800000000.000600', text: '<@UBOT> en-test' },
      session: { ...newSession(id), channelId: 'C1', threadTs: '1800000000.000600' },
      opening: { text: 'Who?', raw: null },
      outbox: [{ kind: 'header' }, { kind: 'opening', text: 'Who?', summary: null }] as const,
      lease: { owner: 'w1', leaseMs: 60_000 },
    });
    const started = await store.intakeMention(mention('Ev-lease-1', 'm-leased'));
    if (started.claim !== 'claimed') throw new Error(`not claimed: ${started.claim}`);
    expect(started.first?.undelivered.map((o) => o.payload.kind)).toEqual(['header', 'opening']);
    expect(started.first?.session).toEqual(started.session);
    expect(await store.claim('m-leased', 'w2', 60_000)).toBe('busy');
    const second = await store.intakeMention(mention('Ev-lease-2', 'm-other'));
    expect(second).toMatchObject({ claim: 'claimed', existing: { id: 'm-leased' }, session: null });
    expect(second).not.toHaveProperty('first');
  });

  it('releases the unstored claims of a crashed run (embedded store), keeps the stored ones', async () => {
    const { store } = await setup();
    await store.claimEvent('Ev-a');
    await store.claimEvent('Ev-b');
    await store.completeEvent('Ev-b');
    expect(await store.releaseUnstoredEvents()).toBe(1);
    expect(await store.claimEvent('Ev-a')).toBe('claimed');
    expect(await store.claimEvent('Ev-b')).toBe('duplicate');
  });

  it('lists sessions by user and time', async () => {
    const { store } = await setup();
    await store.create(
      newSession('s2', { userId: 'U2' }),
      { text: 'Hi', raw: null },
      { kind: 'opening', text: 'Hi', summary: null },
    );
    expect((await store.list({ userId: 'U2' })).map((s) => s.id)).toEqual(['s2']);
    expect((await store.list({ since: new Date(Date.now() + 60_000) })).length).toBe(0);
    expect((await store.list()).length).toBe(2);
  });

  it('migrates once, and again without changes', async () => {
    const { db } = await setup();
    expect(await migrate(db)).toEqual([]);
  });
});

describe.runIf(backends.includes('postgres'))('migrations on PostgreSQL', () => {
  it('are safe when two instances start at the same moment', async () => {
    const { url, drop } = await freshPostgresDatabase();
    try {
      const [a, b] = await Promise.all([
        openDb({ databaseUrl: url, dataDir: null, logger: silentLogger, poolSize: 2 }),
        openDb({ databaseUrl: url, dataDir: null, logger: silentLogger, poolSize: 2 }),
      ]);
      const versions = await a.query<{ version: number }>(
        'SELECT version FROM schema_migrations ORDER BY version',
      );
      expect(versions.map((v) => v.version)).toEqual(MIGRATIONS.map((m) => m.version));
      await Promise.all([a.close(), b.close()]);
    } finally {
      await drop();
    }
  });
});
