import { type Logger, pino } from 'pino';

export type { Logger };

/** Paths pino blanks out wherever they appear in a log record. */
const REDACT = [
  'token',
  'botToken',
  'appToken',
  'signingSecret',
  'apiKey',
  'authorization',
  '*.token',
  '*.botToken',
  '*.appToken',
  '*.signingSecret',
  '*.apiKey',
  '*.authorization',
  'headers.authorization',
  '*.headers.authorization',
  'req.headers.authorization',
  'req.headers["x-slack-signature"]',
];

/**
 * The one root logger. It writes JSON to stderr, so that CLI output on stdout (`--json`) stays clean.
 * Modules take `logger.child({ module })`.
 */
export function createLogger(
  level: string,
  destination: pino.DestinationStream = pino.destination(2),
): Logger {
  return pino(
    { level, redact: { paths: REDACT, censor: '[redacted]' }, base: { app: 'sparring' } },
    destination,
  );
}

/**
 * stderr written asynchronously, for the long-running app: under load, the lines logged while one write is under
 * way go out together in one system call instead of one blocking write each on the event loop; at low traffic
 * each line goes out at once. pino flushes what is left when the process exits.
 */
export function asyncStderr(): pino.DestinationStream {
  return pino.destination({ dest: 2, sync: false });
}
