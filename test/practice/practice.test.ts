import { afterEach, describe, expect, it, vi } from 'vitest';
import { type Buyer, type BuyerReplyInput, initialState } from '../../src/buyer/types.js';
import type { Coach } from '../../src/coach/coach.js';
import type { Feedback } from '../../src/coach/feedback.js';
import type { OutboxItem, Session } from '../../src/domain/session.js';
import { AppError, isAppError } from '../../src/errors.js';
import { createPractice, MAX_REP_TEXT } from '../../src/practice/practice.js';
import type { Scenario } from '../../src/scenarios/schema.js';
import type { Db } from '../../src/store/db.js';
import { createSessionStore } from '../../src/store/sessions.js';
import { backends, freshDb, silentLogger } from '../helpers/db.js';

const scenario = {
  id: 'en-fake',
  title: 'Fake',
  language: 'en',
  sale: 'complex',
  difficulty: 3,
  start: 'conversation',
  brief: 'b',
  persona: { name: 'Karen', role: 'Ops', company: 'Vans Ltd', personality: 'p', cares_about: ['c'] },
  situation: 's',
  buying_process: 'b',
  hidden_facts: [],
  objections: ['o'],
  disguised_nos: ['d1', 'd2'],
  flat_no: 'No.',
  earned_yes: { kind: 'next_step', description: 'd', line: 'Yes, set it up.' },
  opening: 'Make it quick.',
  offline: {
    trust_start: 25,
    lines: {
      guarded: ['g'],
      pitch: ['p'],
      pressure: ['p'],
      reflection: ['r'],
      off_topic: ['o'],
      impression: ['i'],
      wrap_up: 'w',
    },
  },
} as unknown as Scenario;

const feedback: Feedback = {
  verdict: 'connected',
  mode: 'offline',
  summary: 'ok',
  nextTime: 'more',
  dimensions: [],
  metrics: {
    repWordShare: 0.5,
    repQuestions: 1,
    discoveryQuestions: 1,
    longestRepTurnWords: 3,
    closeAttempts: 0,
    finalCloseType: 'none',
    recapBeforeClose: false,
    addedArgumentAfterClose: false,
    pitchedBeforeDiscovery: false,
    buyerFlatNo: false,
    disguisedNo: false,
  },
};

/** A buyer that echoes; `fail` makes the next replies throw, `deal` ends the conversation with a yes. */
function fakeBuyer(opts: { delayMs?: (text: string) => number } = {}) {
  const control = { failures: 0, seen: [] as BuyerReplyInput[] };
  const buyer: Buyer = {
    mode: 'offline',
    open: (s) => ({ text: s.opening, state: initialState(s), raw: null, usage: null }),
    async reply(input) {
      control.seen.push(input);
      await new Promise((r) => setTimeout(r, opts.delayMs?.(input.repText) ?? 0));
      if (control.failures > 0) {
        control.failures -= 1;
        throw new AppError('llm_timeout', 'The model did not answer in time.');
      }
      const deal = input.repText.includes('deal?');
      return {
        text: deal ? 'Yes, set it up.' : `echo: ${input.repText}`,
        state: {
          ...input.state,
          outcome: deal ? 'next_step' : 'open',
          ended: deal,
          stage: deal ? 'ended' : 'discovery',
        },
        raw: null,
        usage: { inputTokens: 100, cachedInputTokens: 80, outputTokens: 10 },
      };
    },
  };
  return { buyer, control };
}

const coach: Coach = { mode: 'offline', evaluate: async () => ({ feedback, usage: null }) };

/** A promise (`opened`) that a test resolves when it chooses (`open`): to hold a call at a given point. */
function signal() {
  let open!: () => void;
  const opened = new Promise<void>((resolve) => {
    open = resolve;
  });
  return { open, opened };
}

