import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { textOf } from '../helpers/fake-slack.js';
import { postsIn, type Stack, say, startSession, startStack } from './stack.js';

const REPS = 6;
const TURNS = 4;

/**
 * Slack answers a run of chat.postMessage calls (and some reaction calls) with 429 and Retry-After while several
 * threads are busy. Every reply must still arrive, once, after the wait Slack asked for.
 */
describe('resilience: Slack rate-limits chat.postMessage with 429 and Retry-After', () => {
  let stack: Stack;

  beforeAll(async () => {
    stack = await startStack({ kind: 'pglite', openai: { latencyMs: 100 } });
  }, 60_000);
  afterAll(async () => {
    await stack?.dispose();
  });

  it('still delivers every reply, once and in order, no sooner than Retry-After', async () => {
    const { slack } = stack;
    const sessions = await Promise.all(
      Array.from({ length: REPS }, async (_, n) => {
        const channel = `CRATE${n}`;
        const user = `UREPRATE${n}`;
        const { threadTs } = await startSession(stack, {
          channel,
          user,
          scenarioId: 'en-seasoned-buyer-closing',
        });
        return { n, channel, user, threadTs };
      }),
    );
    const limitedFrom = slack.calls.length;
    slack.rateLimit('chat.postMessage', { times: 8, retryAfterSec: 1 });
    slack.rateLimit('assistant.threads.setStatus', { times: 2, retryAfterSec: 1 });

    const sent = await Promise.all(
      sessions.map(async ({ n, channel, user, threadTs }) => {
        const texts: string[] = [];
        for (let turn = 1; turn <= TURNS; turn++) {
          const text = `Rep ${n}, turn ${turn}: what would make a change worth it for you?`;
          await say(stack, { channel, user, threadTs, text });
          texts.push(text);
          await slack.waitFor(() => postsIn(slack, channel, threadTs)[turn], {
            what: `the reply to "${text}"`,
            timeoutMs: 20_000,
          });
        }
        return { channel, threadTs, texts };
      }),
    );
    await new Promise((r) => setTimeout(r, 1500));

    for (const { channel, threadTs, texts } of sent) {
      const replies = postsIn(slack, channel, threadTs).slice(1);
      expect(replies.map((c) => textOf(c.args))).toEqual(
        texts.map((t) => expect.stringContaining(`You said: ${t}`)),
      );
    }
    // Every refused post was made again with the same content, at least the second Slack asked for later.
    const refused = slack.calls
      .slice(limitedFrom)
      .filter((c) => c.method === 'chat.postMessage' && c.status === 429);
    expect(refused).toHaveLength(8);
    for (const r of refused) {
      const accepted = slack
        .callsTo('chat.postMessage')
        .find((c) => c.at > r.at && c.args.thread_ts === r.args.thread_ts && c.args.text === r.args.text);
      expect(accepted, `no accepted retry for ${String(r.args.text).slice(0, 60)}`).toBeDefined();
      expect(accepted!.at - r.at).toBeGreaterThanOrEqual(950);
      expect(accepted!.args.blocks).toEqual(r.args.blocks);
    }
  }, 90_000);
});
