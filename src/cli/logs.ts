import { createWriteStream, mkdirSync } from 'node:fs';
import path from 'node:path';
import type { Config } from '../config.js';
import { createLogger, type Logger } from '../logger.js';

/** Where a terminal session's logs go when no log level was asked for: beside the store it is saved in. */
export const practiceLogFile = (config: Config, cwd: string): string =>
  path.resolve(cwd, config.store.dataDir, 'practice.log');

/**
 * The logger of a terminal session: warnings and errors as JSON lines appended to a file, never on the terminal,
 * where the conversation is (a failed model call would otherwise print its JSON record and stack between the
 * buyer's lines). The rep is told about a failure in one line of the scenario's language instead.
 */
export function createPracticeLogger(config: Config, cwd: string): Logger {
  const file = practiceLogFile(config, cwd);
  try {
    mkdirSync(path.dirname(file), { recursive: true });
  } catch {
    // A directory that cannot be made is the store's problem, reported when it opens; the logs stay off screen.
    return createLogger('silent');
  }
  const stream = createWriteStream(file, { flags: 'a' });
  // A log that cannot be written must not end the conversation.
  stream.on('error', () => undefined);
  return createLogger('warn', stream);
}
