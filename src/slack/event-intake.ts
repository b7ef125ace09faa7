import {
  type App,
  defaultProcessEventErrorHandler,
  HTTPModuleFunctions,
  type ReceiverProcessEventErrorHandlerArgs,
  type SocketModeReceiverProcessEventErrorHandlerArgs,
} from '@slack/bolt';
import type { Logger } from '../logger.js';

/**
 * Bolt acknowledges an Events API request before any middleware runs, so a process that stops a few
 * milliseconds later has lost a rep message Slack will never send again. Sparring acknowledges an event once
 * what it asked for is stored: when a listener says so (`eventStored(context)`), when the listeners are done,
 * or after `maxHoldMs`, whichever comes first, so that Slack's 3 s limit is never missed for it.
 *
 * A redelivery of an event still being handled elsewhere gets an error status instead (`retryLater`), so that
 * Slack tries again later rather than consider it delivered: by then it is either stored (a duplicate) or its
 * claim has gone stale and the redelivery takes it over.
 */
export class EventIntake {
  private afterStored: (() => Promise<void>)[] = [];
  private released = false;
  /** Set when this delivery must not be acknowledged: Slack is to deliver it again later. */
  retryLaterReason: string | null = null;

  constructor(private readonly release: () => void) {}

  /**
   * What the event asked for is stored; Slack is told it arrived once the `onStored` work is done too (the
   * claim marked stored, so that a redelivery from then on is a plain duplicate). Idempotent.
   */
  stored(): void {
    if (this.released || this.retryLaterReason !== null) return;
    this.released = true;
    void Promise.allSettled(this.afterStored.splice(0).map((fn) => fn())).then(() => this.release());
  }

  /** Runs `fn` when the event is stored, before it is acknowledged. `fn` handles its own failures. */
  onStored(fn: () => Promise<void>): void {
    if (this.released) void fn();
    else this.afterStored.push(fn);
  }

  /** Do not acknowledge this delivery: Slack delivers it again later. */
  retryLater(reason: string): void {
    if (this.released) return;
    this.retryLaterReason = reason;
    this.release();
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

/** Thrown to the receiver for a delivery Slack should make again; answered 503 (HTTP) or left unacknowledged. */
export class RetryLaterError extends Error {
  override readonly name = 'RetryLaterError';
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
    let release!: () => void;
    const released = new Promise<void>((resolve) => {
      release = resolve;
    });
    const intake = new EventIntake(release);
    const held: ReceiverEvent = {
      ...event,
      // Bolt calls this first thing for every event; the real acknowledgement waits for the intake.
      ack: async () => undefined,
      customProperties: { ...event.customProperties, [CONTEXT_KEY]: intake },
    };
    const timer = setTimeout(release, maxHoldMs);
    const done = app.processEvent(held).finally(() => intake.stored());
    // A rejection is awaited below; this only keeps it from counting as unhandled meanwhile.
    done.catch(() => undefined);
    await released;
    clearTimeout(timer);
    if (intake.retryLaterReason !== null) {
      await done;
      throw new RetryLaterError(intake.retryLaterReason);
    }
    await event.ack();
    await done;
  };
  return new Proxy(app, {
    get: (target, prop, receiver) =>
      prop === 'processEvent' ? processEvent : Reflect.get(target, prop, receiver),
  });
}

/** HTTP mode: a RetryLaterError becomes 503, which Slack retries; anything else is Bolt's default handling. */
export function httpProcessEventErrorHandler(logger: Logger) {
  return async (args: ReceiverProcessEventErrorHandlerArgs): Promise<boolean> => {
    if (args.error instanceof RetryLaterError && !args.response.headersSent) {
      logger.info({ module: 'slack', reason: args.error.message }, 'event left for Slack to deliver again');
      args.response.writeHead(503);
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
