import { mkdir } from 'node:fs/promises';
import { PGlite } from '@electric-sql/pglite';
import pg from 'pg';
import { AppError } from '../errors.js';
import type { Logger } from '../logger.js';
import { migrate } from './migrations.js';

/** Something that runs one SQL statement: the database itself or a transaction. */
export type Sql = {
  query<T extends object = Record<string, unknown>>(text: string, params?: readonly unknown[]): Promise<T[]>;
};

/** One SQL dialect (PostgreSQL's) over PGlite or a real server. The only place the app speaks SQL is src/store. */
export type Db = Sql & {
  readonly kind: 'pglite' | 'postgres';
  transaction<T>(fn: (tx: Sql) => Promise<T>): Promise<T>;
  close(): Promise<void>;
};

export type DbOptions = {
  /** PostgreSQL connection string; when unset, PGlite is used. */
  databaseUrl?: string;
  /** PGlite data directory; `null` keeps the database in memory (tests, one-off CLI runs). */
  dataDir: string | null;
  logger: Logger;
  /** Pool size for PostgreSQL. */
  poolSize?: number;
};

const wrapError = (err: unknown, what: string): AppError =>
  err instanceof AppError
    ? err
    : new AppError('store_unavailable', `${what}: ${err instanceof Error ? err.message : String(err)}`, {
        cause: err,
      });

async function openPglite(dataDir: string | null): Promise<Db> {
  if (dataDir) await mkdir(dataDir, { recursive: true });
  const lite = dataDir ? await PGlite.create(dataDir) : await PGlite.create();
  const run = async <T extends object>(q: Pick<PGlite, 'query'>, text: string, params?: readonly unknown[]) =>
    (await q.query<T>(text, params ? [...params] : undefined)).rows;
  return {
    kind: 'pglite',
    query: (text, params) => run(lite, text, params),
    // PGlite has one connection; its transaction() holds it exclusively, so statements interleave safely.
    transaction: (fn) => lite.transaction((tx) => fn({ query: (text, params) => run(tx, text, params) })),
    close: () => lite.close(),
  };
}

async function openPostgres(url: string, poolSize: number, logger: Logger): Promise<Db> {
  const pool = new pg.Pool({ connectionString: url, max: poolSize, idleTimeoutMillis: 30_000 });
  pool.on('error', (err) => logger.warn({ err }, 'idle postgres client failed'));
  // A quick round trip so that a wrong URL fails at start, not at the first user message.
  await pool.query('SELECT 1');
  return {
    kind: 'postgres',
    query: async (text, params) => (await pool.query(text, params ? [...params] : undefined)).rows,
    transaction: async (fn) => {
      const client = await pool.connect();
      try {
        await client.query('BEGIN');
        const result = await fn({
          query: async (text, params) => (await client.query(text, params ? [...params] : undefined)).rows,
        });
        await client.query('COMMIT');
        return result;
      } catch (err) {
        await client.query('ROLLBACK').catch(() => undefined);
        throw err;
      } finally {
        client.release();
      }
    },
    close: () => pool.end(),
  };
}

/** Opens the configured database and applies the migrations (safe when several instances start at once). */
export async function openDb(opts: DbOptions): Promise<Db> {
  const log = opts.logger.child({ module: 'store' });
  let db: Db;
  try {
    db = opts.databaseUrl
      ? await openPostgres(opts.databaseUrl, opts.poolSize ?? 20, log)
      : await openPglite(opts.dataDir);
  } catch (err) {
    const where = opts.databaseUrl ? 'PostgreSQL (DATABASE_URL)' : `PGlite in ${opts.dataDir ?? 'memory'}`;
    throw wrapError(err, `Cannot open the database at ${where}`);
  }
  try {
    const applied = await migrate(db);
    log.info({ kind: db.kind, applied }, 'store ready');
  } catch (err) {
    await db.close().catch(() => undefined);
    throw wrapError(err, 'Migrating the database failed');
  }
  return db;
}
