import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RecordedRequest } from '../helpers/fake-openai.js';
import { buttonsOf, type SlackCall, textOf } from '../helpers/fake-slack.js';
import { isFailure, postsIn, type Stack, say, seeded, startSession, startStack } from './stack.js';

const REPS = 8;
const TURNS = 5;

const lastUserText = (r: RecordedRequest) =>
  [...r.body.messages].reverse().find((m) => m.role === 'user')?.content ?? '';

const textFor = (n: number, turn: number) =>
  `Rep ${n}, question ${turn}: how do you take payments at the market?`;

/**
 * Failures keyed to specific messages, so every path is taken on every run however the requests interleave (a
 * failure queued for "the next request" lands on whichever rep's request comes first, and a random rate may land
 * nowhere that matters): both tries fail, so the rep needs Retry; one try fails, so the SDK's retry answers.
 */
const FORCED: Array<{ n: number; turn: number; failures: Array<500 | 429 | 'timeout'>; retry: boolean }> = [
  { n: 0, turn: 2, failures: [500, 500], retry: true },
  { n: 3, turn: 4, failures: [429, 'timeout'], retry: true },
  { n: 1, turn: 3, failures: ['timeout'], retry: false },
  { n: 2, turn: 1, failures: [429], retry: false },
];

/**
 * The model server fails a fifth of the buyer requests (429, 500, or no answer until the 1 s client timeout) and
 * the SDK retries once; on top of that the FORCED messages fail exactly as listed. Every rep message must end up
 * answered: at once, after the SDK's retry, or after the rep presses Retry on the failure message the app posts.
 * Nothing may be lost or answered twice.
 */
describe('resilience: the model server fails 20% of requests and times out', () => {
  let stack: Stack;

  beforeAll(async () => {
    stack = await startStack({
      kind: 'pglite',
      env: { OPENAI_MAX_RETRIES: '1', OPENAI_TIMEOUT_MS: '1000' },
      openai: { latencyMs: 50 },
    });
  }, 60_000);
  afterAll(async () => {
    await stack?.dispose();
  });

  it('answers every message or fails it with a Retry button, and Retry answers the rest, once each', async () => {
    const { slack, openai, send } = stack;
    openai.failRandomly('buyer_turn', { rate: 0.2, failures: [429, 500, 'timeout'], random: seeded(20) });
    for (const f of FORCED) openai.failFor('buyer_turn', textFor(f.n, f.turn), ...f.failures);
    const failures: Array<{ n: number; turn: number; post: SlackCall }> = [];

    const runRep = async (n: number) => {
      const channel = `CLLM${n}`;
      const user = `UREPLLM${n}`;
      const { threadTs } = await startSession(stack, {
        channel,
        user,
        scenarioId: 'en-florist-card-readers',
      });
      const sent: string[] = [];
      for (let turn = 1; turn <= TURNS; turn++) {
        const text = textFor(n, turn);
        const { status } = await say(stack, { channel, user, threadTs, text });
        expect(status).toBe(200);
        sent.push(text);
        // One post per attempt: a reply ends the turn, a failure gets its Retry pressed, as a rep would.
        for (let attempt = 0; ; attempt++) {
          const before = postsIn(slack, channel, threadTs).length;
          const post = await slack.waitFor(() => postsIn(slack, channel, threadTs)[before], {
            what: `the answer to "${text}" (attempt ${attempt + 1})`,
            timeoutMs: 15_000,
          });
          if (!isFailure(post)) {
            expect(textOf(post.args)).toContain(`You said: ${text}`);
            break;
          }
          failures.push({ n, turn, post });
          expect(attempt).toBeLessThan(8);
          const retry = buttonsOf(post.args).find((b) => b.actionId === 'sparring_retry')!;
          const res = await send.action({
            actionId: retry.actionId,
            value: retry.value,
            userId: user,
            channelId: channel,
            messageTs: String(post.response.ts),
            threadTs,
            responseUrl: slack.responseUrl(),
          });
          expect(res.status).toBe(200);
        }
      }
      return { channel, threadTs, sent };
    };

    const reps = await Promise.all(Array.from({ length: REPS }, (_, n) => runRep(n)));
    // Let anything late or doubled show up before counting.
    await new Promise((r) => setTimeout(r, 1500));

    for (const { channel, threadTs, sent } of reps) {
      const answers = postsIn(slack, channel, threadTs)
        .slice(1)
        .filter((c) => !isFailure(c))
        .map((c) => textOf(c.args));
      // Exactly one reply per message, in the order they were sent.
      expect(answers).toHaveLength(sent.length);
      sent.forEach((text, i) => {
        expect(answers[i]).toContain(`You said: ${text}`);
      });
    }
    // The failures were real: the model server refused or dropped requests, and the app said so with Retry.
    const statuses = openai.requests.map((r) => r.status);
    expect(statuses.filter((s) => s !== 200).length).toBeGreaterThanOrEqual(6);
    expect(statuses).toContain(null); // a request the client gave up on
    expect(statuses).toContain(429);
    expect(statuses).toContain(500);
    // Each forced message: both tries failed, so the rep saw Retry; one try failed, so the SDK's retry answered it
    // (the random failures may add more of either).
    for (const f of FORCED) {
      const tried = openai.requests.filter((r) => lastUserText(r).includes(textFor(f.n, f.turn)));
      expect(tried.length, `requests for rep ${f.n} turn ${f.turn}`).toBeGreaterThanOrEqual(
        f.failures.length + 1,
      );
      if (f.retry) expect(failures.some((x) => x.n === f.n && x.turn === f.turn)).toBe(true);
    }
    for (const { post } of failures) {
      expect(textOf(post.args)).toContain('The buyer could not answer');
    }
  }, 120_000);
});
