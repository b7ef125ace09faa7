import { randomUUID } from 'node:crypto';
import type { Buyer } from '../buyer/types.js';
import type { Coach } from '../coach/coach.js';
import type { Feedback } from '../coach/feedback.js';
import type {
  InboxItem,
  NewSession,
  OutboxItem,
  OutboxPayload,
  Session,
  StoredTurn,
  Surface,
} from '../domain/session.js';
import type { Transcript } from '../domain/transcript.js';
import { AppError, isAppError } from '../errors.js';
import { addBuyerUsage, addCoachUsage } from '../llm/types.js';
import type { Logger } from '../logger.js';
import type { ScenarioCatalog } from '../scenarios/catalog.js';
import type { Scenario } from '../scenarios/schema.js';
import type { Claim, SessionStore, ThreadMessage } from '../store/sessions.js';

/** The longest rep message the buyer reads; longer ones are refused before anything is stored. */
export const MAX_REP_TEXT = 4000;

/**
 * Posts or prints one stored message; returns where it went (e.g. a Slack ts) or null. Throws
 * AppError('delivery_rejected') when it can never be delivered (it is then recorded and skipped), anything else
 * for a failure worth retrying.
 */
export type Deliver = (session: Session, item: OutboxItem) => Promise<string | null>;

/** A delivery that keeps failing transiently is given up on after this many attempts (about an hour). */
export const MAX_DELIVERY_ATTEMPTS = 20;

/** 5 s, 10 s, 20 s … up to 5 minutes between the attempts of a delivery that failed transiently. */
export const defaultDeliveryBackoff = (attempt: number): number =>
  Math.min(300_000, 5_000 * 2 ** Math.max(0, attempt - 1));

export type PracticeDeps = {
  store: SessionStore;
  catalog: Pick<ScenarioCatalog, 'get' | 'require'>;
  buyer: Buyer;
  coach: Coach;
  deliver: Deliver;
  logger: Logger;
  /**
   * Called as the buyer starts on a message, so the surface can show that it is "typing". It runs alongside the
   * model call (a slow surface does not delay the answer) and has finished before the answer is stored.
   */
  onWorking?: (session: Session, item: InboxItem) => Promise<void>;
  /** Models in use, recorded per session for cost reporting. */
  models?: Session['models'];
  /** Identifies this process in session leases (several instances share one database). */
  instanceId?: string;
  /** How long a lease lasts without renewal; it is renewed every third of that while work runs, so a crashed
   * instance's sessions are picked up by another one within this time. */
  leaseMs?: number;
  /** Sessions the sweeper works on at once (recovery after a crash runs in parallel, bounded). */
  sweepConcurrency?: number;
  /** The wait before the n-th retry of a delivery that failed transiently (n from 1). */
  deliveryBackoffMs?: (attempt: number) => number;
  newId?: () => string;
};

/** An error as a log field without its stack: a sweep that meets the same outage each pass stays readable. */
const errSummary = (err: unknown) =>
  err instanceof Error ? { type: err.name, message: err.message } : { message: String(err) };

/** The Slack delivery of a rep's @mention: its event id (claimed with the session) and the message. */
export type MentionEvent = { eventId: string; takeOverAfterMs?: number; ts: string; text: string };

export type StartInput = {
  scenarioId: string;
  surface: Surface;
  userId?: string | null;
  teamId?: string | null;
  channelId?: string | null;
  threadTs?: string | null;
  drillId?: string | null;
};

/** Removes control characters (but not newlines and tabs) that terminals and Slack would mangle. */
const clean = (text: string): string =>
  text.replace(/[\u0000-\u0008\u000B\u000C\u000E-\u001F\u007F]/g, '').trim();

/** Checks a rep message before anything is stored. */
export function validateRepText(text: string): string {
  const cleaned = clean(text);
  if (cleaned.length === 0) throw new AppError('text_empty', 'The message is empty.');
  if (cleaned.length > MAX_REP_TEXT) {
    throw new AppError(
      'text_too_long',
      `The message has ${cleaned.length} characters; the buyer reads at most ${MAX_REP_TEXT}.`,
    );
  }
  return cleaned;
}

