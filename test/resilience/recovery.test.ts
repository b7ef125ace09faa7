import { describe, expect, it } from 'vitest';
import { backends } from '../helpers/db.js';
import { textOf } from '../helpers/fake-slack.js';
import { postsIn, say, startSession, startStack } from './stack.js';

const SESSIONS = 20;
const MODEL_MS = 3000;
/** The session lease (src/practice/practice.ts): a dead instance's leases on PostgreSQL run out after this. */
const LEASE_MS = 30_000;
/** The sweeper's period (src/main.ts). */
const SWEEP_MS = 10_000;

/**
 * kill -9 while 20 sessions each wait for a 3 s model answer. After the restart the sweeper picks them all up at
 * once (bounded): they are answered within about two model latencies of the restart (plus the dead instance's
 * lease and a sweep period on PostgreSQL, where its leases are not cleared at start), not one after another
 * (twenty latencies, a minute).
 */
describe.each(backends)('resilience: recovery after kill -9 runs in parallel (%s)', (kind) => {
  it('answers 20 interrupted sessions within about two model latencies of the restart', async () => {
    const stack = await startStack({ kind, openai: { latencyMs: MODEL_MS } });
    try {
      const { slack, openai } = stack;
      const sessions = await Promise.all(
        Array.from({ length: SESSIONS }, async (_, n) => {
          const channel = `CRECOVER${n}`;
          const user = `UREPRECOVER${n}`;
          const { threadTs } = await startSession(stack, {
            channel,
            user,
            scenarioId: 'en-florist-card-readers',
            timeoutMs: 60_000,
          });
          return { n, channel, user, threadTs };
        }),
      );
      // Every message stored (acknowledged) and its model call in flight when the process dies.
      openai.hold('buyer_turn', SESSIONS);
      for (const s of sessions) {
        const { status } = await say(stack, {
          channel: s.channel,
          user: s.user,
          threadTs: s.threadTs,
          text: `Where does it hurt most? [recover ${s.n}]`,
        });
        expect(status).toBe(200);
      }
      await slack.waitFor(() => openai.held().length === SESSIONS, {
        what: 'every buyer request in flight',
        timeoutMs: 60_000,
      });
      const killedAt = Date.now();
      await stack.app().kill();
      openai.release();
      await stack.restart();
      const readyAt = Date.now();

      const answered = await Promise.all(
        sessions.map((s) =>
          slack.waitFor(
            () =>
              postsIn(slack, s.channel, s.threadTs).find((c) => textOf(c.args).includes(`[recover ${s.n}]`)),
            { what: `the answer in session ${s.n}`, timeoutMs: 150_000 },
          ),
        ),
      );
      const last = Math.max(...answered.map((c) => c.at));
      const sinceRestartMs = last - readyAt;
      const sinceKillMs = last - killedAt;
      // Serial recovery takes SESSIONS × MODEL_MS (60 s); in parallel, two latencies plus slack for a busy machine.
      const boundMs = (kind === 'postgres' ? LEASE_MS + SWEEP_MS : 0) + 4 * MODEL_MS;
      console.info(
        `recovery (${kind}): last answer ${sinceRestartMs} ms after the restart, ${sinceKillMs} ms after the kill`,
      );
      expect(sinceRestartMs).toBeLessThan(boundMs);
      // Each answered once.
      for (const s of sessions) {
        expect(
          postsIn(slack, s.channel, s.threadTs).filter((c) => textOf(c.args).includes(`[recover ${s.n}]`)),
        ).toHaveLength(1);
      }
    } finally {
      await stack.dispose();
    }
  }, 240_000);
});
