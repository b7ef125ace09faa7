import {
  type App,
  defaultProcessEventErrorHandler,
  HTTPModuleFunctions,
  type ReceiverProcessEventErrorHandlerArgs,
  type SocketModeReceiverProcessEventErrorHandlerArgs,
} from '@slack/bolt';
import type { Logger } from '../logger.js';

/** How a delivery is answered: acknowledged, or refused so that Slack delivers it again (503, or 500 on a fault). */
export type IntakeAnswer = { ack: true } | { ack: false; status: 500 | 503; reason: string };

/**
 * Bolt acknowledges an Events API request before any middleware runs, so a process that stops a few
 * milliseconds later has lost a rep message Slack will never send again. Sparring acknowledges an event only
 * once what it asked for is stored: when a listener says so (`eventStored(context)`) or when the listeners are
 * done without error.
 *
 * Anything else is answered so that Slack delivers the event again, and the claim on its id is left so that the
 * redelivery does the right thing:
 * - a listener failed before storing (`failed`): 500, and the claim is released (`onFailed`), so the
 *   redelivery gets a fresh chance instead of being skipped as a duplicate;
 * - storing is still going on after `maxHoldMs` (Slack gives up after 3 s): 503, and the work goes on; once
 *   stored, the claim is marked stored (the redelivery is a duplicate), and if it fails, released;
 * - another delivery of the event is being handled (`retryLater`): 503.
 */
export class EventIntake {
  private state: 'open' | 'stored' | 'failed' = 'open';
  private answered = false;
  private afterStored: (() => Promise<void>)[] = [];
  private afterFailed: (() => Promise<void>)[] = [];

  constructor(private readonly answer: (a: IntakeAnswer) => void) {}

  private respond(a: IntakeAnswer): void {
    if (this.answered) return;
    this.answered = true;
    this.answer(a);
  }

  /**
   * What the event asked for is stored; Slack is told it arrived once the `onStored` work is done too (the
   * claim marked stored, so that a redelivery from then on is a plain duplicate). Idempotent.
   */
  stored(): void {
    if (this.state !== 'open') return;
    this.state = 'stored';
    void Promise.allSettled(this.afterStored.splice(0).map((fn) => fn())).then(() =>
      this.respond({ ack: true }),
    );
  }

  /**
   * Storing failed (a listener threw before `stored`): the `onFailed` work runs (the claim is released), then
   * Slack gets a 500 and delivers the event again. After `stored` this does nothing: the event is kept.
   */
  failed(reason: string): void {
    if (this.state !== 'open') return;
    this.state = 'failed';
    void Promise.allSettled(this.afterFailed.splice(0).map((fn) => fn())).then(() =>
      this.respond({ ack: false, status: 500, reason }),
    );
  }

  /** Runs `fn` when the event is stored, before it is acknowledged. `fn` handles its own failures. */
  onStored(fn: () => Promise<void>): void {
    if (this.state === 'stored') void fn();
    else if (this.state === 'open') this.afterStored.push(fn);
  }

  /** Runs `fn` when storing failed, before Slack is answered. `fn` handles its own failures. */
  onFailed(fn: () => Promise<void>): void {
    if (this.state === 'failed') void fn();
    else if (this.state === 'open') this.afterFailed.push(fn);
  }

  /** Do not acknowledge this delivery (503): Slack delivers it again later. */
  retryLater(reason: string): void {
    if (this.state !== 'open') return;
    this.respond({ ack: false, status: 503, reason });
  }

  /** The ack window is over and nothing is stored yet: 503, while the work goes on (see the class comment). */
  windowOver(): void {
    if (this.state !== 'open') return;
    this.respond({ ack: false, status: 503, reason: 'storing outlasted the acknowledgement window' });
  }
}

/** Thrown to the receiver for a payload Slack never sends (an interaction without its user); answered 400. */
export class MalformedPayloadError extends Error {
  override readonly name = 'MalformedPayloadError';
}

/** Interactive payloads: Bolt reads `user.id` from each before any middleware, and fails with 500 without one. */
const INTERACTIONS = new Set([
  'block_actions',
  'block_suggestion',
  'view_submission',
  'view_closed',
  'shortcut',
  'message_action',
  'interactive_message',
]);

/** Thrown to the receiver for a delivery Slack should make again; answered 503 or 500 (HTTP) or left unacknowledged. */
export class RetryLaterError extends Error {
  override readonly name = 'RetryLaterError';
  constructor(
    message: string,
    readonly status: 500 | 503 = 503,
  ) {
    super(message);
  }
}