describe.each(backends)('practice on %s', (kind) => {
  let cleanup: (() => Promise<void>) | undefined;
  afterEach(async () => {
    await cleanup?.();
    cleanup = undefined;
  });

  const setup = async (
    opts: { db?: Db; buyer?: ReturnType<typeof fakeBuyer>; instanceId?: string; leaseMs?: number } = {},
  ) => {
    let db = opts.db;
    if (!db) {
      const fresh = await freshDb(kind);
      db = fresh.db;
      cleanup = fresh.drop;
    }
    const delivered: Array<{ session: string; payload: OutboxItem['payload'] }> = [];
    const deliveryFailures = { count: 0 };
    const { buyer, control } = opts.buyer ?? fakeBuyer();
    const store = createSessionStore(db);
    const practice = createPractice({
      store,
      catalog: {
        get: (id) => (id === scenario.id ? scenario : undefined),
        require: (id) => {
          if (id !== scenario.id) throw new AppError('scenario_not_found', `Unknown scenario "${id}".`);
          return scenario;
        },
      },
      buyer,
      coach,
      logger: silentLogger,
      instanceId: opts.instanceId,
      leaseMs: opts.leaseMs,
      // A failed delivery is due again at once here; the backoff itself is tested in test/resilience.
      deliveryBackoffMs: () => 0,
      deliver: async (session: Session, item: OutboxItem) => {
        if (deliveryFailures.count > 0) {
          deliveryFailures.count -= 1;
          throw new Error('slack is down');
        }
        delivered.push({ session: session.id, payload: item.payload });
        return `ts-${item.id}`;
      },
    });
    return { db, practice, store, delivered, control, deliveryFailures };
  };

  const texts = (delivered: Array<{ payload: OutboxItem['payload'] }>) =>
    delivered.map((d) => ('text' in d.payload ? d.payload.text : d.payload.kind));

  it('delivers the opening, then one reply per message, in order', async () => {
    const { practice, delivered } = await setup();
    const session = await practice.start({ scenarioId: 'en-fake', surface: 'cli' });
    await practice.run(session.id);
    await practice.submit(session.id, { text: 'How do you track the vans?' });
    await practice.submit(session.id, { text: 'And who decides?' });
    await practice.run(session.id);
    expect(texts(delivered)).toEqual([
      'Make it quick.',
      'echo: How do you track the vans?',
      'echo: And who decides?',
    ]);
    const transcript = await practice.transcript(session.id);
    expect(transcript.turns.map((t) => t.role)).toEqual(['buyer', 'rep', 'buyer', 'rep', 'buyer']);
    expect((await practice.get(session.id))?.usage).toEqual({
      inputTokens: 200,
      cachedInputTokens: 160,
      outputTokens: 20,
    });
  });

  it('delivers a new session’s opening from the claim it was stored with: one claim, at the end, to release it', async () => {
    const { practice, store, delivered } = await setup({ instanceId: 'here' });
    const claims = vi.spyOn(store, 'claim');
    const session = await practice.start({ scenarioId: 'en-fake', surface: 'cli' });
    // Stored leased to this instance: another one cannot take it before its opening is out.
    expect(await store.claim(session.id, 'elsewhere', 60_000)).toBe('busy');
    claims.mockClear();
    await practice.run(session.id);
    expect(texts(delivered)).toEqual(['Make it quick.']);
    // The only claim records the delivery, finds nothing more to do and gives the lease back.
    expect(claims).toHaveBeenCalledTimes(1);
    expect(claims.mock.calls[0]![3]).toEqual({ id: expect.any(Number), ref: expect.stringMatching(/^ts-/) });
    expect(await store.claim(session.id, 'elsewhere', 60_000)).toBeNull();
    // A later run claims as usual.
    await practice.submit(session.id, { text: 'Who decides?' });
    await practice.run(session.id);
    expect(texts(delivered)).toEqual(['Make it quick.', 'echo: Who decides?']);
  });

  const threadMessage = (n: number) => ({
    eventId: `Ev-${n}`,
    channelId: 'C1',
    threadTs: '1700000000.000001',
    userId: 'U1',
    text: `question ${n}`,
    externalId: `1700000000.00010${n}`,
  });
  const startInThread = async (practice: Awaited<ReturnType<typeof setup>>['practice']) => {
    const session = await practice.start({
      scenarioId: 'en-fake',
      surface: 'slack',
      userId: 'U1',
      channelId: 'C1',
      threadTs: '1700000000.000001',
    });
    await practice.run(session.id);
    return session;
  };

  it('answers a message in an idle thread from the lease taken with it: no claim before the buyer', async () => {
    const { practice, store, delivered, control } = await setup({ instanceId: 'here' });
    const session = await startInThread(practice);
    const claims = vi.spyOn(store, 'claim');
    const got = await practice.submitInThread(threadMessage(1));
    expect(got).toMatchObject({ claim: 'claimed', queued: { duplicate: false } });
    expect(await store.claim(session.id, 'elsewhere', 60_000)).toBe('busy');
    claims.mockClear();
    await practice.run(session.id);
    expect(texts(delivered)).toEqual(['Make it quick.', 'echo: question 1']);
    expect(control.seen.map((s) => s.history.map((t) => t.text))).toEqual([['Make it quick.']]);
    // The only claim comes after the reply: it records the delivery and gives the lease back.
    expect(claims).toHaveBeenCalledTimes(1);
    expect(claims.mock.calls[0]![3]).toEqual({ id: expect.any(Number), ref: expect.stringMatching(/^ts-/) });
    // The next message finds the session idle again.
    await practice.submitInThread(threadMessage(2));
    await practice.run(session.id);
    expect(texts(delivered).slice(1)).toEqual(['echo: question 1', 'echo: question 2']);
  });

  it('answers once when a claim was already on its way as the message took the lease', async () => {
    const { practice, store, delivered, control } = await setup({ instanceId: 'here' });
    const session = await startInThread(practice);
    // A run (the sweep's, say) sends its claim; the store runs it only after the message's statement, which
    // goes first, finds the lease free and takes it. That claim then sees the message too (the lease is this
    // instance's own), so the message's first claim must not be answered as well.
    const claim = store.claim.bind(store);
    const { open: go, opened: gate } = signal();
    vi.spyOn(store, 'claim').mockImplementationOnce(async (...args) => {
      await gate;
      return claim(...args);
    });
    const sweepRun = practice.run(session.id);
    await vi.waitFor(() => expect(store.claim).toHaveBeenCalledTimes(1));
    await practice.submitInThread(threadMessage(1));
    go();
    await Promise.all([sweepRun, practice.run(session.id)]);
    expect(texts(delivered)).toEqual(['Make it quick.', 'echo: question 1']);
    expect(control.seen).toHaveLength(1);
  });

  it('uses the lease taken with a message when the claim that came back meanwhile had found nothing', async () => {
    const { practice, store, delivered, control } = await setup({ instanceId: 'here' });
    const session = await startInThread(practice);
    // The last claim of a drain has run (nothing to do, the lease given back) but its answer is still on its
    // way when the next message is taken in, as when a rep answers at once.
    const claim = store.claim.bind(store);
    const { open: go, opened: gate } = signal();
    const { open: ran, opened: hasRun } = signal();
    const claims = vi.spyOn(store, 'claim').mockImplementationOnce(async (...args) => {
      const got = await claim(...args);
      ran();
      await gate;
      return got;
    });
    const last = practice.run(session.id);
    await hasRun;
    const intake = practice.submitInThread(threadMessage(1));
    go();
    await last;
    await intake;
    await practice.run(session.id);
    expect(texts(delivered)).toEqual(['Make it quick.', 'echo: question 1']);
    expect(control.seen).toHaveLength(1);
    // The gated claim, and the one after the reply: the message was answered from the lease taken with it.
    expect(claims).toHaveBeenCalledTimes(2);
  });

  it('lets a run finish what was queued while it answered: the run asked for meanwhile claims nothing', async () => {
    const fake = fakeBuyer();
    // The buyer holds its answer to `first` until the test lets it go.
    const reply = fake.buyer.reply.bind(fake.buyer);
    const { open: answering, opened: asked } = signal();
    const { open: go, opened: gate } = signal();
    fake.buyer.reply = async (input) => {
      if (input.repText === 'first') {
        answering();
        await gate;
      }
      return reply(input);
    };
    const { practice, store, delivered } = await setup({ buyer: fake });
    const session = await practice.start({ scenarioId: 'en-fake', surface: 'slack' });
    await practice.run(session.id);
    const claims = vi.spyOn(store, 'claim');
    await practice.submit(session.id, { text: 'first', externalId: '1.1' });
    const a = practice.run(session.id);
    await asked;
    // Queued while the buyer answers `first`: the running drain's next claim finds it.
    await practice.submit(session.id, { text: 'second', externalId: '1.2' });
    const b = practice.run(session.id);
    go();
    await Promise.all([a, b]);
    expect(texts(delivered)).toEqual(['Make it quick.', 'echo: first', 'echo: second']);
    // first, second, then the one that finds nothing more and gives the lease back; none for the second run.
    expect(claims).toHaveBeenCalledTimes(3);
    // A run asked for after that is a drain of its own again.
    await practice.submit(session.id, { text: 'third', externalId: '1.3' });
    await practice.run(session.id);
    expect(texts(delivered).at(-1)).toBe('echo: third');
  });

  it('answers messages in arrival order even when runs overlap and earlier replies are slower', async () => {
    const { practice, delivered } = await setup({
      buyer: fakeBuyer({ delayMs: (t) => (t === 'first' ? 60 : 0) }),
    });
    const session = await practice.start({ scenarioId: 'en-fake', surface: 'slack' });
    await practice.submit(session.id, { text: 'first', externalId: '1.1' });
    const a = practice.run(session.id);
    await practice.submit(session.id, { text: 'second', externalId: '1.2' });
    const b = practice.run(session.id);
    await Promise.all([a, b]);
    expect(texts(delivered)).toEqual(['Make it quick.', 'echo: first', 'echo: second']);
  });

  it('answers Slack messages in the order they were written, also when they arrive the other way round', async () => {
    const { practice, delivered } = await setup();
    const session = await practice.start({ scenarioId: 'en-fake', surface: 'slack' });
    await practice.submit(session.id, { text: 'written second', externalId: '1700000000.000200' });
    await practice.submit(session.id, { text: 'written first', externalId: '1700000000.000100' });
    await practice.run(session.id);
    expect(texts(delivered)).toEqual(['Make it quick.', 'echo: written first', 'echo: written second']);
  });

  it('refuses empty and oversized messages before storing anything', async () => {
    const { practice, store } = await setup();
    const session = await practice.start({ scenarioId: 'en-fake', surface: 'cli' });
    await expect(practice.submit(session.id, { text: '  \u0007 ' })).rejects.toMatchObject({
      code: 'text_empty',
    });
    await expect(practice.submit(session.id, { text: 'x'.repeat(MAX_REP_TEXT + 1) })).rejects.toMatchObject({
      code: 'text_too_long',
    });
    expect(await store.inbox(session.id)).toEqual([]);
    await expect(practice.submit(session.id, { text: 'x'.repeat(MAX_REP_TEXT) })).resolves.toMatchObject({
      duplicate: false,
    });
  });

  it('names the known scenarios when the id is unknown', async () => {
    const { practice } = await setup();
    const err = await practice.start({ scenarioId: 'nope', surface: 'cli' }).catch((e: unknown) => e);
    expect(isAppError(err, 'scenario_not_found')).toBe(true);
  });

  it('answers a redelivered message once', async () => {
    const { practice, delivered } = await setup();
    const session = await practice.start({ scenarioId: 'en-fake', surface: 'slack' });
    await practice.submit(session.id, { text: 'hello', externalId: '5.5' });
    await practice.run(session.id);
    const again = await practice.submit(session.id, { text: 'hello', externalId: '5.5' });
    await practice.run(session.id);
    expect(again.duplicate).toBe(true);
    expect(texts(delivered)).toEqual(['Make it quick.', 'echo: hello']);
  });

  it('keeps a message the buyer could not answer, tells the rep, and answers it on retry', async () => {
    const { practice, delivered, control, store } = await setup();
    const session = await practice.start({ scenarioId: 'en-fake', surface: 'slack' });
    control.failures = 1;
    await practice.submit(session.id, { text: 'are you there?', externalId: '7.1' });
    await practice.run(session.id);
    expect(delivered.at(-1)?.payload).toMatchObject({
      kind: 'failure',
      code: 'llm_timeout',
      inReplyTo: '7.1',
    });
    expect((await store.inbox(session.id)).map((i) => [i.text, i.status])).toEqual([
      ['are you there?', 'failed'],
    ]);
    expect(await practice.retry(session.id)).toBe(1);
    await practice.run(session.id);
    expect(texts(delivered).at(-1)).toBe('echo: are you there?');
    expect((await practice.transcript(session.id)).turns).toHaveLength(3);
  });

  it('retries a failed message first when the rep writes again, so the order holds', async () => {
    const { practice, delivered, control } = await setup();
    const session = await practice.start({ scenarioId: 'en-fake', surface: 'slack' });
    control.failures = 1;
    await practice.submit(session.id, { text: 'one' });
    await practice.run(session.id);
    await practice.submit(session.id, { text: 'two' });
    await practice.run(session.id);
    expect(texts(delivered).filter((t) => t.startsWith('echo'))).toEqual(['echo: one', 'echo: two']);
  });

  it('ends with the feedback when the buyer decides, and refuses messages afterwards', async () => {
    const { practice, delivered } = await setup();
    const session = await practice.start({ scenarioId: 'en-fake', surface: 'slack' });
    await practice.submit(session.id, { text: 'Shall we set up the trial, deal?' });
    await practice.run(session.id);
    expect(delivered.map((d) => d.payload.kind)).toEqual(['opening', 'reply', 'feedback']);
    expect(delivered.at(-1)?.payload).toMatchObject({ outcome: 'next_step', endedBy: 'buyer' });
    expect((await practice.get(session.id))?.status).toBe('ended');
    expect(await practice.feedback(session.id)).toEqual(feedback);
    await expect(practice.submit(session.id, { text: 'hello?' })).rejects.toMatchObject({
      code: 'session_ended',
    });
  });

  it('ends on request after the messages before it have been answered', async () => {
    const { practice, delivered } = await setup();
    const session = await practice.start({ scenarioId: 'en-fake', surface: 'slack' });
    await practice.submit(session.id, { text: 'last words' });
    await practice.requestEnd(session.id, { externalId: 'action-1' });
    await practice.run(session.id);
    expect(delivered.map((d) => d.payload.kind)).toEqual(['opening', 'reply', 'feedback']);
    expect(delivered.at(-1)?.payload).toMatchObject({ endedBy: 'rep', outcome: 'open' });
    expect((await practice.requestEnd(session.id)).duplicate).toBe(true);
  });

  it('ends without a verdict when the rep never wrote anything: not enough to judge', async () => {
    const { practice, delivered, store } = await setup();
    const session = await practice.start({ scenarioId: 'en-fake', surface: 'slack' });
    await practice.requestEnd(session.id, { externalId: 'action-early' });
    await practice.run(session.id);
    expect(delivered.map((d) => d.payload)).toMatchObject([
      { kind: 'opening' },
      { kind: 'notice', code: 'nothing_to_judge' },
    ]);
    expect(delivered.some((d) => d.payload.kind === 'feedback')).toBe(false);
    expect((await store.get(session.id))?.status).toBe('ended');
  });

  it('delivers what a failed delivery left behind on the next sweep', async () => {
    const { practice, delivered, deliveryFailures } = await setup();
    const session = await practice.start({ scenarioId: 'en-fake', surface: 'slack' });
    deliveryFailures.count = 1;
    await expect(practice.run(session.id)).rejects.toThrow('slack is down');
    expect(delivered).toEqual([]);
    expect(await practice.sweep()).toBe(1);
    expect(texts(delivered)).toEqual(['Make it quick.']);
    expect(await practice.sweep()).toBe(0);
  });

  it('delivers a session whose starter never ran it with the sweep, once the lease it was stored with is over', async () => {
    const { practice, delivered } = await setup({ leaseMs: 300 });
    await practice.start({ scenarioId: 'en-fake', surface: 'slack' });
    // Leased to this instance at first: the sweep leaves it to the run that was to follow the start.
    expect(await practice.sweep()).toBe(0);
    await new Promise((r) => setTimeout(r, 350));
    expect(await practice.sweep()).toBe(1);
    expect(texts(delivered)).toEqual(['Make it quick.']);
    expect(await practice.sweep()).toBe(0);
  });

  it('answers each message once when two instances share the database', async () => {
    const first = await setup({ instanceId: 'a', buyer: fakeBuyer({ delayMs: () => 15 }) });
    const second = await setup({ db: first.db, instanceId: 'b', buyer: fakeBuyer({ delayMs: () => 15 }) });
    const session = await first.practice.start({ scenarioId: 'en-fake', surface: 'slack' });
    const runs: Promise<void>[] = [];
    for (let i = 0; i < 6; i++) {
      const instance = i % 2 === 0 ? first : second;
      await instance.practice.submit(session.id, { text: `m${i}`, externalId: `9.${i}` });
      // The same message delivered to the other instance as well: stored once, answered once.
      await (i % 2 === 0 ? second : first).practice.submit(session.id, {
        text: `m${i}`,
        externalId: `9.${i}`,
      });
      runs.push(first.practice.run(session.id), second.practice.run(session.id));
    }
    await Promise.all(runs);
    await first.practice.run(session.id);
    await second.practice.run(session.id);
    const replies = [...first.delivered, ...second.delivered]
      .filter((d) => d.payload.kind === 'reply')
      .map((d) => ('text' in d.payload ? d.payload.text : ''));
    expect(replies.sort()).toEqual(['echo: m0', 'echo: m1', 'echo: m2', 'echo: m3', 'echo: m4', 'echo: m5']);
    const turns = (await first.practice.transcript(session.id)).turns;
    expect(turns.filter((t) => t.role === 'rep').map((t) => t.text)).toEqual([
      'm0',
      'm1',
      'm2',
      'm3',
      'm4',
      'm5',
    ]);
  });
});
