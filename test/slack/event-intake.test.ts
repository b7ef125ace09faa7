import type { App } from '@slack/bolt';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { loadConfig } from '../../src/config.js';
import { createSlackApp, initSlackApp } from '../../src/slack/app.js';
import { eventIntakeOf, eventStored } from '../../src/slack/event-intake.js';
import { silentLogger } from '../helpers/db.js';
import { type FakeSlack, startFakeSlack } from '../helpers/fake-slack.js';
import { type SlackRequests, slackRequests } from '../helpers/slack-requests.js';

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
    const port = typeof address === 'object' && address ? address.port : 0;
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

  it('answers within Slack’s 3 seconds when a listener takes longer and never says it stored', async () => {
    const done = deferred();
    onMessage = async () => {
      await done.promise;
    };
    const started = Date.now();
    const res = await message();
    expect(res.status).toBe(200);
    expect(Date.now() - started).toBeLessThan(3000);
    done.resolve();
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
