import pg from 'pg';
import { describe, expect, it } from 'vitest';
import { openDb } from '../../src/store/db.js';
import { backends, silentLogger } from '../helpers/db.js';
import { type SlackCall, textOf } from '../helpers/fake-slack.js';
import { isFailure, postsIn, type Stack, say, startSession, startStack } from './stack.js';

const REPS = 6;
const TURNS = 6;

const marker = (n: number, turn: number) => `[r${n}t${turn}]`;
const repText = (n: number, turn: number) => `What happens on a busy Saturday? ${marker(n, turn)}`;

/** Every turn of a session's transcript, from the store the app left behind. */
async function transcripts(stack: Stack, threads: readonly string[]): Promise<Map<string, string[]>> {
  const sql = `SELECT s.thread_ts, t.role, t.text FROM turns t JOIN sessions s ON s.id = t.session_id
    WHERE s.thread_ts = ANY($1) ORDER BY s.thread_ts, t.sort_key, t.idx`;
  let rows: Array<{ thread_ts: string; role: string; text: string }>;
  if (stack.storage.DATABASE_URL) {
    const client = new pg.Client({ connectionString: stack.storage.DATABASE_URL });
    await client.connect();
    rows = (await client.query(sql, [threads])).rows;
    await client.end();
  } else {
    const db = await openDb({ dataDir: stack.storage.SPARRING_DATA_DIR!, logger: silentLogger });
    rows = await db.query(sql, [threads]);
    await db.close();
  }
  const byThread = new Map<string, string[]>();
  for (const r of rows)
    byThread.set(r.thread_ts, [...(byThread.get(r.thread_ts) ?? []), `${r.role}: ${r.text}`]);
  return byThread;
}

/**
 * The app is killed with SIGKILL while buyer replies are in flight (model calls pending, replies being posted) and
 * a rep message is on its way in, then started again on the same store, as a supervisor would. The sessions go on in the same threads; every rep
 * message gets its reply; the only duplicate allowed is a reply Slack had already received when the process died
 * (delivery is at least once), and the stored transcripts hold each message exactly once.
 */
