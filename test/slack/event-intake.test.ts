import { connect } from 'node:net';
import type { App } from '@slack/bolt';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { loadConfig } from '../../src/config.js';
import { createSlackApp, initSlackApp } from '../../src/slack/app.js';
import { eventIntakeOf, eventStored } from '../../src/slack/event-intake.js';
import { silentLogger } from '../helpers/db.js';
import { type FakeSlack, startFakeSlack, textOf } from '../helpers/fake-slack.js';
import { type SlackRequests, slackRequests } from '../helpers/slack-requests.js';
import { type Harness, startHarness } from './harness.js';

const SECRET = 'intake-secret';

function deferred<T = void>() {
  let resolve!: (v: T) => void;
  const promise = new Promise<T>((r) => {
    resolve = r;
  });
  return { promise, resolve };
}

/** Tracks whether a request has been answered yet. */
function watch<T>(p: Promise<T>) {
  const w = { settled: false, result: p };
  void p.then(() => {
    w.settled = true;
  });
  return w;
}

const pause = (ms: number) => new Promise((r) => setTimeout(r, ms));

/**
 * The real Bolt app in HTTP mode, as createSlackApp builds it, with listeners that stand for the store: each
 * test decides when "what the event asked for" is stored, and checks when Slack gets its acknowledgement.
 */
describe('Slack events are acknowledged once stored', () => {
  let slack: FakeSlack;
  let app: App;
  let send: SlackRequests;
  let onMessage: (context: Record<string, unknown>) => Promise<void>;
  let onCommand: (ack: () => Promise<void>) => Promise<void>;
  let port = 0;

  beforeAll(async () => {
    slack = await startFakeSlack();
    const config = loadConfig({
      SLACK_BOT_TOKEN: 'xoxb-test',
      SLACK_SIGNING_SECRET: SECRET,
      SLACK_API_URL: slack.apiUrl,
    });
    app = createSlackApp({ config, logger: silentLogger });
    await initSlackApp(app, config);
    app.message(async ({ context }) => onMessage(context));
    app.command('/spar', async ({ ack }) => onCommand(ack));
    const server = (await app.start(0)) as unknown as import('node:http').Server;
    const address = server.address();
    port = typeof address === 'object' && address ? address.port : 0;
    send = slackRequests({ baseUrl: `http://127.0.0.1:${port}`, signingSecret: SECRET });
  });
  afterAll(async () => {
    await app?.stop();
    await slack?.close();
  });
  beforeEach(() => {
    onMessage = async () => undefined;
    onCommand = async (ack) => ack();
  });

  const message = () =>
    send.message({ user: 'UREP', channel: 'C1', text: 'hello', ts: '1800000000.000001', threadTs: '1.0' });

  it('answers an event only after the listener has stored it, and before the slow work after that', async () => {
    const entered = deferred();
    const store = deferred();
    const buyer = deferred();
    onMessage = async (context) => {
      entered.resolve();
      await store.promise;
      eventStored(context);
      await buyer.promise;
    };
    const res = watch(message());
    await entered.promise;
    await pause(150);
    expect(res.settled).toBe(false);
    store.resolve();
    expect((await res.result).status).toBe(200);
    // The buyer's turn is still going on: the acknowledgement did not wait for it.
    buyer.resolve();
  });

  it('answers once the listeners are done when none says it stored anything', async () => {
    const done = deferred();
    onMessage = async () => {
      await done.promise;
    };
    const res = watch(message());
    await pause(150);
    expect(res.settled).toBe(false);
    done.resolve();
    expect((await res.result).status).toBe(200);
  });

  it('answers 503, so that Slack delivers again later, when a delivery must not be taken now', async () => {
    onMessage = async (context) => {
      eventIntakeOf(context)?.retryLater('another delivery of this event is being handled');
    };
    expect((await message()).status).toBe(503);
    // And a later delivery that is taken is acknowledged as usual.
    onMessage = async (context) => eventStored(context);
    expect((await message()).status).toBe(200);
  });

  it('verifies the signature of whatever path Bolt would take as its events endpoint', async () => {
    let reached = 0;
    onMessage = async () => {
      reached++;
    };
    const body = JSON.stringify({
      type: 'event_callback',
      event_id: 'EvUnsigned1',
      team_id: 'T0001',
      event: { type: 'message', user: 'U1', channel: 'C1', text: 'hi', ts: '1800000000.000009' },
    });
    // Paths a client would normalise away; Bolt routes each of them to /slack/events.
    for (const rawPath of ['/slack/events', '/slack/events#x', '/x/../slack/events', '//host/slack/events']) {
      // A raw socket: an HTTP client would normalise the path (and the test setup's interceptor parses it).
      const status = await new Promise<number>((resolve, reject) => {
        const socket = connect(port, '127.0.0.1', () => {
          socket.end(
            `POST ${rawPath} HTTP/1.1\r\nhost: 127.0.0.1\r\ncontent-type: application/json\r\n` +
              `content-length: ${Buffer.byteLength(body)}\r\nconnection: close\r\n` +
              `x-slack-request-timestamp: ${Math.floor(Date.now() / 1000)}\r\nx-slack-signature: v0=0000\r\n\r\n${body}`,
          );
        });
        let answer = '';
        socket.on('data', (d: Buffer) => {
          answer += d.toString('latin1');
        });
        socket.on('end', () => resolve(Number(/^HTTP\/1\.1 (\d{3})/.exec(answer)?.[1] ?? 0)));
        socket.on('error', reject);
      });
      expect({ rawPath, status }).toEqual({ rawPath, status: 401 });
    }
    expect(reached).toBe(0);
  });

  it('refuses interactions without a user with 400, where Bolt itself would fail with 500', async () => {
    const interaction = (payload: Record<string, unknown>) =>
      send.post(
        new URLSearchParams({ payload: JSON.stringify(payload) }).toString(),
        'application/x-www-form-urlencoded',
      );
    const noUser = await interaction({ type: 'block_actions', team: { id: 'T0001' }, actions: [] });
    expect(noUser.status).toBe(400);
    const nullUser = await interaction({ type: 'view_submission', user: null, view: { callback_id: 'x' } });
    expect(nullUser.status).toBe(400);
  });

  it('leaves commands and actions alone: their listeners acknowledge them themselves', async () => {
    const rest = deferred();
    onCommand = async (ack) => {
      await ack();
      await rest.promise;
    };
    const res = await send.command({
      text: 'help',
      userId: 'UREP',
      channelId: 'C1',
      responseUrl: slack.responseUrl(),
    });
    expect(res.status).toBe(200);
    rest.resolve();
  });
});

