import { type Logger as BoltLogger, LogLevel } from '@slack/bolt';
import type { Logger } from '../logger.js';

const describe = (part: unknown): string => {
  if (typeof part === 'string') return part;
  try {
    return JSON.stringify(part);
  } catch {
    return String(part);
  }
};

const toBoltLevel = (level: string): LogLevel =>
  level === 'error' || level === 'fatal' || level === 'silent'
    ? LogLevel.ERROR
    : level === 'warn'
      ? LogLevel.WARN
      : level === 'info'
        ? LogLevel.INFO
        : LogLevel.DEBUG;

/**
 * Bolt's (and its WebClient's) logger interface over the app's pino logger, so that everything lands in one
 * structured, redacted stream. The level stays the one LOG_LEVEL chose: Bolt's setLevel is ignored.
 */
export function createBoltLogger(logger: Logger): BoltLogger {
  let log = logger.child({ module: 'bolt' });
  const write =
    (level: 'debug' | 'info' | 'warn' | 'error') =>
    (...parts: unknown[]) => {
      // Bolt and its WebClient log a debug line or two for every request: not formatted when not written.
      if (!log.isLevelEnabled(level)) return;
      const err = parts.find((p): p is Error => p instanceof Error);
      const text = parts
        .filter((p) => p !== err)
        .map(describe)
        .join(' ');
      if (err) log[level]({ err }, text || err.message);
      else log[level](text);
    };
  return {
    debug: write('debug'),
    info: write('info'),
    warn: write('warn'),
    error: write('error'),
    setLevel: () => undefined,
    getLevel: () => toBoltLevel(log.level),
    setName: (name: string) => {
      log = logger.child({ module: 'bolt', name });
    },
  };
}
