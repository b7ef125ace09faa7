import { performance } from 'node:perf_hooks';
import { BOT_USER_ID, type FakeSlack, type SlackCall } from '../test/helpers/fake-slack.js';
import type { SlackRequests } from '../test/helpers/slack-requests.js';
import { marker, repLine } from './conversation.js';

/** One rep message: when it was sent, how long the ack took, and when its reply reached the fake Slack. */
export type TurnSample = {
  rep: string;
  turn: number;
  /** performance.now() just before the event was sent. */
  sentAt: number;
  ackMs: number;
  status: number;
  /** performance.now() when the reply's chat.postMessage arrived at the fake Slack; null: no reply in time. */
  replyAt: number | null;
  /** The reply answers this message (it carries the message's marker). */
  matched: boolean;
};

export type RepResult = {
  rep: string;
  channel: string;
  threadTs: string | null;
  /** Ack times of the requests that started the session (the command, or the mention and its message). */
  startAcks: number[];
  /** The app_mention's own ack, for a rep who starts with an @mention (the first of `startAcks`). */
  mentionAckMs: number | null;
  turns: TurnSample[];
  error: string | null;
};

export type LoadOptions = {
  send: SlackRequests;
  slack: FakeSlack;
  /** Rep ids are `${prefix}${n}`: lower-case letters, so that they fit the marker. */
  prefix: string;
  reps: number;
  turns: number;
  scenarios: readonly string[];
  /** Reps start evenly spread over this many ms (0: all at once). */
  rampMs: number;
  /** How long one reply may take before the message counts as lost. */
  replyTimeoutMs: number;
  /**
   * A rep's time to read the answer and type the next message, on average (0: at once). Each pause is drawn
   * evenly from ⅔ to 4⁄3 of it (15 000: 10 to 20 s).
   */
  thinkMs?: number;
};

type Waiter = { ready: () => boolean; resolve: () => void };

/** Follows what the app posts to the fake Slack, per channel: top-level messages and each thread's messages. */
function watchPosts(slack: FakeSlack) {
  const channels = new Map<
    string,
    { top: SlackCall[]; threads: Map<string, SlackCall[]>; waiters: Set<Waiter> }
  >();
  const channelOf = (id: string) => {
    let c = channels.get(id);
    if (!c) {
      c = { top: [], threads: new Map(), waiters: new Set() };
      channels.set(id, c);
    }
    return c;
  };
  const stop = slack.onCall((call) => {
    if (call.method !== 'chat.postMessage' || call.response.ok !== true) return;
    const c = channelOf(String(call.args.channel));
    const threadTs = typeof call.args.thread_ts === 'string' ? call.args.thread_ts : null;
    if (threadTs === null) c.top.push(call);
    else c.threads.set(threadTs, [...(c.threads.get(threadTs) ?? []), call]);
    for (const w of c.waiters) {
      if (w.ready()) {
        c.waiters.delete(w);
        w.resolve();
      }
    }
  });

  const until = async <T>(
    channel: string,
    pick: () => T | undefined,
    timeoutMs: number,
  ): Promise<T | null> => {
    const c = channelOf(channel);
    const now = pick();
    if (now !== undefined) return now;
    let timer: NodeJS.Timeout | undefined;
    let waiter: Waiter | undefined;
    const found = await new Promise<boolean>((resolve) => {
      waiter = { ready: () => pick() !== undefined, resolve: () => resolve(true) };
      c.waiters.add(waiter);
      timer = setTimeout(() => resolve(false), timeoutMs);
    });
    clearTimeout(timer);
    if (waiter) c.waiters.delete(waiter);
    return found ? (pick() ?? null) : null;
  };

  return {
    /** The first top-level message in the channel (the session message of a /spar start). */
    header: (channel: string, timeoutMs: number) =>
      until(channel, () => channelOf(channel).top[0], timeoutMs),
    /** The n-th message (0-based) in a thread. */
    inThread: (channel: string, threadTs: string, n: number, timeoutMs: number) =>
      until(channel, () => channelOf(channel).threads.get(threadTs)?.[n], timeoutMs),
    count: (channel: string, threadTs: string) => channelOf(channel).threads.get(threadTs)?.length ?? 0,
    stop,
  };
}

