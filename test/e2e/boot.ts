import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { Env } from '../../src/config.js';
import { type RunningApp, startApp } from '../../src/main.js';
import { freshPostgresDatabase, silentLogger } from '../helpers/db.js';
import type { FakeOpenAi } from '../helpers/fake-openai.js';
import type { FakeSlack } from '../helpers/fake-slack.js';
import { type SlackRequests, slackRequests } from '../helpers/slack-requests.js';

export const SIGNING_SECRET = 'test-secret';

/** Where a test's sessions live: a PGlite directory, or a fresh PostgreSQL database when CI has a server. */
export type Storage = { env: Env; dispose(): Promise<void> };

export async function newStorage(kind: 'pglite' | 'postgres'): Promise<Storage> {
  if (kind === 'postgres') {
    const { url, drop } = await freshPostgresDatabase();
    return { env: { DATABASE_URL: url }, dispose: drop };
  }
  const dir = await mkdtemp(path.join(tmpdir(), 'sparring-e2e-'));
  return { env: { SPARRING_DATA_DIR: dir }, dispose: () => rm(dir, { recursive: true, force: true }) };
}

export type Booted = { app: RunningApp; send: SlackRequests; baseUrl: string };

/** The real app (startApp) in HTTP mode on a free port, against the fake Slack and, for LLM mode, fake OpenAI. */
export async function boot(opts: {
  slack: FakeSlack;
  storage: Storage;
  openai?: FakeOpenAi;
  env?: Env;
}): Promise<Booted> {
  const app = await startApp({
    env: {
      SLACK_BOT_TOKEN: 'xoxb-test',
      SLACK_SIGNING_SECRET: SIGNING_SECRET,
      PORT: '0',
      SLACK_API_URL: opts.slack.apiUrl,
      LOG_LEVEL: 'silent',
      ...opts.storage.env,
      ...(opts.openai
        ? {
            OPENAI_BASE_URL: opts.openai.baseUrl,
            OPENAI_API_KEY: 'test-key',
            OPENAI_MAX_RETRIES: '0',
            OPENAI_TIMEOUT_MS: '2000',
          }
        : {}),
      ...opts.env,
    },
    logger: silentLogger,
    sweepMs: 250,
    leaseMs: 3000,
  });
  const baseUrl = `http://127.0.0.1:${app.port}`;
  return { app, send: slackRequests({ baseUrl, signingSecret: SIGNING_SECRET }), baseUrl };
}

let seq = 0;
/** Unique ids per test file run: channels and message ts the fake Slack never hands out itself. */
export const ids = {
  channel: () => `CE2E${String(++seq).padStart(4, '0')}`,
  ts: () => `1800000000.${String(++seq).padStart(6, '0')}`,
};

/** Queries over what the app posted to the fake Slack. */
export function threads(slack: FakeSlack) {
  const posts = (channel: string) =>
    slack.callsTo('chat.postMessage').filter((c) => c.args.channel === channel);
  const inThread = (channel: string, threadTs: string) =>
    posts(channel).filter((c) => c.args.thread_ts === threadTs);
  return {
    posts,
    inThread,
    /** Waits until the thread has at least `n` messages after the opening; resolves with those. */
    replies: (channel: string, threadTs: string, n: number, timeoutMs = 10_000) =>
      slack.waitFor(
        () => {
          const replies = inThread(channel, threadTs).slice(1);
          return replies.length >= n ? replies : undefined;
        },
        { what: `${n} replies in ${channel}/${threadTs}`, timeoutMs },
      ),
    /** `/spar <id>` in `channel`; resolves with the session thread once the opening is posted. */
    async start(send: SlackRequests, opts: { scenarioId: string; channel: string; user: string }) {
      const res = await send.command({
        text: opts.scenarioId,
        userId: opts.user,
        channelId: opts.channel,
        responseUrl: slack.responseUrl(),
      });
      if (res.status !== 200) throw new Error(`/spar answered ${res.status}`);
      const header = await slack.waitFor(() => posts(opts.channel).find((c) => !c.args.thread_ts), {
        what: 'the session message',
      });
      const threadTs = String(header.response.ts);
      const opening = await slack.waitFor(() => inThread(opts.channel, threadTs)[0], { what: 'the opening' });
      return { header, threadTs, opening };
    },
  };
}