const CONTEXT_KEY = 'sparringEventIntake';

/** The intake of the event being handled, from a listener's or middleware's context; undefined for others. */
export function eventIntakeOf(context: Record<string, unknown>): EventIntake | undefined {
  const intake = context[CONTEXT_KEY];
  return intake instanceof EventIntake ? intake : undefined;
}

/** A listener has stored what the event asked for: acknowledge it now, before the slow part. */
export function eventStored(context: Record<string, unknown>): void {
  eventIntakeOf(context)?.stored();
}

type ProcessEvent = App['processEvent'];
type ReceiverEvent = Parameters<ProcessEvent>[0];

/**
 * Wraps `app` so that Events API deliveries are acknowledged as described on EventIntake, and interactions
 * without a user (which Bolt itself would fail on with 500) are refused as malformed.
 */
export function holdEventAcks(app: App, opts: { maxHoldMs?: number } = {}): App {
  const maxHoldMs = opts.maxHoldMs ?? 2500;
  const processEvent: ProcessEvent = async (event: ReceiverEvent) => {
    const body = event.body as { type?: unknown; event?: unknown; user?: { id?: unknown } | null };
    if (typeof body.type === 'string' && INTERACTIONS.has(body.type) && typeof body.user?.id !== 'string') {
      throw new MalformedPayloadError(`a ${body.type} payload without user.id`);
    }
    // Commands and actions are acknowledged by their listeners; what is not an event is Bolt's to refuse.
    if (body.type !== 'event_callback' || typeof body.event !== 'object' || body.event === null) {
      return app.processEvent(event);
    }
    let answer!: (a: IntakeAnswer) => void;
    const answered = new Promise<IntakeAnswer>((resolve) => {
      answer = resolve;
    });
    const intake = new EventIntake(answer);
    const held: ReceiverEvent = {
      ...event,
      // Bolt calls this first thing for every event; the real acknowledgement waits for the intake.
      ack: async () => undefined,
      customProperties: { ...event.customProperties, [CONTEXT_KEY]: intake },
    };
    const timer = setTimeout(() => intake.windowOver(), maxHoldMs);
    // Bolt hands a listener's error to app.error() and resolves; the dedupe middleware reports it as `failed`
    // first. Listeners that finish without storing anything (an ignored message) are acknowledged.
    const done = app.processEvent(held).then(
      () => intake.stored(),
      (err: unknown) => intake.failed(err instanceof Error ? err.message : String(err)),
    );
    const outcome = await answered;
    clearTimeout(timer);
    if (!outcome.ack) {
      // Not acknowledged: the receiver answers now; the work (if any) goes on in the background.
      void done;
      throw new RetryLaterError(outcome.reason, outcome.status);
    }
    await event.ack();
    await done;
  };
  return new Proxy(app, {
    get: (target, prop, receiver) =>
      prop === 'processEvent' ? processEvent : Reflect.get(target, prop, receiver),
  });
}

/** HTTP mode: a RetryLaterError becomes its 503 or 500, which Slack retries; anything else is Bolt's default handling. */
export function httpProcessEventErrorHandler(logger: Logger) {
  return async (args: ReceiverProcessEventErrorHandlerArgs): Promise<boolean> => {
    if (args.error instanceof RetryLaterError && !args.response.headersSent) {
      logger.info(
        { module: 'slack', reason: args.error.message, status: args.error.status },
        'event left for Slack to deliver again',
      );
      args.response.writeHead(args.error.status);
      args.response.end();
      return true;
    }
    if (args.error instanceof MalformedPayloadError && !args.response.headersSent) {
      logger.warn({ module: 'slack', reason: args.error.message }, 'malformed Slack payload refused');
      args.response.writeHead(400);
      args.response.end();
      return true;
    }
    return HTTPModuleFunctions.defaultProcessEventErrorHandler(args);
  };
}

/** Socket Mode: a RetryLaterError leaves the envelope unacknowledged, which Slack delivers again. */
export function socketProcessEventErrorHandler(logger: Logger) {
  return async (args: SocketModeReceiverProcessEventErrorHandlerArgs): Promise<boolean> => {
    if (args.error instanceof RetryLaterError) {
      logger.info({ module: 'slack', reason: args.error.message }, 'event left for Slack to deliver again');
      return false;
    }
    if (args.error instanceof MalformedPayloadError) {
      // Acknowledged, so that it is not delivered again, and ignored.
      logger.warn({ module: 'slack', reason: args.error.message }, 'malformed Slack payload ignored');
      return true;
    }
    return defaultProcessEventErrorHandler(args);
  };
}