let tsSeq = 0;
/** Message ts values the fake Slack never hands out itself (it counts from 1700000000). */
const nextTs = () => `1800000000.${String(++tsSeq).padStart(6, '0')}`;
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/**
 * Simulates reps in concurrent sessions: each starts a session (even reps with /spar <id>, odd reps with an
 * @mention), waits for the buyer's opening, then writes `turns` messages in the thread, each after the reply to
 * the one before. Every request is signed; every time is taken in this process.
 */
export async function runLoad(opts: LoadOptions): Promise<RepResult[]> {
  const posts = watchPosts(opts.slack);
  const timed = async (request: () => Promise<{ status: number }>) => {
    const sentAt = performance.now();
    const res = await request();
    return { sentAt, ackMs: performance.now() - sentAt, status: res.status };
  };

  const runRep = async (n: number): Promise<RepResult> => {
    const rep = `${opts.prefix}${n}`;
    const channel = `C${rep.toUpperCase()}`;
    const user = `U${rep.toUpperCase()}`;
    const scenario = opts.scenarios[n % opts.scenarios.length]!;
    const result: RepResult = {
      rep,
      channel,
      threadTs: null,
      startAcks: [],
      mentionAckMs: null,
      turns: [],
      error: null,
    };
    await sleep(opts.reps > 1 ? (opts.rampMs * n) / opts.reps : 0);

    // Messages in the thread before the first reply: the opening, and for a mention also the session message.
    let before: number;
    if (n % 2 === 0) {
      const start = await timed(() =>
        opts.send.command({
          text: scenario,
          userId: user,
          channelId: channel,
          responseUrl: opts.slack.responseUrl(),
        }),
      );
      result.startAcks.push(start.ackMs);
      if (start.status !== 200) return { ...result, error: `/spar answered ${start.status}` };
      const header = await posts.header(channel, opts.replyTimeoutMs);
      if (!header) return { ...result, error: 'no session message after /spar' };
      result.threadTs = String(header.response.ts);
      before = 1;
    } else {
      const ts = nextTs();
      const text = `<@${BOT_USER_ID}> ${scenario}`;
      // Slack sends both for a mention in a channel the app is in: app_mention, and the plain message event.
      const [mention, message] = await Promise.all([
        timed(() => opts.send.event({ type: 'app_mention', user, text, ts, channel, event_ts: ts })),
        timed(() => opts.send.message({ user, channel, text, ts })),
      ]);
      result.startAcks.push(mention.ackMs, message.ackMs);
      result.mentionAckMs = mention.ackMs;
      if (mention.status !== 200) return { ...result, error: `app_mention answered ${mention.status}` };
      result.threadTs = ts;
      before = 2;
    }
    const threadTs = result.threadTs;
    if (!(await posts.inThread(channel, threadTs, before - 1, opts.replyTimeoutMs))) {
      return { ...result, error: 'no opening' };
    }

    for (let turn = 1; turn <= opts.turns; turn++) {
      const think = opts.thinkMs ?? 0;
      if (think > 0) await sleep(think * (2 / 3 + (2 / 3) * Math.random()));
      const text = repLine(rep, turn);
      const sent = await timed(() => opts.send.message({ user, channel, text, ts: nextTs(), threadTs }));
      const sample: TurnSample = { rep, turn, ...sent, replyAt: null, matched: false };
      result.turns.push(sample);
      if (sent.status !== 200) return { ...result, error: `message answered ${sent.status}` };
      const reply = await posts.inThread(channel, threadTs, before + turn - 1, opts.replyTimeoutMs);
      if (!reply) return { ...result, error: `no reply to turn ${turn} within ${opts.replyTimeoutMs} ms` };
      sample.replyAt = reply.t;
      sample.matched = String(reply.args.text).includes(marker(rep, turn));
      if (!sample.matched) return { ...result, error: `the reply to turn ${turn} answers another message` };
    }
    return result;
  };

  try {
    return await Promise.all(
      Array.from({ length: opts.reps }, (_, n) =>
        runRep(n).catch(
          (err: unknown): RepResult => ({
            rep: `${opts.prefix}${n}`,
            channel: '',
            threadTs: null,
            startAcks: [],
            mentionAckMs: null,
            turns: [],
            error: String(err),
          }),
        ),
      ),
    );
  } finally {
    posts.stop();
  }
}
