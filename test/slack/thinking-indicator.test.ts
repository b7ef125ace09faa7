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

type Failures = {
  /** reactions.add fails with this Slack error. */
  failAdd?: string;
  /** assistant.threads.setStatus fails with this Slack error, or with none for 'network' (a dropped socket). */
  failStatus?: string | ((args: Record<string, unknown>) => string | null);
  /** chat.postMessage fails this many times first (the network). */
  failPosts?: number;
};

/** A Web API client that records each call, failing as told. */
function recordingClient(opts: Failures = {}) {
  const calls: { method: string; args: Record<string, unknown> }[] = [];
  let postsToFail = opts.failPosts ?? 0;
  const slackError = (code: string) => Object.assign(new Error(code), { data: { ok: false, error: code } });
  const call = (method: string, answer: Record<string, unknown> = {}) =>
    vi.fn(async (args: Record<string, unknown>) => {
      calls.push({ method, args });
      if (method === 'reactions.add' && opts.failAdd) throw slackError(opts.failAdd);
      if (method === 'assistant.threads.setStatus' && opts.failStatus) {
        const code = typeof opts.failStatus === 'function' ? opts.failStatus(args) : opts.failStatus;
        if (code === 'network') throw new Error('socket hang up');
        if (code) throw slackError(code);
      }
      if (method === 'chat.postMessage' && postsToFail > 0) {
        postsToFail--;
        throw new Error('socket hang up');
      }
      return { ok: true, ...answer };
    });
  const client = {
    reactions: { add: call('reactions.add'), remove: call('reactions.remove') },
    chat: { postMessage: call('chat.postMessage', { ts: '1700000000.000900' }) },
    assistant: { threads: { setStatus: call('assistant.threads.setStatus') } },
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

const STATUS = 'assistant.threads.setStatus';

describe('the buyer is shown writing only when it takes a while: the thread status, or the 💭 reaction', () => {
  beforeEach(() => {
    vi.useFakeTimers();
  });
  afterEach(() => {
    vi.useRealTimers();
  });

  /** One indicator and one delivery sharing a client, as in the app. */
  const setup = (opts: Failures = {}) => {
    const rec = recordingClient(opts);
    const catalog = { get: (id: string) => (id === scenario.id ? scenario : undefined) };
    const working = createTypingIndicator({ client: rec.client, logger: silentLogger });
    const deliver = createSlackDeliver({
      client: rec.client,
      catalog: catalog as unknown as ScenarioCatalog,
      store: {} as SessionStore,
      logger: silentLogger,
    });
    /** A message the buyer takes `ms` to answer, in `s`. */
    const turn = async (ts: string, ms: number, s: Session = session) => {
      await working(s, message(ts));
      await vi.advanceTimersByTimeAsync(ms);
      await deliver(s, reply(ts));
    };
    return { ...rec, working, deliver, turn };
  };

  it('a fast answer is one Web API call: the reply, nothing shown or taken down', async () => {
    const { turn, methods } = setup();
    await turn('1700000000.000200', THINKING_DELAY_MS - 1);
    // Long after: the cancelled indicator never comes.
    await vi.advanceTimersByTimeAsync(10 * THINKING_DELAY_MS);
    expect(methods()).toEqual(['chat.postMessage']);
  });

  it('a slow answer sets the thread status in the scenario’s language; the reply clears it (two calls)', async () => {
    const { working, deliver, calls, methods } = setup();
    const ts = '1700000000.000300';
    await working(session, message(ts));
    await vi.advanceTimersByTimeAsync(THINKING_DELAY_MS - 1);
    expect(methods()).toEqual([]);
    await vi.advanceTimersByTimeAsync(1);
    expect(calls).toEqual([
      { method: STATUS, args: { channel_id: 'C1', thread_ts: session.threadTs, status: 'is typing…' } },
    ]);
    await vi.advanceTimersByTimeAsync(2000);
    await deliver(session, reply(ts));
    await vi.advanceTimersByTimeAsync(10_000);
    expect(methods()).toEqual([STATUS, 'chat.postMessage']);

    const swedish = setup();
    await swedish.turn('1700000000.000310', 2000, { ...session, language: 'sv' });
    expect(swedish.calls[0]!.args.status).toBe('skriver…');
  });

  it('a status set while the answer was being posted is cleared, so it does not stay up', async () => {
    const { working, deliver, calls, methods } = setup();
    const ts = '1700000000.000320';
    await working(session, message(ts));
    // The timer fires, and the answer is delivered before Slack has answered the status call.
    vi.advanceTimersByTime(THINKING_DELAY_MS);
    await deliver(session, reply(ts));
    expect(methods()).toEqual([STATUS, 'chat.postMessage', STATUS]);
    expect(calls[2]!.args).toEqual({ channel_id: 'C1', thread_ts: session.threadTs, status: '' });
  });

  it('a failure answer is posted in the thread too, and the retry of the message is shown again when slow', async () => {
    const { working, deliver, methods } = setup();
    const ts = '1700000000.000400';
    await working(session, message(ts));
    await vi.advanceTimersByTimeAsync(THINKING_DELAY_MS);
    await deliver(session, failure(ts));
    expect(methods()).toEqual([STATUS, 'chat.postMessage']);
    // The rep presses Retry and the model is slow again.
    await working(session, { ...message(ts), attempts: 1 });
    await vi.advanceTimersByTimeAsync(THINKING_DELAY_MS);
    await deliver(session, reply(ts));
    expect(methods()).toEqual([STATUS, 'chat.postMessage', STATUS, 'chat.postMessage']);
  });

  it('where a conversation refuses the status, the 💭 reaction stands in there, and only there', async () => {
    const { turn, calls, methods } = setup({
      failStatus: (args) => (args.channel_id === 'C1' ? 'channel_type_not_supported' : null),
    });
    await turn('1700000000.000500', 1000);
    expect(methods()).toEqual([STATUS, 'reactions.add', 'chat.postMessage', 'reactions.remove']);
    expect(calls[1]!.args).toEqual({
      channel: 'C1',
      timestamp: '1700000000.000500',
      name: THINKING_REACTION,
    });
    expect(calls[3]!.args).toEqual(calls[1]!.args);
    // The next slow turn there goes straight to the reaction; another conversation still gets the status.
    await turn('1700000000.000510', 1000);
    await turn('1700000000.000520', 1000, { ...session, channelId: 'C2' });
    expect(methods().slice(4)).toEqual([
      'reactions.add',
      'chat.postMessage',
      'reactions.remove',
      STATUS,
      'chat.postMessage',
    ]);
  });

  it('an app without the method or its scope uses the reaction everywhere from then on', async () => {
    const { turn, methods } = setup({ failStatus: 'missing_scope' });
    await turn('1700000000.000530', 1000);
    await turn('1700000000.000540', 1000, { ...session, channelId: 'C2' });
    expect(methods()).toEqual([
      STATUS,
      'reactions.add',
      'chat.postMessage',
      'reactions.remove',
      'reactions.add',
      'chat.postMessage',
      'reactions.remove',
    ]);
  });

  it('a network failure of the status shows nothing this once; the next slow turn tries the status again', async () => {
    let fail = true;
    const { turn, methods } = setup({ failStatus: () => (fail ? 'network' : null) });
    await turn('1700000000.000550', 1000);
    fail = false;
    await turn('1700000000.000560', 1000);
    expect(methods()).toEqual([STATUS, 'chat.postMessage', STATUS, 'chat.postMessage']);
  });

  it('the reaction: removes nothing when adding failed, and one already there (a retry) is taken down', async () => {
    const failed = setup({ failStatus: 'not_allowed', failAdd: 'too_many_reactions' });
    await failed.turn('1700000000.000600', THINKING_DELAY_MS);
    expect(failed.methods()).toEqual([STATUS, 'reactions.add', 'chat.postMessage']);

    const there = setup({ failStatus: 'not_allowed', failAdd: 'already_reacted' });
    await there.turn('1700000000.000610', THINKING_DELAY_MS);
    expect(there.methods()).toEqual([STATUS, 'reactions.add', 'chat.postMessage', 'reactions.remove']);
  });

  it('when posting the answer fails, its retry still takes the reaction down', async () => {
    const { working, deliver, methods } = setup({ failStatus: 'not_allowed', failPosts: 1 });
    const ts = '1700000000.000620';
    await working(session, message(ts));
    await vi.advanceTimersByTimeAsync(1000);
    await expect(deliver(session, reply(ts))).rejects.toThrow('socket hang up');
    await deliver(session, { ...reply(ts), attempts: 1 });
    expect(methods()).toEqual([
      STATUS,
      'reactions.add',
      'chat.postMessage',
      'chat.postMessage',
      'reactions.remove',
    ]);
  });

  it('the reply to a message it never saw (another process’s) does nothing more', async () => {
    const { deliver, methods } = setup();
    await deliver(session, reply('1700000000.000700'));
    expect(methods()).toEqual(['chat.postMessage']);
  });
});
