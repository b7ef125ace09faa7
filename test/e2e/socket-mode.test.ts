import { mkdtemp, rm } from 'node:fs/promises';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type WebSocket, WebSocketServer } from 'ws';
import { type RunningApp, startApp } from '../../src/main.js';
import { silentLogger } from '../helpers/db.js';
import { type FakeSlack, startFakeSlack, TEAM_ID, textOf } from '../helpers/fake-slack.js';
import { newEventId } from '../helpers/slack-requests.js';
import { ids, threads } from './boot.js';

const REP = 'UREP1';
const SCENARIO = 'en-florist-card-readers';

type Ack = { envelope_id: string; payload?: Record<string, unknown> };

/**
 * A local Slack Socket Mode endpoint: apps.connections.open (on the fake Web API) hands out its URL, it greets the
 * app with `hello`, sends envelopes and records the app's acknowledgements.
 */
async function startFakeSocket(slack: FakeSlack) {
  const server = new WebSocketServer({ port: 0, host: '127.0.0.1' });
  await new Promise<void>((resolve) => server.once('listening', resolve));
  const acks: Ack[] = [];
  let socket: WebSocket | null = null;
  server.on('connection', (ws) => {
    socket = ws;
    ws.on('message', (data) => acks.push(JSON.parse(String(data)) as Ack));
    ws.send(JSON.stringify({ type: 'hello', num_connections: 1, connection_info: { app_id: 'A0001' } }));
  });
  slack.setSocketUrl(`ws://127.0.0.1:${(server.address() as AddressInfo).port}/link`);
  let seq = 0;
  return {
    acks,
    connected: () => socket !== null,
    /** Sends one envelope; resolves with its id. */
    send(type: 'events_api' | 'slash_commands', payload: Record<string, unknown>, retryAttempt = 0): string {
      if (!socket) throw new Error('the app has not connected');
      const envelopeId = `env-${++seq}`;
      socket.send(
        JSON.stringify({
          envelope_id: envelopeId,
          type,
          payload,
          accepts_response_payload: type === 'slash_commands',
          retry_attempt: retryAttempt,
          retry_reason: retryAttempt > 0 ? 'timeout' : '',
        }),
      );
      return envelopeId;
    },
    async close() {
      for (const client of server.clients) client.terminate();
      await new Promise((r) => server.close(r));
    },
  };
}

const command = (channel: string, text: string) => ({
  token: 'legacy',
  team_id: TEAM_ID,
  channel_id: channel,
  channel_name: 'sales',
  user_id: REP,
  user_name: 'rep',
  command: '/spar',
  text,
  api_app_id: 'A0001',
  response_url: 'https://hooks.slack.test/commands/1',
  trigger_id: `trig.${Date.now()}`,
});

const messageEvent = (channel: string, threadTs: string, text: string, ts: string, eventId: string) => ({
  token: 'legacy',
  team_id: TEAM_ID,
  api_app_id: 'A0001',
  type: 'event_callback',
  event_id: eventId,
  event_time: Math.floor(Date.now() / 1000),
  authorizations: [{ team_id: TEAM_ID, user_id: 'UBOT', is_bot: true, is_enterprise_install: false }],
  event: {
    type: 'message',
    channel,
    channel_type: 'channel',
    user: REP,
    text,
    ts,
    thread_ts: threadTs,
    event_ts: ts,
  },
});

describe('Sparring in Slack over Socket Mode (offline, PGlite)', () => {
  let slack: FakeSlack;
  let socket: Awaited<ReturnType<typeof startFakeSocket>>;
  let app: RunningApp;
  let dataDir: string;

  beforeAll(async () => {
    slack = await startFakeSlack();
    socket = await startFakeSocket(slack);
    dataDir = await mkdtemp(path.join(tmpdir(), 'sparring-socket-'));
    app = await startApp({
      env: {
        SLACK_BOT_TOKEN: 'xoxb-test',
        SLACK_APP_TOKEN: 'xapp-test',
        SLACK_API_URL: slack.apiUrl,
        SPARRING_DATA_DIR: dataDir,
        LOG_LEVEL: 'silent',
      },
      logger: silentLogger,
      sweepMs: 250,
      leaseMs: 3000,
    });
  });
  afterAll(async () => {
    await app?.stop();
    await socket?.close();
    await slack?.close();
    await rm(dataDir, { recursive: true, force: true });
  });

  it('connects through apps.connections.open on SLACK_API_URL, with the app-level token', () => {
    expect(app.mode).toBe('socket');
    expect(app.port).toBeNull();
    expect(socket.connected()).toBe(true);
    expect(slack.callsTo('apps.connections.open')).toHaveLength(1);
  });

  it('runs a session: /spar over the socket, a thread message acknowledged and answered once', async () => {
    const t = threads(slack);
    const channel = ids.channel();
    const started = socket.send('slash_commands', command(channel, SCENARIO));
    const header = await slack.waitFor(() => t.posts(channel).find((c) => !c.args.thread_ts), {
      what: 'the session message',
    });
    expect(socket.acks.some((a) => a.envelope_id === started)).toBe(true);
    const threadTs = String(header.response.ts);
    await slack.waitFor(() => t.inThread(channel, threadTs)[0], { what: 'the opening' });

    const eventId = newEventId();
    const ts = ids.ts();
    const first = socket.send(
      'events_api',
      messageEvent(channel, threadTs, 'How do you take payments today?', ts, eventId),
    );
    const [reply] = await t.replies(channel, threadTs, 1);
    expect(textOf(reply!.args)).toMatch(/^\*[^*]+:\*/);
    expect(socket.acks.some((a) => a.envelope_id === first)).toBe(true);

    // Slack sends the same event again (it thinks the first was not acknowledged): acknowledged, not answered.
    const again = socket.send(
      'events_api',
      messageEvent(channel, threadTs, 'How do you take payments today?', ts, eventId),
      1,
    );
    await slack.waitFor(() => socket.acks.some((a) => a.envelope_id === again), {
      what: 'the ack of the redelivery',
    });
    await new Promise((r) => setTimeout(r, 500));
    expect(t.inThread(channel, threadTs).slice(1)).toHaveLength(1);
  });
});
