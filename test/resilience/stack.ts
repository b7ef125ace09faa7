import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { type ChildApp, freePort, startChildApp } from '../../bench/child-app.js';
import { freshPostgresDatabase } from '../helpers/db.js';
import { type FakeOpenAi, type FakeOpenAiOptions, startFakeOpenAi } from '../helpers/fake-openai.js';
import { buttonsOf, type FakeSlack, type SlackCall, startFakeSlack } from '../helpers/fake-slack.js';
import { newEventId, type SlackRequests, slackRequests } from '../helpers/slack-requests.js';

export const SIGNING_SECRET = 'resilience-signing-secret';

/**
 * The real app as `npm start` runs it (src/main.ts, its own process, HTTP mode on a fixed port), a fake Slack Web
 * API and a fake OpenAI-compatible server in this process, and a store: a PGlite directory or a fresh PostgreSQL
 * database. `restart` starts the app again on the same store and port, as a supervisor would after a crash.
 */
export type Stack = {
  slack: FakeSlack;
  openai: FakeOpenAi;
  send: SlackRequests;
  baseUrl: string;
  app: () => ChildApp;
  restart(): Promise<ChildApp>;
  /** The store's env (SPARRING_DATA_DIR or DATABASE_URL), for reading it after the app has stopped. */
  storage: Record<string, string>;
  logFile: string;
  dispose(): Promise<void>;
};

export async function startStack(opts: {
  kind: 'pglite' | 'postgres';
  env?: Record<string, string>;
  openai?: FakeOpenAiOptions;
}): Promise<Stack> {
  const dir = await mkdtemp(path.join(tmpdir(), 'sparring-resilience-'));
  const logFile = path.join(dir, 'app.log');
  const slack = await startFakeSlack();
  const openai = await startFakeOpenAi(opts.openai);
  const pg = opts.kind === 'postgres' ? await freshPostgresDatabase() : null;
  const storage: Record<string, string> = pg
    ? { DATABASE_URL: pg.url }
    : { SPARRING_DATA_DIR: path.join(dir, 'data') };
  const env = {
    SLACK_BOT_TOKEN: 'xoxb-resilience',
    SLACK_SIGNING_SECRET: SIGNING_SECRET,
    SLACK_API_URL: slack.apiUrl,
    OPENAI_BASE_URL: openai.baseUrl,
    OPENAI_API_KEY: 'resilience-key',
    LOG_LEVEL: 'info',
    ...storage,
    ...opts.env,
  };
  const port = await freePort();
  const start = () => startChildApp({ cwd: dir, logFile, env, port });
  let app = await start();
  const baseUrl = `http://127.0.0.1:${port}`;
  return {
    slack,
    openai,
    send: slackRequests({ baseUrl, signingSecret: SIGNING_SECRET }),
    baseUrl,
    app: () => app,
    async restart() {
      app = await start();
      return app;
    },
    storage,
    logFile,
    async dispose() {
      await app.stop().catch(() => undefined);
      await slack.close();
      await openai.close();
      await pg?.drop().catch(() => undefined);
      await rm(dir, { recursive: true, force: true });
    },
  };
}

/** The app's own messages (chat.postMessage answered ok) in a thread, in the order Slack received them. */
export const postsIn = (slack: FakeSlack, channel: string, threadTs: string): SlackCall[] =>
  slack
    .callsTo('chat.postMessage')
    .filter((c) => c.args.channel === channel && c.args.thread_ts === threadTs);

export const isFailure = (call: SlackCall) =>
  buttonsOf(call.args).some((b) => b.actionId === 'sparring_retry');

/** Starts a session with `/spar <scenario>` and resolves with its thread once the buyer's opening is posted. */
export async function startSession(
  stack: Pick<Stack, 'slack' | 'send'>,
  s: { channel: string; user: string; scenarioId: string; timeoutMs?: number },
): Promise<{ threadTs: string; header: SlackCall }> {
  const res = await stack.send.command({
    text: s.scenarioId,
    userId: s.user,
    channelId: s.channel,
    responseUrl: stack.slack.responseUrl(),
  });
  if (res.status !== 200) throw new Error(`/spar answered ${res.status}`);
  const header = await stack.slack.waitFor(
    () =>
      stack.slack
        .callsTo('chat.postMessage')
        .find((c) => c.args.channel === s.channel && c.args.thread_ts === undefined),
    { what: `the session message in ${s.channel}`, timeoutMs: s.timeoutMs ?? 20_000 },
  );
  const threadTs = String(header.response.ts);
  await stack.slack.waitFor(() => postsIn(stack.slack, s.channel, threadTs)[0], {
    what: `the opening in ${s.channel}`,
    timeoutMs: s.timeoutMs ?? 20_000,
  });
  return { threadTs, header };
}

let tsSeq = 0;
/** Message ts values of our own (the fake Slack hands out 1700000000.x). */
export const nextTs = () => `1800000000.${String(++tsSeq).padStart(6, '0')}`;

/**
 * A rep's message in the thread, delivered the way Slack delivers events: when the app cannot be reached (it is
 * down) or answers 5xx, the same event is sent again with x-slack-retry-num until it is acknowledged or
 * `retryForMs` runs out.
 */
export async function say(
  stack: Pick<Stack, 'send'>,
  m: { channel: string; user: string; threadTs: string; text: string; ts?: string },
  opts: { retryForMs?: number; canSend?: () => Promise<void> } = {},
): Promise<{ ts: string; status: number; attempts: number }> {
  const ts = m.ts ?? nextTs();
  const eventId = newEventId();
  const deadline = Date.now() + (opts.retryForMs ?? 0);
  for (let attempt = 0; ; attempt++) {
    await opts.canSend?.();
    try {
      const res = await stack.send.message(
        { user: m.user, channel: m.channel, text: m.text, ts, threadTs: m.threadTs },
        attempt === 0 ? { eventId } : { eventId, retryNum: attempt },
      );
      // Anything but a 2xx is a failed delivery to Slack, which tries again (503: still being handled).
      if (res.status < 500 || Date.now() > deadline) return { ts, status: res.status, attempts: attempt + 1 };
    } catch (err) {
      if (Date.now() > deadline) throw err;
    }
    await new Promise((r) => setTimeout(r, 200));
  }
}

/** A small seeded generator (mulberry32), so that injected failures follow the same pattern on every run. */
export function seeded(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}