export const toTranscript = (
  session: Session,
  turns: readonly Pick<StoredTurn, 'role' | 'text'>[],
): Transcript => ({
  scenario: session.scenarioId,
  language: session.language,
  sale: session.sale,
  turns: turns.map((t) => ({ role: t.role, text: t.text })),
});

/** The practice use cases, shared by the terminal and Slack. */
export type Practice = ReturnType<typeof createPractice>;

export function createPractice(deps: PracticeDeps) {
  const { store, catalog, buyer, coach, deliver } = deps;
  const log = deps.logger.child({ module: 'practice' });
  const owner = deps.instanceId ?? randomUUID();
  const leaseMs = deps.leaseMs ?? 30_000;
  // A drain renews its lease this often; a first claim older than this is no longer trusted (see `fresh`).
  const heartbeatMs = Math.max(10, Math.floor(leaseMs / 3));
  const newId = deps.newId ?? randomUUID;
  // One drain at a time per session in this process; the lease does the same across processes.
  const chains = new Map<string, Promise<void>>();
  /**
   * Runs asked for so far (`requests`), and per session with drains queued, the count when the claim that ended
   * its last drain was sent (see drain): a run asked for before that claim has nothing left to do.
   */
  let requests = 0;
  const settledAt = new Map<string, number>();
  /**
   * Sessions this process has just stored leased to itself (createClaimed, the mention's intake), with their first
   * claim: the first drain of each starts from it instead of a round trip to claim. Taken by that drain, or
   * dropped by the sweep once it is too old to trust (older than a heartbeat's interval).
   */
  const fresh = new Map<string, { claim: Claim; at: number }>();
  const trusted = (f: { at: number }, now = Date.now()) => now - f.at < heartbeatMs;
  const freshFor = (sessionId: string): Claim | undefined => {
    const f = fresh.get(sessionId);
    fresh.delete(sessionId);
    return f && trusted(f) ? f.claim : undefined;
  };
  /**
   * The claims this process's drains have in flight, per session, and while a rep's message is being taken in
   * (submitInThread), when the last one came back with work (`tick` counts them). That statement may lease the
   * session and return its first claim, and it can run before a claim sent earlier (it goes first in the store's
   * queue) or after it. A claim that ran after it sees the message too (the lease is this instance's own) and
   * answers it; one that ran before found no work. So the first claim is used only when no claim of the session
   * was still in flight when the statement came back, and none that came back meanwhile had work; otherwise the
   * drain's own claim, which sees the stored state, is the only one.
   */
  let tick = 0;
  let intakes = 0;
  const claimsInFlight = new Map<string, number>();
  const lastWork = new Map<string, number>();
  const claimed = async (sessionId: string, done?: { id: number; ref: string | null }) => {
    // A claim supersedes a first claim not yet taken: it is what the drain goes on from.
    fresh.delete(sessionId);
    claimsInFlight.set(sessionId, (claimsInFlight.get(sessionId) ?? 0) + 1);
    let work = true;
    try {
      const got = await store.claim(sessionId, owner, leaseMs, done);
      work = got !== null && got !== 'busy';
      return got;
    } finally {
      const left = (claimsInFlight.get(sessionId) ?? 1) - 1;
      if (left > 0) claimsInFlight.set(sessionId, left);
      else claimsInFlight.delete(sessionId);
      // A claim that failed may have run all the same: counted as one with work.
      if (work && intakes > 0) lastWork.set(sessionId, ++tick);
    }
  };
  const sweepConcurrency = Math.max(1, deps.sweepConcurrency ?? 10);
  let sweeping = false;

  const requireSession = async (sessionId: string): Promise<Session> => {
    const session = await store.get(sessionId);
    if (!session) throw new AppError('session_not_found', `No practice session ${sessionId}.`);
    return session;
  };

  const evaluate = async (session: Session, scenario: Scenario | undefined, turns: readonly StoredTurn[]) => {
    const started = Date.now();
    const result = await coach.evaluate(toTranscript(session, turns), scenario);
    log.info(
      {
        sessionId: session.id,
        verdict: result.feedback.verdict,
        mode: result.feedback.mode,
        ms: Date.now() - started,
      },
      'coached',
    );
    return result;
  };

  const failItem = async (session: Session, item: InboxItem, err: unknown): Promise<OutboxItem[]> => {
    const code = isAppError(err) ? err.code : 'internal';
    const message = err instanceof Error ? err.message : String(err);
    if (isAppError(err)) log.warn({ sessionId: session.id, inboxId: item.id, code, err }, 'request failed');
    else log.error({ sessionId: session.id, inboxId: item.id, err }, 'request failed unexpectedly');
    return store.fail(session.id, item.id, `${code}: ${message}`, {
      kind: 'failure',
      inboxId: item.id,
      code,
      message,
      inReplyTo: item.externalId,
    });
  };

  const answerMessage = async (claim: Claim, item: InboxItem, scenario: Scenario): Promise<OutboxItem[]> => {
    const { session, turns } = claim;
    const started = Date.now();
    const working = deps
      .onWorking?.(session, item)
      .catch((err) => log.debug({ err }, 'typing indicator failed'));
    let result: Awaited<ReturnType<Buyer['reply']>>;
    try {
      result = await buyer.reply({
        scenario,
        history: turns.map((t) => ({ role: t.role, text: t.text, raw: t.raw })),
        state: session.state,
        repText: item.text ?? '',
      });
    } finally {
      // The indicator is up before the answer (or the failure) is posted and takes it down again.
      await working;
    }
    const newTurns: StoredTurn[] = [
      { idx: turns.length, role: 'rep', text: item.text ?? '', raw: null, externalId: item.externalId },
      { idx: turns.length + 1, role: 'buyer', text: result.text, raw: result.raw, externalId: null },
    ];
    let usage = addBuyerUsage(session.usage, result.usage);
    let feedback: Feedback | null = null;
    if (result.state.ended) {
      const coached = await evaluate(session, scenario, [...turns, ...newTurns]);
      feedback = coached.feedback;
      usage = addCoachUsage(usage, coached.usage);
    }
    const outbox = await store.complete(session.id, {
      itemId: item.id,
      turns: newTurns,
      state: result.state,
      usage,
      outbox: [
        {
          kind: 'reply',
          text: result.text,
          turn: turns.length + 1,
          inboxId: item.id,
          inReplyTo: item.externalId,
        },
        ...(feedback
          ? [
              {
                kind: 'feedback' as const,
                feedback,
                outcome: result.state.outcome,
                endedBy: 'buyer' as const,
              },
            ]
          : []),
      ],
      end: result.state.ended ? { feedback } : undefined,
    });
    log.info(
      {
        sessionId: session.id,
        turn: turns.length + 1,
        trust: result.state.trust,
        outcome: result.state.outcome,
        ms: Date.now() - started,
      },
      'buyer replied',
    );
    return outbox;
  };

  const endSession = async (claim: Claim, item: InboxItem, scenario: Scenario | undefined) => {
    const { session, turns } = claim;
    // Ended before the rep wrote a word: there is nothing to judge, and no verdict is given.
    if (!turns.some((t) => t.role === 'rep' && t.text.trim().length > 0)) {
      return store.complete(session.id, {
        itemId: item.id,
        turns: [],
        state: { ...session.state, stage: 'ended', ended: true },
        usage: session.usage,
        outbox: [{ kind: 'notice', code: 'nothing_to_judge', inReplyTo: null }],
        end: { feedback: null },
      });
    }
    const coached = await evaluate(session, scenario, turns);
    return store.complete(session.id, {
      itemId: item.id,
      turns: [],
      state: { ...session.state, stage: 'ended', ended: true },
      usage: addCoachUsage(session.usage, coached.usage),
      outbox: [
        { kind: 'feedback', feedback: coached.feedback, outcome: session.state.outcome, endedBy: 'rep' },
      ],
      end: { feedback: coached.feedback },
    });
  };

  /** Answers one request; returns what it stored to deliver. */
  const handle = async (claim: Claim, item: InboxItem): Promise<OutboxItem[]> => {
    const { session } = claim;
    if (session.status === 'ended') {
      return store.complete(session.id, {
        itemId: item.id,
        turns: [],
        state: session.state,
        usage: session.usage,
        itemStatus: 'ignored',
        outbox:
          item.kind === 'message'
            ? [{ kind: 'notice', code: 'ignored_after_end', inReplyTo: item.externalId }]
            : [],
      });
    }
    const scenario = catalog.get(session.scenarioId);
    try {
      if (item.kind === 'end') return await endSession(claim, item, scenario);
      if (!scenario) {
        throw new AppError(
          'scenario_not_found',
          `The scenario "${session.scenarioId}" is no longer available.`,
        );
      }
      return await answerMessage(claim, item, scenario);
    } catch (err) {
      return failItem(session, item, err);
    }
  };

  const backoff = deps.deliveryBackoffMs ?? defaultDeliveryBackoff;
  /**
   * A message that cannot be delivered ever (or kept failing) is recorded on its outbox item and skipped, so it
   * blocks nothing behind it; one that failed transiently waits out its backoff, and the failure ends this drain
   * (the lease is released and the sweeper comes back when it is due).
   */
  const deliveryFailed = async (session: Session, item: OutboxItem, err: unknown): Promise<void> => {
    const reason = err instanceof Error ? err.message : String(err);
    const attempts = item.attempts + 1;
    if (isAppError(err, 'delivery_rejected') || attempts >= MAX_DELIVERY_ATTEMPTS) {
      await store.failDelivery(item.id, reason);
      // The session message is the session's place in Slack (its End button, what is practised): refused for
      // good, the session cannot be held there, and it ends with nothing to judge rather than stay open forever.
      if (item.payload.kind === 'header' && isAppError(err, 'delivery_rejected')) {
        await store.enqueue(session.id, { kind: 'end' });
      }
      // Once per message, at warn: it is not retried, so this is the only line about it.
      log.warn(
        { sessionId: session.id, outboxId: item.id, kind: item.payload.kind, attempts, reason },
        isAppError(err, 'delivery_rejected') ? 'message cannot be delivered; recorded' : 'delivery given up',
      );
      return;
    }
    const delayMs = backoff(attempts);
    await store.deferDelivery(item.id, reason, delayMs);
    log.info(
      { sessionId: session.id, outboxId: item.id, attempts, delayMs, reason },
      'delivery failed; retrying later',
    );
    throw err;
  };

  const drain = async (sessionId: string, requestedAt: number): Promise<void> => {
    // The drain before this one ended on a claim sent after this run was asked for, and so after what it was
    // asked for was stored: that claim found it (and it was answered) or found the session in another instance's
    // hands, which finds it too. Nothing is left for this run; its claim would be a round trip for nothing.
    if ((settledAt.get(sessionId) ?? -1) >= requestedAt && !fresh.has(sessionId)) return;
    // Each delivery is recorded (its Slack ts stored) before the next step; the last one of a pass goes to the
    // store with the next claim, in the same round trip.
    let delivered: { id: number; ref: string | null } | undefined;
    const record = async () => {
      const done = delivered;
      delivered = undefined;
      if (done) await store.markDelivered(done.id, done.ref);
    };
    const deliverAll = async (session: Session, items: readonly OutboxItem[]) => {
      for (const item of items) {
        await record();
        try {
          delivered = { id: item.id, ref: await deliver(session, item) };
        } catch (err) {
          await deliveryFailed(session, item, err);
        }
      }
    };
    let first = freshFor(sessionId);
    for (;;) {
      const done = delivered;
      delivered = undefined;
      const issuedAt = requests;
      const claim = first ?? (await claimed(sessionId, done));
      first = undefined;
      if (claim === null || claim === 'busy') {
        settledAt.set(sessionId, issuedAt);
        return;
      }
      const heartbeat = setInterval(() => {
        store
          .renew(sessionId, owner, leaseMs)
          .catch((err) => log.warn({ sessionId, err }, 'lease renewal failed'));
      }, heartbeatMs);
      try {
        await deliverAll(claim.session, claim.undelivered);
        if (claim.item) {
          // Before the buyer's turn, which takes seconds: a crash meanwhile must not post it again.
          await record();
          // What the answer stored goes out at once, under the same lease: no second claim to find it.
          await deliverAll(claim.session, await handle(claim, claim.item));
        }
      } catch (err) {
        // Delivery or storage failed: give the lease up; the sweeper picks the work up again later.
        await record().catch(() => undefined);
        await store.release(sessionId, owner).catch(() => undefined);
        throw err;
      } finally {
        clearInterval(heartbeat);
      }
    }
  };

  /** A new session of `input` with the buyer's opening line, and the opening message to deliver. */
  const newSession = (input: StartInput) => {
    const scenario = catalog.require(input.scenarioId);
    const opening = buyer.open(scenario);
    const session: NewSession = {
      id: newId(),
      scenarioId: scenario.id,
      language: scenario.language,
      sale: scenario.sale,
      mode: buyer.mode,
      surface: input.surface,
      userId: input.userId ?? null,
      teamId: input.teamId ?? null,
      channelId: input.channelId ?? null,
      threadTs: input.threadTs ?? null,
      drillId: input.drillId ?? null,
      state: opening.state,
      models: deps.models ?? {},
    };
    const openingOutbox: OutboxPayload = {
      kind: 'opening',
      text: opening.text,
      summary: scenario.start === 'close' ? (scenario.close_summary ?? null) : null,
    };
    return { scenario, session, opening: { text: opening.text, raw: opening.raw }, openingOutbox };
  };

  /** Works through everything a session has queued, in order. Resolves when this process is done with it. */
  const run = (sessionId: string): Promise<void> => {
    const requestedAt = ++requests;
    const previous = chains.get(sessionId) ?? Promise.resolve();
    const next = previous.then(() => drain(sessionId, requestedAt));
    const tail = next.catch(() => undefined);
    chains.set(sessionId, tail);
    void tail.then(() => {
      if (chains.get(sessionId) !== tail) return;
      chains.delete(sessionId);
      settledAt.delete(sessionId);
    });
    return next;
  };

  return {
    /** Starts a session: stores it with the buyer's opening line, ready to be delivered by `run`. */
    async start(input: StartInput): Promise<Session> {
      const { scenario, session, opening, openingOutbox } = newSession(input);
      const claim = await store.createClaimed(session, opening, openingOutbox, { owner, leaseMs });
      const stored = claim.session;
      fresh.set(stored.id, { claim, at: Date.now() });
      log.info(
        { sessionId: stored.id, scenarioId: scenario.id, surface: input.surface, mode: buyer.mode },
        'session started',
      );
      return stored;
    },

    /**
     * Starts a session in the thread of a rep's Slack @mention, together with the mention's claim in one statement
     * (see SessionStore.intakeMention): the session message and then the opening line, ready to be delivered by
     * `run`. Nothing is stored for a duplicate delivery, one still being handled elsewhere, or a thread that has a
     * session already (`existing`).
     */
    async startInThread(input: StartInput & { channelId: string; threadTs: string; mention: MentionEvent }) {
      const { scenario, session, opening, openingOutbox } = newSession(input);
      const got = await store.intakeMention({
        eventId: input.mention.eventId,
        takeOverAfterMs: input.mention.takeOverAfterMs,
        mention: { ts: input.mention.ts, text: input.mention.text },
        session: { ...session, channelId: input.channelId, threadTs: input.threadTs },
        opening,
        outbox: [{ kind: 'header' }, openingOutbox],
        lease: { owner, leaseMs },
      });
      if (got.claim === 'claimed' && got.first)
        fresh.set(got.first.session.id, { claim: got.first, at: Date.now() });
      if (got.claim === 'claimed' && got.session) {
        log.info(
          { sessionId: got.session.id, scenarioId: scenario.id, surface: input.surface, mode: buyer.mode },
          'session started',
        );
      }
      return got;
    },

    /**
     * Queues a rep message. Refuses empty and oversized text before storing anything. A message already queued
     * (same external id, e.g. a redelivered Slack event) is reported as a duplicate and not queued again.
     * A failed earlier message is retried first, so the buyer answers in order.
     */
    async submit(
      sessionId: string,
      msg: { text: string; externalId?: string | null; userId?: string | null },
    ) {
      const text = validateRepText(msg.text);
      const queued = await store.enqueueOpen(sessionId, {
        text,
        externalId: msg.externalId,
        userId: msg.userId,
      });
      if (queued.status === 'missing') {
        throw new AppError('session_not_found', `No practice session ${sessionId}.`);
      }
      if (queued.status === 'ended') throw new AppError('session_ended', 'This practice session has ended.');
      return { item: queued.item, duplicate: queued.duplicate };
    },

    /**
     * A rep's message written in a Slack thread, queued together with its delivery's claim in one statement
     * (the text is checked first, see validateRepText): a duplicate or a delivery still being handled elsewhere
     * is not queued; otherwise the thread's session, if any, and the message when it was queued (the session is
     * the writer's and open).
     */
    async submitInThread(msg: ThreadMessage) {
      const text = validateRepText(msg.text);
      intakes++;
      const since = tick;
      try {
        const got = await store.intakeMessage({ ...msg, text }, { owner, leaseMs });
        if (got.claim === 'claimed' && got.first) {
          const id = got.first.session.id;
          if (!claimsInFlight.has(id) && (lastWork.get(id) ?? -1) <= since) {
            fresh.set(id, { claim: got.first, at: Date.now() });
          }
        }
        return got;
      } finally {
        if (--intakes === 0) lastWork.clear();
      }
    },

    /** Queues the end of a session: the feedback comes after every message before it has been answered. */
    async requestEnd(sessionId: string, req: { externalId?: string | null; userId?: string | null } = {}) {
      const session = await requireSession(sessionId);
      if (session.status === 'ended') return { duplicate: true, session };
      // Ending means giving up on a message the buyer could not answer; it stays stored, marked ignored.
      await store.ignoreFailed(sessionId);
      const queued = await store.enqueue(sessionId, {
        kind: 'end',
        externalId: req.externalId,
        userId: req.userId,
      });
      return { duplicate: queued.duplicate, session };
    },

    /** The rep pressed Retry: failed requests are queued again. */
    retry: (sessionId: string) => store.retryFailed(sessionId),

    run,

    /** Resolves when every run in this process has finished (or after `timeoutMs`): for a clean shutdown. */
    async idle(timeoutMs = 10_000): Promise<void> {
      let timer: NodeJS.Timeout | undefined;
      const timeout = new Promise<void>((resolve) => {
        timer = setTimeout(resolve, timeoutMs);
      });
      await Promise.race([Promise.allSettled([...chains.values()]), timeout]);
      clearTimeout(timer);
    },

    /**
     * Picks up work left behind: by a crash, a failed delivery, or another instance that went away. Up to
     * `sweepConcurrency` sessions at once (each is a model call or a Slack post away from done: serial, twenty
     * of them would take twenty model latencies). A sweep still running when the next is due is not doubled.
     */
    async sweep(): Promise<number> {
      if (sweeping) return 0;
      sweeping = true;
      const now = Date.now();
      for (const [id, f] of fresh) if (!trusted(f, now)) fresh.delete(id);
      try {
        const ids = await store.needingWork();
        let next = 0;
        const worker = async () => {
          while (next < ids.length) {
            const id = ids[next++]!;
            await run(id).catch((err) =>
              log.warn({ sessionId: id, err: errSummary(err) }, 'sweep could not finish a session'),
            );
          }
        };
        await Promise.all(Array.from({ length: Math.min(sweepConcurrency, ids.length) }, worker));
        return ids.length;
      } finally {
        sweeping = false;
      }
    },

    get: (sessionId: string) => store.get(sessionId),
    findByThread: (channelId: string, threadTs: string) => store.findByThread(channelId, threadTs),
    feedback: (sessionId: string) => store.feedback(sessionId),

    async transcript(sessionId: string): Promise<Transcript> {
      const session = await requireSession(sessionId);
      return toTranscript(session, await store.turns(sessionId));
    },
  };
}