/**
 * Slack gives up on an answer after 3 s. What the app does when storing takes longer than its window: never a 200
 * before the event is stored, but a 503, so that Slack delivers it again.
 */
describe('an event whose storing outlasts the acknowledgement window', () => {
  let slack: FakeSlack;
  let app: App;
  let send: SlackRequests;
  const store = deferred();
  const storedLate = deferred();

  beforeAll(async () => {
    slack = await startFakeSlack();
    const config = loadConfig({
      SLACK_BOT_TOKEN: 'xoxb-test',
      SLACK_SIGNING_SECRET: SECRET,
      SLACK_API_URL: slack.apiUrl,
    });
    app = createSlackApp({ config, logger: silentLogger, ackWindowMs: 100 });
    await initSlackApp(app, config);
    app.message(async ({ context }) => {
      await store.promise;
      eventStored(context);
      storedLate.resolve();
    });
    const server = (await app.start(0)) as unknown as import('node:http').Server;
    const address = server.address();
    const port = typeof address === 'object' && address ? address.port : 0;
    send = slackRequests({ baseUrl: `http://127.0.0.1:${port}`, signingSecret: SECRET });
  });
  afterAll(async () => {
    await app?.stop();
    await slack?.close();
  });

  it('answers 503, not 200, and goes on storing', async () => {
    const res = await send.message({
      user: 'UREP',
      channel: 'C1',
      text: 'hello',
      ts: '1800000000.000009',
      threadTs: '1.0',
    });
    expect(res.status).toBe(503);
    // The work was not abandoned: it is stored after the answer.
    store.resolve();
    await storedLate.promise;
  });
});

