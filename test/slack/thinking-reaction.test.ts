import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { initialState } from '../../src/buyer/types.js';
import type { InboxItem, OutboxItem, Session } from '../../src/domain/session.js';
import type { ScenarioCatalog } from '../../src/scenarios/catalog.js';
import {
  createSlackDeliver,
  createTypingIndicator,
  THINKING_DELAY_MS,
  THINKING_REACTION,
} from '../../src/slack/deliver.js';
import type { WebClient } from '../../src/slack/deps.js';
import type { SessionStore } from '../../src/store/sessions.js';
import { silentLogger } from '../helpers/db.js';
import { fixtureScenarios } from './harness.js';

/** A Web API client that records each call; `failAdd` makes reactions.add fail with that Slack error. */
function recordingClient(opts: { failAdd?: string } = {}) {
  const calls: { method: string; args: Record<string, unknown> }[] = [];
  const call = (method: string, answer: Record<string, unknown> = {}) =>
    vi.fn(async (args: Record<string, unknown>) => {
      calls.push({ method, args });
      if (method === 'reactions.add' && opts.failAdd) {
        throw Object.assign(new Error(opts.failAdd), { data: { ok: false, error: opts.failAdd } });
      }
      return { ok: true, ...answer };
    });
  const client = {
    reactions: { add: call('reactions.add'), remove: call('reactions.remove') },
    chat: { postMessage: call('chat.postMessage', { ts: '1700000000.000900' }) },
  } as unknown as WebClient;
  return { client, calls, methods: () => calls.map((c) => c.method) };
}

const scenario = fixtureScenarios()[0]!;
const session: Session = {
  id: 's1',
  scenarioId: scenario.id,
  language: 'en',
  sale: scenario.sale,
  mode: 'llm',
  surface: 'slack',
  userId: 'UREP',
  teamId: 'T1',
  channelId: 'C1',
  threadTs: '1700000000.000100',
  drillId: null,
  status: 'active',
  state: initialState(scenario),
  usage: { buyer: null, coach: null } as unknown as Session['usage'],
  models: {},
  createdAt: new Date(0),
  endedAt: null,
};
const message = (ts: string): InboxItem => ({
  id: 1,
  sessionId: session.id,
  kind: 'message',
  text: 'Where does it hurt?',
  externalId: ts,
  userId: 'UREP',
  status: 'pending',
  error: null,
  attempts: 0,
});
const reply = (ts: string): OutboxItem => ({
  id: 7,
  sessionId: session.id,
  payload: { kind: 'reply', text: 'Depends.', turn: 2, inboxId: 1, inReplyTo: ts },
  deliveredAt: null,
  ref: null,
  attempts: 0,
});
const failure = (ts: string): OutboxItem => ({
  ...reply(ts),
  payload: { kind: 'failure', inboxId: 1, code: 'llm_timeout', message: 'slow', inReplyTo: ts },
});

describe('the 💭 reaction: only when the buyer takes a while', () => {
  beforeEach(() => {
    vi.useFakeTimers();
  });
  afterEach(() => {
    vi.useRealTimers();
  });

  const setup = (opts: { failAdd?: string } = {}) => {
    const rec = recordingClient(opts);
    const catalog = { get: (id: string) => (id === scenario.id ? scenario : undefined) };
    const working = createTypingIndicator({ client: rec.client, logger: silentLogger });
    const deliver = createSlackDeliver({
      client: rec.client,
      catalog: catalog as unknown as ScenarioCatalog,
      store: {} as SessionStore,
      logger: silentLogger,
    });
    return { ...rec, working, deliver };
  };

  it('a fast answer is one Web API call: the reply, no reaction added or removed', async () => {
    const { working, deliver, methods } = setup();
    const ts = '1700000000.000200';
    await working(session, message(ts));
    await vi.advanceTimersByTimeAsync(THINKING_DELAY_MS - 1);
    await deliver(session, reply(ts));
    // Long after: the cancelled reaction never comes.
    await vi.advanceTimersByTimeAsync(10 * THINKING_DELAY_MS);
    expect(methods()).toEqual(['chat.postMessage']);
  });

  it('a slow answer shows the reaction while waiting and takes it down after the reply', async () => {
    const { working, deliver, calls, methods } = setup();
    const ts = '1700000000.000300';
    await working(session, message(ts));
    await vi.advanceTimersByTimeAsync(THINKING_DELAY_MS - 1);
    expect(methods()).toEqual([]);
    await vi.advanceTimersByTimeAsync(1);
    expect(calls).toEqual([
      { method: 'reactions.add', args: { channel: 'C1', timestamp: ts, name: THINKING_REACTION } },
    ]);
    await vi.advanceTimersByTimeAsync(2000);
    await deliver(session, reply(ts));
    expect(methods()).toEqual(['reactions.add', 'chat.postMessage', 'reactions.remove']);
    expect(calls[2]!.args).toEqual({ channel: 'C1', timestamp: ts, name: THINKING_REACTION });
  });

  it('a failure answer clears it the same way, and the retry of the message shows it again when slow', async () => {
    const { working, deliver, methods } = setup();
    const ts = '1700000000.000400';
    await working(session, message(ts));
    await deliver(session, failure(ts));
    expect(methods()).toEqual(['chat.postMessage']);
    // The rep presses Retry and the model is slow this time.
    await working(session, { ...message(ts), attempts: 1 });
    await vi.advanceTimersByTimeAsync(THINKING_DELAY_MS);
    await deliver(session, reply(ts));
    expect(methods()).toEqual(['chat.postMessage', 'reactions.add', 'chat.postMessage', 'reactions.remove']);
  });

  it('removes nothing when adding failed, and one already there (a retry) is taken down', async () => {
    const failed = setup({ failAdd: 'too_many_reactions' });
    await failed.working(session, message('1700000000.000500'));
    await vi.advanceTimersByTimeAsync(THINKING_DELAY_MS);
    await failed.deliver(session, reply('1700000000.000500'));
    expect(failed.methods()).toEqual(['reactions.add', 'chat.postMessage']);

    const there = setup({ failAdd: 'already_reacted' });
    await there.working(session, message('1700000000.000600'));
    await vi.advanceTimersByTimeAsync(THINKING_DELAY_MS);
    await there.deliver(session, reply('1700000000.000600'));
    expect(there.methods()).toEqual(['reactions.add', 'chat.postMessage', 'reactions.remove']);
  });

  it('the reply to a message it never saw (another process’s) removes nothing', async () => {
    const { deliver, methods } = setup();
    await deliver(session, reply('1700000000.000700'));
    expect(methods()).toEqual(['chat.postMessage']);
  });
});
