import type { IncomingMessage, ServerResponse } from 'node:http';
import { parse as parseQuery } from 'node:querystring';
import { HTTPModuleFunctions, isValidSlackRequest } from '@slack/bolt';
import type { Logger } from '../../logger.js';

/** Slack's clocks and ours may differ a little; a request from further in the future than this is refused. */
const FUTURE_SKEW_S = 300;
const EVENTS_PATH = '/slack/events';

const header = (req: IncomingMessage, name: string): string | undefined => {
  const v = req.headers[name];
  return Array.isArray(v) ? v[0] : v;
};

const answer = (res: ServerResponse, status: number) => {
  if (res.headersSent) return;
  res.writeHead(status);
  res.end();
};

/**
 * The body as Bolt will read it (HTTPModuleFunctions.parseHTTPRequestBody): form fields, the JSON in a form's
 * `payload`, or JSON. 'unparseable' is Bolt's to refuse (400); 'not_object' is what Bolt would crash on.
 */
function readBody(
  raw: string,
  contentType: string | undefined,
): { kind: 'object'; value: Record<string, unknown> } | { kind: 'not_object' } | { kind: 'unparseable' } {
  let value: unknown;
  try {
    if (contentType === 'application/x-www-form-urlencoded') {
      const fields = parseQuery(raw);
      value = typeof fields.payload === 'string' ? JSON.parse(fields.payload) : fields;
    } else {
      value = JSON.parse(raw);
    }
  } catch {
    return { kind: 'unparseable' };
  }
  return value !== null && typeof value === 'object' && !Array.isArray(value)
    ? { kind: 'object', value: value as Record<string, unknown> }
    : { kind: 'not_object' };
}

/**
 * Slack retries events (deduplicated by event id), never commands, buttons or view submissions: a second copy of
 * one of those, signature and all, is someone replaying it.
 */
const replayable = (body: Record<string, unknown>) =>
  body.type !== 'event_callback' && body.type !== 'url_verification' && body.ssl_check === undefined;

/**
 * The checks of a request to /slack/events before Bolt sees it. Its signature is checked here, as Bolt would
 * (an invalid or a stale one is answered 401), and Bolt's receiver is built without its own check, so that each
 * request is verified once. Then what Bolt does not check:
 * - a timestamp more than 5 minutes in the future is refused (401), as Bolt refuses one 5 minutes old;
 * - a body that is JSON but not an object (`null`, `[]`, `1`) is refused (400): Bolt would fail on it in a
 *   promise nobody awaits and never answer;
 * - a command or interaction whose signature was seen before (a byte-identical replay within Slack's 5-minute
 *   window) is refused (401); when the store cannot say, 503.
 * The body is buffered here; Bolt reuses the buffer.
 */
export function requestGuard(opts: {
  signingSecret: string;
  claimSignature?: (signature: string) => Promise<boolean>;
  logger: Logger;
}) {
  const { logger: log } = opts;
  return (req: IncomingMessage, res: ServerResponse, next: () => void): void => {
    // The path and method exactly as Bolt's HTTPReceiver routes them: every request Bolt would take as an event
    // is checked here (Bolt no longer checks signatures itself).
    let path: string;
    try {
      path = new URL(req.url ?? '', 'http://localhost').pathname;
    } catch {
      next();
      return;
    }
    if ((req.method ?? '').toUpperCase() !== 'POST' || path !== EVENTS_PATH) {
      next();
      return;
    }
    void (async () => {
      let raw: string;
      try {
        const buffered = await HTTPModuleFunctions.bufferIncomingMessage(
          req,
          HTTPModuleFunctions.defaultBodyLimit,
        );
        raw = buffered.rawBody.toString();
      } catch (err) {
        const tooLarge = HTTPModuleFunctions.isRawBodyError(err) && err.statusCode === 413;
        log.warn({ reason: (err as Error).message }, 'unreadable request body refused');
        return answer(res, tooLarge ? 413 : 400);
      }
      const signature = header(req, 'x-slack-signature');
      const timestamp = Number(header(req, 'x-slack-request-timestamp'));
      const signed =
        signature !== undefined &&
        Number.isFinite(timestamp) &&
        isValidSlackRequest({
          signingSecret: opts.signingSecret,
          body: raw,
          headers: { 'x-slack-signature': signature, 'x-slack-request-timestamp': timestamp },
        });
      if (!signed) {
        log.warn('request without a valid Slack signature refused');
        return answer(res, 401);
      }
      if (timestamp > Date.now() / 1000 + FUTURE_SKEW_S) {
        log.warn({ timestamp }, 'request with a timestamp in the future refused');
        return answer(res, 401);
      }
      const body = readBody(raw, header(req, 'content-type'));
      if (body.kind === 'not_object') {
        log.warn('signed request whose body is not an object refused');
        return answer(res, 400);
      }
      if (body.kind === 'object' && opts.claimSignature && replayable(body.value)) {
        let fresh: boolean;
        try {
          fresh = await opts.claimSignature(signature);
        } catch (err) {
          log.warn({ err }, 'could not check a request for replay');
          return answer(res, 503);
        }
        if (!fresh) {
          log.warn({ type: body.value.type ?? body.value.command ?? null }, 'replayed request refused');
          return answer(res, 401);
        }
      }
      next();
    })().catch((err: unknown) => {
      log.error({ err }, 'request guard failed');
      answer(res, 500);
    });
  };
}

/**
 * GET /healthz: 200 when the store answers a cheap query within `timeoutMs`, 503 otherwise, so that a load
 * balancer stops sending Slack's requests to an instance that could not store them.
 */
export function healthHandler(check: (() => Promise<void>) | undefined, timeoutMs: number, logger: Logger) {
  const log = logger.child({ module: 'health' });
  return async (_req: IncomingMessage, res: ServerResponse): Promise<void> => {
    let timer: NodeJS.Timeout | undefined;
    try {
      if (check) {
        await Promise.race([
          check(),
          new Promise<never>((_, reject) => {
            timer = setTimeout(() => reject(new Error(`no answer within ${timeoutMs} ms`)), timeoutMs);
          }),
        ]);
      }
      res.writeHead(200, { 'content-type': 'application/json' });
      res.end('{"ok":true}');
    } catch (err) {
      log.warn({ reason: (err as Error).message }, 'health check failed: the store does not answer');
      res.writeHead(503, { 'content-type': 'application/json' });
      res.end('{"ok":false,"store":"unavailable"}');
    } finally {
      clearTimeout(timer);
    }
  };
}