/** The whole Slack layer on a real (in-memory) store, whose inbox insert fails or stalls on cue. */
describe('a store failure or stall while a rep message is stored', () => {
  let h: Harness;
  const fault: { fail: number; stall: Promise<void> | null } = { fail: 0, stall: null };
  let seq = 0;

  beforeAll(async () => {
    h = await startHarness({
      ackWindowMs: 300,
      // A rep's message in a thread is claimed and queued by intakeMessage, in one statement.
      wrapStore: (store) => ({
        ...store,
        async intakeMessage(...args: Parameters<typeof store.intakeMessage>) {
          if (fault.stall) await fault.stall;
          if (fault.fail > 0) {
            fault.fail--;
            throw new Error('canceling statement due to lock timeout');
          }
          return store.intakeMessage(...args);
        },
      }),
    });
  });
  afterAll(async () => {
    await h?.close();
  });

  const startSession = async () => {
    const channel = `CINTAKE${++seq}`;
    const res = await h.send.command({
      text: 'en-fixture-vans',
      userId: 'UREP',
      channelId: channel,
      responseUrl: h.slack.responseUrl(),
    });
    expect(res.status).toBe(200);
    const header = await h.slack.waitFor(() =>
      h.slack.callsTo('chat.postMessage').find((c) => c.args.channel === channel && !c.args.thread_ts),
    );
    const threadTs = String(header.response.ts);
    await h.slack.waitFor(() => replies(channel, threadTs)[0]);
    return { channel, threadTs };
  };
  const replies = (channel: string, threadTs: string) =>
    h.slack
      .callsTo('chat.postMessage')
      .filter((c) => c.args.channel === channel && c.args.thread_ts === threadTs);

  it('stores no claim for a channel message outside any thread, and one for a reply in a session thread', async () => {
    const { channel, threadTs } = await startSession();
    const chatter = { user: 'UREP', channel, text: 'lunch?', ts: '1800000001.000010' };
    expect((await h.send.message(chatter, { eventId: 'EvChatter1' })).status).toBe(200);
    const reply = { ...chatter, text: 'Who signs?', ts: '1800000001.000011', threadTs };
    expect((await h.send.message(reply, { eventId: 'EvReply1' })).status).toBe(200);
    // Nothing was done with the chatter, so nothing was kept of it; the reply's claim is stored with the message.
    expect(await h.store.claimEvent('EvChatter1')).toBe('claimed');
    expect(await h.store.claimEvent('EvReply1')).toBe('duplicate');
    await h.slack.waitFor(() => replies(channel, threadTs)[1]);
  });

  it('answers 500 when the inbox insert fails, and Slack’s redelivery is answered, once', async () => {
    const { channel, threadTs } = await startSession();
    const message = {
      user: 'UREP',
      channel,
      text: 'Who signs off on this?',
      ts: '1800000001.000001',
      threadTs,
    };
    fault.fail = 1;
    const eventId = 'EvStoreFails1';
    const first = await h.send.message(message, { eventId });
    expect(first.status).toBe(500);
    // Nothing was kept, not even the claim (one statement): the redelivery is handled, not skipped as a duplicate.
    const retried = await h.send.message(message, { eventId, retryNum: 1 });
    expect(retried.status).toBe(200);
    const answered = await h.slack.waitFor(() => replies(channel, threadTs)[1]);
    expect(textOf(answered.args)).toContain('echo: Who signs off on this?');
    // A further redelivery is now a duplicate.
    expect((await h.send.message(message, { eventId, retryNum: 2 })).status).toBe(200);
    const session = await h.store.findByThread(channel, threadTs);
    expect((await h.store.inbox(session!.id)).filter((i) => i.kind === 'message')).toHaveLength(1);
    await pause(100);
    expect(replies(channel, threadTs)).toHaveLength(2);
  });

  it('answers 503 when storing outlasts the window; once stored, the redelivery is a duplicate', async () => {
    const { channel, threadTs } = await startSession();
    const message = { user: 'UREP', channel, text: 'What is the budget?', ts: '1800000001.000002', threadTs };
    const unstall = deferred();
    fault.stall = unstall.promise;
    const eventId = 'EvStoreStalls1';
    const first = await h.send.message(message, { eventId });
    // Not a 200 while nothing is stored: Slack will deliver it again.
    expect(first.status).toBe(503);
    const session = await h.store.findByThread(channel, threadTs);
    expect(await h.store.inbox(session!.id)).toEqual([]);
    // A redelivery while the first is still storing: not acknowledged either.
    expect((await h.send.message(message, { eventId, retryNum: 1 })).status).toBe(503);
    fault.stall = null;
    unstall.resolve();
    const answered = await h.slack.waitFor(() => replies(channel, threadTs)[1]);
    expect(textOf(answered.args)).toContain('echo: What is the budget?');
    // Stored and answered: Slack's next redelivery is acknowledged and skipped.
    const again = await h.send.message(message, { eventId, retryNum: 2 });
    expect(again.status).toBe(200);
    await pause(100);
    expect(replies(channel, threadTs)).toHaveLength(2);
    expect((await h.store.inbox(session!.id)).filter((i) => i.kind === 'message')).toHaveLength(1);
  });
});

/** GET /healthz asks the store (a cheap query) and answers 503 when it fails or does not answer in time. */
describe('/healthz checks the store', () => {
  let slack: FakeSlack;
  beforeAll(async () => {
    slack = await startFakeSlack();
  });
  afterAll(async () => {
    await slack?.close();
  });
  const startWith = async (healthCheck: () => Promise<void>) => {
    const config = loadConfig({
      SLACK_BOT_TOKEN: 'xoxb-test',
      SLACK_SIGNING_SECRET: SECRET,
      SLACK_API_URL: slack.apiUrl,
    });
    const app = createSlackApp({ config, logger: silentLogger, healthCheck, healthTimeoutMs: 100 });
    await initSlackApp(app, config);
    const server = (await app.start(0)) as unknown as import('node:http').Server;
    const address = server.address();
    const port = typeof address === 'object' && address ? address.port : 0;
    return { app, url: `http://127.0.0.1:${port}/healthz` };
  };

  it('answers 200 when the store answers, 503 when it fails or hangs', async () => {
    let mode: 'ok' | 'fail' | 'hang' = 'ok';
    const { app, url } = await startWith(async () => {
      if (mode === 'fail') throw new Error('connection refused');
      if (mode === 'hang') await new Promise(() => undefined);
    });
    try {
      expect((await fetch(url)).status).toBe(200);
      mode = 'fail';
      expect((await fetch(url)).status).toBe(503);
      mode = 'hang';
      expect((await fetch(url)).status).toBe(503);
      mode = 'ok';
      expect((await fetch(url)).status).toBe(200);
    } finally {
      await app.stop();
    }
  });
});
