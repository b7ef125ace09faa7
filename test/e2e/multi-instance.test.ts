import { type ChildProcess, spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { freshPostgresDatabase } from '../helpers/db.js';
import { type FakeSlack, startFakeSlack } from '../helpers/fake-slack.js';
import { newEventId, type SlackRequests, slackRequests } from '../helpers/slack-requests.js';
import { ids, SIGNING_SECRET, threads } from './boot.js';

const ROOT = fileURLToPath(new URL('../..', import.meta.url));

type Instance = { child: ChildProcess; send: SlackRequests; port: number; log: string[] };

/**
 * Starts src/main.ts under tsx as its own process and resolves once it logs the port it listens on. Node itself,
 * with tsx's loader, rather than the tsx command: that one runs the app in a second process, which the SIGKILL at
 * the end does not reach (each run left two apps behind, retrying their dropped database for ever).
 */
function startInstance(env: Record<string, string>): Promise<Instance> {
  const child = spawn(process.execPath, ['--import', import.meta.resolve('tsx'), 'src/main.ts'], {
    cwd: ROOT,
    env: { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? '', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const log: string[] = [];
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`instance did not start:\n${log.join('')}`)), 60_000);
    const onData = (d: Buffer) => {
      log.push(d.toString('utf8'));
      const started = /"port":(\d+)[^\n]*"msg":"sparring started"/.exec(log.join(''));
      if (started) {
        clearTimeout(timer);
        const port = Number(started[1]);
        resolve({
          child,
          port,
          log,
          send: slackRequests({ baseUrl: `http://127.0.0.1:${port}`, signingSecret: SIGNING_SECRET }),
        });
      }
    };
    child.stdout?.on('data', onData);
    child.stderr?.on('data', onData);
    child.on('exit', (code) => reject(new Error(`instance exited with ${code}:\n${log.join('')}`)));
  });
}

describe.runIf(process.env.TEST_DATABASE_URL)('two instances on one PostgreSQL', () => {
  let slack: FakeSlack;
  let db: { url: string; drop: () => Promise<void> };
  let instances: Instance[] = [];

  beforeAll(async () => {
    slack = await startFakeSlack();
    db = await freshPostgresDatabase();
    const env = {
      SLACK_BOT_TOKEN: 'xoxb-test',
      SLACK_SIGNING_SECRET: SIGNING_SECRET,
      SLACK_API_URL: slack.apiUrl,
      DATABASE_URL: db.url,
      PORT: '0',
      LOG_LEVEL: 'info',
    };
    // Both at the same moment: the migrations must not trip over each other.
    instances = await Promise.all([startInstance(env), startInstance(env)]);
  }, 120_000);

  afterAll(async () => {
    for (const i of instances) i.child.kill('SIGKILL');
    await slack?.close();
    await db?.drop();
  });

  it('answers each rep message once and in order when events alternate between them, duplicates included', async () => {
    const [a, b] = instances as [Instance, Instance];
    const channel = ids.channel();
    const rep = 'UREP1';
    const t = threads(slack);
    const { threadTs } = await t.start(a.send, { scenarioId: 'en-florist-card-readers', channel, user: rep });

    const client = new pg.Client({ connectionString: db.url });
    // Should an assertion fail before client.end(), dropping the database must not add an unhandled error.
    client.on('error', () => undefined);
    await client.connect();
    const stored = async () => {
      const { rows } = await client.query<{ n: number }>(
        `SELECT count(*)::int AS n FROM inbox i JOIN sessions s ON s.id = i.session_id
         WHERE s.channel_id = $1 AND s.thread_ts = $2 AND i.kind = 'message'`,
        [channel, threadTs],
      );
      return rows[0]?.n ?? 0;
    };

    const messages = [
      'How do you take card payments today?',
      'What happens at the Saturday market when the signal drops?',
      'What have you tried so far to fix it?',
      'Who else would have a say in changing it?',
      'What does it cost you today?',
      'What would have to be true for a change to be worth it?',
    ];
    for (const [i, text] of messages.entries()) {
      const ts = ids.ts();
      const eventId = newEventId();
      const first = i % 2 === 0 ? a : b;
      const second = i % 2 === 0 ? b : a;
      // Delivered to one instance, then redelivered (same event id, Slack's retry header) to the other.
      const [r1, r2] = await Promise.all([
        first.send.message({ user: rep, channel, text, ts, threadTs }, { eventId }),
        second.send.message({ user: rep, channel, text, ts, threadTs }, { eventId, retryNum: 1 }),
      ]);
      // One instance takes it. The other finds it taken: a duplicate (200) once the first has stored it, or
      // still being handled (503), which Slack delivers again later, by when it is a duplicate.
      expect([r1.status, r2.status]).toContain(200);
      for (const [res, instance] of [
        [r1, first],
        [r2, second],
      ] as const) {
        expect([200, 503]).toContain(res.status);
        if (res.status === 503) {
          // Slack delivers again later; the claim is marked stored just after the first 200, so a redelivery in
          // that moment is told 503 once more. Within a few tries it is a duplicate.
          let again = res.status;
          for (let retry = 2; again === 503 && retry < 12; retry++) {
            await new Promise((r) => setTimeout(r, 100));
            again = (
              await instance.send.message(
                { user: rep, channel, text, ts, threadTs },
                { eventId, retryNum: retry },
              )
            ).status;
          }
          expect(again).toBe(200);
        }
      }
      // Acknowledged means stored; the next message may arrive while the buyer is still "typing".
      expect(await stored()).toBe(i + 1);
    }

    const replies = await t.replies(channel, threadTs, messages.length, 30_000);
    // Give a duplicate time to show up, if there were one.
    await new Promise((r) => setTimeout(r, 1500));
    expect(t.inThread(channel, threadTs).slice(1)).toHaveLength(messages.length);
    expect(replies.every((r) => r.args.thread_ts === threadTs)).toBe(true);

    try {
      const { rows } = await client.query<{ role: string; text: string }>(
        `SELECT t.role, t.text FROM turns t JOIN sessions s ON s.id = t.session_id
         WHERE s.channel_id = $1 AND s.thread_ts = $2 ORDER BY t.sort_key, t.idx`,
        [channel, threadTs],
      );
      expect(rows.map((r) => r.role)).toEqual(['buyer', ...messages.flatMap(() => ['rep', 'buyer'])]);
      expect(rows.filter((r) => r.role === 'rep').map((r) => r.text)).toEqual(messages);
      // Each posted reply is the buyer turn that follows the message it answers.
      const buyerTurns = rows.filter((r) => r.role === 'buyer').slice(1);
      expect(replies.map((r) => String(r.args.text ?? ''))).toEqual(
        buyerTurns.map((bt) => expect.stringContaining(bt.text.slice(0, 20))),
      );
    } finally {
      await client.end();
    }
  }, 120_000);
});