describe.each(backends)('resilience: kill -9 mid-run and restart (%s)', (kind) => {
  // On PostgreSQL the dead instance's leases (30 s) must run out before the new one may take its sessions over.
  const replyTimeoutMs = kind === 'postgres' ? 70_000 : 30_000;

  it('continues every session; each message is answered once, nothing lost', async () => {
    const stack = await startStack({ kind, openai: { latencyMs: 600 } });
    try {
      const { slack, openai } = stack;
      const sessions = await Promise.all(
        Array.from({ length: REPS }, async (_, n) => ({
          n,
          channel: `CKILL${n}`,
          user: `UREPKILL${n}`,
          ...(await startSession(stack, {
            channel: `CKILL${n}`,
            user: `UREPKILL${n}`,
            scenarioId: 'en-florist-card-readers',
          })),
        })),
      );

      // Rep messages keep coming while the app dies: one is on its way when it is killed. Slack only considers an
      // event delivered once the app has stored it, and sends it again otherwise.
      let restartedAt = 0;
      let onSend: (() => void) | null = null;
      let finished = 0;

      const replies = (channel: string, threadTs: string, n: number, turn: number) =>
        postsIn(slack, channel, threadTs).filter((c) => textOf(c.args).includes(marker(n, turn)));

      const runRep = async ({ n, channel, user, threadTs }: (typeof sessions)[number]) => {
        for (let turn = 1; turn <= TURNS; turn++) {
          onSend?.();
          const { status } = await say(
            stack,
            { channel, user, threadTs, text: repText(n, turn) },
            { retryForMs: replyTimeoutMs },
          );
          expect(status).toBe(200);
          await slack.waitFor(() => replies(channel, threadTs, n, turn)[0], {
            what: `the reply to ${marker(n, turn)}`,
            timeoutMs: replyTimeoutMs,
          });
        }
        finished++;
      };

      const killer = (async () => {
        const answered = () =>
          sessions.reduce((k, s) => k + postsIn(slack, s.channel, s.threadTs).length - 1, 0);
        await slack.waitFor(() => answered() >= (REPS * TURNS) / 3, {
          what: 'a third of the replies',
          timeoutMs: 30_000,
        });
        // Model calls are pending when the process dies: the next two buyer requests are held unanswered (forced,
        // not left to the timing of a 600 ms latency on a loaded machine). The kill comes a few milliseconds after
        // another rep message has left (read, claimed or being stored), or at once if no rep is left to send.
        openai.hold('buyer_turn', 2);
        await slack.waitFor(() => openai.held().length > 0, {
          what: 'a buyer request held in flight',
          timeoutMs: 30_000,
        });
        await new Promise<void>((resolve) => {
          onSend = () => {
            onSend = null;
            setTimeout(resolve, 4);
          };
          void slack
            .waitFor(() => finished + openai.held().length >= REPS, { timeoutMs: 60_000 })
            .then(() => resolve(), resolve);
        });
        const inFlight = openai.requests.filter((r) => r.endedAt === null).length;
        await stack.app().kill();
        // The held requests' client is gone; nothing more is held after the restart.
        openai.release();
        // A post the old process wrote just before it died can be read a moment after the kill: the line between
        // the two processes is the restart, seconds before the new process can post anything.
        restartedAt = Date.now();
        await stack.restart();
        return inFlight;
      })();

      await Promise.all([...sessions.map(runRep), killer]);
      const inFlightAtKill = await killer;
      // Replies were being worked on when the process died.
      expect(inFlightAtKill).toBeGreaterThan(0);
      await new Promise((r) => setTimeout(r, 1500));

      let doubles = 0;
      const twiceOnlyIfInFlight = (copies: SlackCall[]) => {
        expect(copies.length).toBeGreaterThanOrEqual(1);
        expect(copies.length).toBeLessThanOrEqual(2);
        if (copies.length === 2) {
          // Posted just before the kill and not yet recorded as delivered: posted again after the restart.
          expect(copies[0]!.at).toBeLessThan(restartedAt);
          expect(copies[1]!.at).toBeGreaterThanOrEqual(restartedAt);
          doubles++;
        }
      };
      for (const { n, channel, threadTs } of sessions) {
        const posts = postsIn(slack, channel, threadTs);
        expect(posts.filter(isFailure)).toEqual([]);
        twiceOnlyIfInFlight(posts.filter((c) => !textOf(c.args).includes('[r')));
        const firstCopies: SlackCall[] = [];
        for (let turn = 1; turn <= TURNS; turn++) {
          const copies = replies(channel, threadTs, n, turn);
          twiceOnlyIfInFlight(copies);
          firstCopies.push(copies[0]!);
        }
        // In order: each reply after the one to the message before.
        expect(firstCopies.map((c) => posts.indexOf(c))).toEqual(
          [...firstCopies.map((c) => posts.indexOf(c))].sort((a, b) => a - b),
        );
      }
      expect(doubles).toBeLessThanOrEqual(REPS);

      // The stored conversations: one session per thread, every message once, each answered, in order.
      await stack.app().stop();
      const stored = await transcripts(
        stack,
        sessions.map((s) => s.threadTs),
      );
      for (const { n, threadTs } of sessions) {
        const turns = stored.get(threadTs) ?? [];
        expect(turns).toHaveLength(1 + 2 * TURNS);
        const reps = turns.filter((t) => t.startsWith('rep: '));
        expect(reps).toEqual(Array.from({ length: TURNS }, (_, i) => `rep: ${repText(n, i + 1)}`));
        expect(turns.map((t) => t.split(':')[0])).toEqual(['buyer', ...reps.flatMap(() => ['rep', 'buyer'])]);
      }
    } finally {
      await stack.dispose();
    }
  }, 150_000);
});
