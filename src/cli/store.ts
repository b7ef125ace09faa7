import { stat } from 'node:fs/promises';
import path from 'node:path';
import type { Config } from '../config.js';
import { AppError, isAppError } from '../errors.js';
import type { Logger } from '../logger.js';
import { type Db, openDb } from '../store/db.js';

/** A file every PostgreSQL data directory has, PGlite's included: its absence means no store was ever made there. */
const STORE_MARK = 'PG_VERSION';

/**
 * For commands that only read the store (`export`): the embedded store must already exist. Opening a directory
 * that does not exist would create a new, empty store there (some 40 MB) and report nothing found, which hides a
 * mistyped path. With PostgreSQL there is nothing to check here: a wrong address fails to connect.
 */
export async function requireExistingStore(config: Config, cwd: string): Promise<void> {
  if (config.store.databaseUrl) return;
  const dir = path.resolve(cwd, config.store.dataDir);
  const kind = await stat(dir).then(
    (s) => (s.isDirectory() ? 'dir' : 'other'),
    () => 'missing' as const,
  );
  if (kind === 'missing')
    throw new AppError(
      'store_unavailable',
      `No store at ${dir}: that directory does not exist. Check the data directory's path; nothing was created.`,
    );
  if (kind === 'other')
    throw new AppError('store_unavailable', `No store at ${dir}: that is not a directory.`);
  const marked = await stat(path.join(dir, STORE_MARK)).then(
    () => true,
    () => false,
  );
  if (!marked)
    throw new AppError(
      'store_unavailable',
      `No store at ${dir}: the directory holds no Sparring store. Check the data directory's path.`,
    );
}

/**
 * The store a terminal session is saved in: the app's own (PostgreSQL, or the embedded store in the data
 * directory), so that `export` finds it. When another process holds the embedded store (the Slack app is running
 * on it), the session runs in memory instead: practice still works, and `stored` says it will not be kept.
 */
export async function openPracticeStore(
  config: Config,
  logger: Logger,
  cwd: string,
): Promise<{ db: Db; stored: boolean }> {
  try {
    const db = await openDb({
      databaseUrl: config.store.databaseUrl,
      dataDir: path.resolve(cwd, config.store.dataDir),
      logger,
      purpose: 'sparring practice',
    });
    return { db, stored: true };
  } catch (err) {
    if (!isAppError(err, 'store_locked')) throw err;
    logger.child({ module: 'cli' }).warn({ err }, 'store in use; this terminal session is not stored');
    return { db: await openDb({ dataDir: null, logger }), stored: false };
  }
}
