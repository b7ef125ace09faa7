import { afterEach, describe, expect, it } from 'vitest';
import { type Buyer, type BuyerReplyInput, initialState } from '../../src/buyer/types.js';
import type { Coach } from '../../src/coach/coach.js';
import { createPractice } from '../../src/practice/practice.js';
import type { Scenario } from '../../src/scenarios/schema.js';
import { createSessionStore } from '../../src/store/sessions.js';
import { backends, freshDb, silentLogger } from '../helpers/db.js';

const scenario = {
  id: 'en-order',
  title: 'Order',
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
  earned_yes: { kind: 'next_step', description: 'd', line: 'Yes.' },
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

const coach: Coach = {
  mode: 'offline',
  evaluate: async () => {
    throw new Error('not used');
  },
};

/** A buyer that echoes, and records what it was asked. */
function echoBuyer() {
  const seen: BuyerReplyInput[] = [];
  const buyer: Buyer = {
    mode: 'offline',
    open: (s) => ({ text: s.opening, state: initialState(s), raw: null, usage: null }),
    async reply(input) {
      seen.push(input);
      return { text: `echo: ${input.repText}`, state: input.state, raw: null, usage: null };
    },
  };
  return { buyer, seen };
}

/**
 * A message can reach the store after one the rep wrote later: Slack's retry after a restart, two instances
 * behind a load balancer, a slow instance. Its Slack ts says when it was written. Not yet answered, it is
 * answered first; already overtaken by an answered later one, it is answered next, and the transcript (what
 * the buyer reads next time, the coach quotes, export writes) keeps the order the rep wrote.
 */
describe.each(backends)('late deliveries are answered and stored in written order (%s)', (kind) => {
  let cleanup: (() => Promise<void>) | undefined;
  afterEach(async () => {
    await cleanup?.();
    cleanup = undefined;
  });

  const setup = async () => {
    const { db, drop } = await freshDb(kind);
    cleanup = drop;
    const store = createSessionStore(db);
    const { buyer, seen } = echoBuyer();
    const delivered: string[] = [];
    const practice = createPractice({
      store,
      catalog: { get: () => scenario, require: () => scenario },
      buyer,
      coach,
      logger: silentLogger,
      deliver: async (_session, item) => {
        if (item.payload.kind === 'reply') delivered.push(item.payload.text);
        return `ts-${item.id}`;
      },
    });
    const session = await practice.start({ scenarioId: scenario.id, surface: 'slack' });
    return { practice, store, seen, delivered, session };
  };

  it('answers a late message before the later ones still waiting', async () => {
    const { practice, seen, delivered, session } = await setup();
    // Stored in the order second, first (the first one's delivery was late): neither answered yet.
    await practice.submit(session.id, { text: 'second', externalId: '1800000000.000200' });
    await practice.submit(session.id, { text: 'first', externalId: '1800000000.000100' });
    await practice.run(session.id);
    expect(delivered).toEqual(['echo: first', 'echo: second']);
    expect(seen.map((s) => s.repText)).toEqual(['first', 'second']);
    const t = await practice.transcript(session.id);
    expect(t.turns.map((x) => x.text)).toEqual([
      'Make it quick.',
      'first',
      'echo: first',
      'second',
      'echo: second',
    ]);
  });

  it('answers one that arrives after a later one was answered next, and keeps the written order', async () => {
    const { practice, store, delivered, session } = await setup();
    await practice.submit(session.id, { text: 'second', externalId: '1800000000.000200' });
    await practice.run(session.id);
    // The first arrives now (a retry after a restart), with the third right behind it.
    await practice.submit(session.id, { text: 'third', externalId: '1800000000.000300' });
    await practice.submit(session.id, { text: 'first', externalId: '1800000000.000100' });
    await practice.run(session.id);
    expect(delivered).toEqual(['echo: second', 'echo: first', 'echo: third']);
    const t = await practice.transcript(session.id);
    expect(t.turns.map((x) => `${x.role}: ${x.text}`)).toEqual([
      'buyer: Make it quick.',
      'rep: first',
      'buyer: echo: first',
      'rep: second',
      'buyer: echo: second',
      'rep: third',
      'buyer: echo: third',
    ]);
    // Numbered by position, as the coach's evidence counts them.
    expect((await store.turns(session.id)).map((x) => x.idx)).toEqual([0, 1, 2, 3, 4, 5, 6]);
  });
});
