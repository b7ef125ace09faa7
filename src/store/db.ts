import { mkdir } from 'node:fs/promises';
import path from 'node:path';
import { Worker } from 'node:worker_threads';
import type pg from 'pg';
import { AppError, isAppError } from '../errors.js';
import type { Logger } from '../logger.js';
import { type DirLock, lockDataDir } from './dir-lock.js';
import { migrate } from './migrations.js';
import {
  fromWorkerError,
  type WorkerAnswer,
  type WorkerData,
  type WorkerReady,
  type WorkerRequest,
} from './pglite-protocol.js';
import { fillFromTemplate, hasCluster, templateTar } from './pglite-template.js';

/** Something that runs one SQL statement: the database itself or a transaction. */
export type Sql = {
  query<T extends object = Record<string, unknown>>(text: string, params?: readonly unknown[]): Promise<T[]>;
};

/** One SQL dialect (PostgreSQL's) over PGlite or a real server. The only place the app speaks SQL is src/store. */
export type Db = Sql & {
  readonly kind: 'pglite' | 'postgres';
  transaction<T>(fn: (tx: Sql) => Promise<T>): Promise<T>;
  /**
   * Runs prepared statements in one round trip and one transaction (each statement still sees what was
   * committed before it started, as in read committed); returns each one's rows. For the hot path: a statement
   * is parsed and planned once per connection, not on every call. `urgent`: a Slack acknowledgement waits for
   * these steps, so they run before the other statements waiting: in PGlite's worker, and for a connection of
   * PostgreSQL's pool (see lendInOrder).
   */
  execute<T extends object = Record<string, unknown>>(
    steps: readonly Step[],
    opts?: { urgent?: boolean },
  ): Promise<T[][]>;
  close(): Promise<void>;
};

/** A statement to prepare once per connection: a unique name, its parameter types and its text ($1, $2, …). */
export type Prepared = { readonly name: string; readonly types: readonly string[]; readonly text: string };

export type Step = {
  statement: Prepared;
  params: readonly SqlValue[];
  /** Committed on its own, before the steps after it run: their failure cannot undo it. */
  alone?: boolean;
};

export function prepared(name: string, types: readonly string[], text: string): Prepared {
  if (!/^[a-z_][a-z0-9_]{0,62}$/.test(name)) throw new Error(`not a statement name: ${name}`);
  return { name, types, text };
}

const prepareSql = (statements: readonly Prepared[]) =>
  statements.map((s) => `PREPARE ${s.name}(${s.types.join(', ')}) AS ${s.text}`).join(';\n');

/**
 * The steps as one simple-protocol query (the only one that carries several statements at once): EXECUTE with
 * every argument inlined through sqlValue, which is why the simple protocol needs no parameters.
 */
const executeSql = (steps: readonly Step[], inline = false) => {
  const statements: string[] = [];
  // Which result belongs to which step (BEGIN and COMMIT have results of their own).
  const results: number[] = [];
  for (const { statement, params, alone } of steps) {
    const execute = inline
      ? // The statement itself with its arguments in place, for connections that cannot keep it prepared.
        statement.text.replace(
          /\$(\d+)/g,
          (_, n: string) => `(${sqlValue(params[Number(n) - 1])}::${statement.types[Number(n) - 1]})`,
        )
      : params.length === 0
        ? `EXECUTE ${statement.name}`
        : `EXECUTE ${statement.name}(${params.map(sqlValue).join(', ')})`;
    if (alone) statements.push('BEGIN');
    results.push(statements.length);
    statements.push(execute);
    if (alone) statements.push('COMMIT');
  }
  return { text: statements.join(';\n'), results };
};

/** The statements of `steps` not yet in `known` (each once). */
const unprepared = (steps: readonly Step[], known: ReadonlySet<string>) => [
  ...new Map(
    steps.filter((s) => !known.has(s.statement.name)).map((s) => [s.statement.name, s.statement]),
  ).values(),
];

/** Runs `prepare`; a statement the connection already has (SQLSTATE 42P05) is as good as a new one. */
const prepareOnce = async (prepare: () => Promise<unknown>) => {
  try {
    await prepare();
  } catch (err) {
    if ((err as { code?: unknown }).code !== '42P05') throw err;
  }
};

/**
 * Runs the steps' text; when it fails inside a step of its own (between its BEGIN and COMMIT), that transaction
 * would stay open and aborted on the connection, so it is rolled back before the error goes on.
 */
const runSteps = async <R>(steps: readonly Step[], exec: (text: string) => Promise<R>, inline = false) => {
  const { text, results } = executeSql(steps, inline);
  try {
    return { all: await exec(text), results };
  } catch (err) {
    if (steps.some((s) => s.alone)) await exec('ROLLBACK').catch(() => undefined);
    throw err;
  }
};

/**
 * A string as an SQL literal, escaped as node-postgres's escapeLiteral does: quotes doubled, and
 * with a backslash the E'' form with backslashes doubled, so it reads the same whatever
 * standard_conforming_strings says. NUL cannot be stored in text at all (as a parameter it fails the same way).
 */
export function sqlLiteral(value: string): string {
  if (value.includes('\u0000'))
    throw new AppError('invalid_input', 'A NUL character cannot go into SQL text.');
  const quoted = `'${value.replace(/'/g, "''")}'`;
  return value.includes('\\') ? ` E${quoted.replace(/\\/g, '\\\\')}` : quoted;
}

export type SqlValue = string | number | boolean | Date | null | undefined;

/** Any plain value as SQL text: NULL, a number, a boolean, or a quoted string (dates as ISO). */
export function sqlValue(value: SqlValue): string {
  if (value === null || value === undefined) return 'NULL';
  if (typeof value === 'number') {
    if (!Number.isFinite(value)) throw new AppError('invalid_input', `Not a finite number: ${value}`);
    return String(value);
  }
  if (typeof value === 'boolean') return value ? 'true' : 'false';
  return sqlLiteral(value instanceof Date ? value.toISOString() : value);
}

export type DbOptions = {
  /** PostgreSQL connection string; when unset, PGlite is used. */
  databaseUrl?: string;
  /** PGlite data directory; `null` keeps the database in memory (tests, one-off CLI runs). */
  dataDir: string | null;
  logger: Logger;
  /** Pool size for PostgreSQL. */
  poolSize?: number;
  /** Who holds an embedded store's directory, for the lock file and the error a second process gets. */
  purpose?: string;
};

const wrapError = (err: unknown, what: string): AppError =>
  err instanceof AppError
    ? err
    : new AppError('store_unavailable', `${what}: ${err instanceof Error ? err.message : String(err)}`, {
        cause: err,
      });

async function openPglite(dataDir: string | null, purpose: string, log: Logger): Promise<Db> {
  if (dataDir) await mkdir(dataDir, { recursive: true });
  // Before PGlite reads a single file: a second process on the directory is refused, not left to overwrite it.
  const lock = dataDir ? await lockDataDir(dataDir, purpose) : null;
  try {
    return await openPgliteLocked(dataDir, lock, log);
  } catch (err) {
    await lock?.release();
    throw err;
  }
}

/** The worker (plain JavaScript, see the file); the template's bytes, if any, are moved to it, not copied. */
function startWorker(data: WorkerData): Worker {
  const transferList = data.template ? [data.template.buffer as ArrayBuffer] : [];
  // None of the app's node flags: the worker needs no loader (tsx's, or a bench's probe) and must not pay for one.
  return new Worker(new URL('./pglite-worker.mjs', import.meta.url), {
    workerData: data,
    transferList,
    execArgv: [],
  });
}

/**
 * PGlite in a worker thread (src/store/pglite-worker.mjs): its WASM PostgreSQL runs on another core, and the event
 * loop only posts statements and reads rows. One message per call; `execute`'s steps, their preparation included,
 * are one message and one exec in the worker; a transaction is begun, run and ended in the worker, where PGlite's
 * one connection serves nothing else meanwhile.
 */
async function openPgliteLocked(dataDir: string | null, lock: DirLock | null, log: Logger): Promise<Db> {
  // A new cluster comes from the shipped template: PGlite's own initdb runs a second WASM instance and the process
  // peaks near 900 MiB once. A directory is filled here; an in-memory database loads it in the worker.
  let tar: Uint8Array | null = null;
  let initdb = false;
  if (dataDir) {
    if (!(await hasCluster(dataDir))) initdb = !(await fillFromTemplate(dataDir));
  } else {
    tar = await templateTar();
    initdb = !tar;
  }
  if (initdb) log.warn('no PGlite template for this PGlite version: initdb runs');
  // PostgreSQL's default 128 MB of shared buffers is most of PGlite's resident memory, and this store's working
  // set (the open sessions) is a few MB; reads beyond the buffers come from the OS's file cache. 16 MB rather than
  // 32 was about 20 MiB less resident; 8 rather than 16 another 8 (the bench's peak RSS 252 → 244 MiB), and 4
  // rather than 8 another 6 (248 → 242, 4 interleaved runs), with the same CPU per reply each time.
  const worker = startWorker({
    dataDir: dataDir ? path.resolve(dataDir) : null,
    extraStartParams: ['-c', 'shared_buffers=4MB'],
    template: tar,
  });
  const pending = new Map<number, { resolve: (a: WorkerAnswer) => void; reject: (err: Error) => void }>();
  let nextId = 1;
  let gone: Error | null = null;
  const ready = new Promise<void>((resolve, reject) => {
    worker.once('message', (m: WorkerReady) => (m.ready ? resolve() : reject(fromWorkerError(m.error))));
    worker.once('error', reject);
    worker.once('exit', (code) => reject(new Error(`the PGlite worker stopped (exit code ${code})`)));
  });
  const stop = (err: Error) => {
    gone ??= err;
    for (const p of pending.values()) p.reject(gone);
    pending.clear();
  };
  worker.on('error', (err) => {
    log.error({ err }, 'the PGlite worker failed');
    stop(err);
  });
  worker.on('exit', (code) => stop(new Error(`the PGlite worker stopped (exit code ${code})`)));
  try {
    await ready;
  } catch (err) {
    await worker.terminate().catch(() => undefined);
    throw err;
  }
  worker.on('message', (a: WorkerAnswer) => {
    const p = pending.get(a.id);
    if (!p) return;
    pending.delete(a.id);
    if (pending.size === 0) worker.unref();
    p.resolve(a);
  });
  // The worker keeps the process alive only while a statement is on its way, as PGlite in-thread would.
  worker.unref();
  type Request = WorkerRequest extends infer R ? (R extends { id: number } ? Omit<R, 'id'> : never) : never;
  const call = (req: Request): Promise<WorkerAnswer & { ok: true }> => {
    if (gone) return Promise.reject(gone);
    const id = nextId++;
    return new Promise((resolve, reject) => {
      pending.set(id, {
        resolve: (a) => (a.ok ? resolve(a) : reject(fromWorkerError(a.error))),
        reject,
      });
      if (pending.size === 1) worker.ref();
      worker.postMessage({ ...req, id } as WorkerRequest);
    });
  };
  // Statements the worker has prepared: sent with their PREPARE only until then.
  const preparedHere = new Set<string>();
  const rowsOf = <T>(a: WorkerAnswer & { ok: true }) => ('rows' in a ? a.rows : []) as T[];
  const query = async <T extends object>(text: string, params?: readonly unknown[], tx?: number) =>
    rowsOf<T>(await call({ op: 'query', text, params: params ? [...params] : undefined, tx }));
  return {
    kind: 'pglite',
    query: (text, params) => query(text, params),
    transaction: async (fn) => {
      const begun = await call({ op: 'begin' });
      const tx = begun.id;
      let result: Awaited<ReturnType<typeof fn>>;
      try {
        result = await fn({ query: (text, params) => query(text, params, tx) });
      } catch (err) {
        await call({ op: 'end', tx, commit: false }).catch(() => undefined);
        throw err;
      }
      await call({ op: 'end', tx, commit: true });
      return result;
    },
    execute: async <T extends object>(steps: readonly Step[], opts: { urgent?: boolean } = {}) => {
      const { text, results } = executeSql(steps);
      const prepare = unprepared(steps, preparedHere).map((s) => ({ name: s.name, sql: prepareSql([s]) }));
      const answer = await call({
        op: 'steps',
        prepare,
        text,
        results,
        alone: steps.some((s) => s.alone),
        urgent: opts.urgent === true,
      });
      // The worker prepares each statement once; it need not be sent again.
      for (const p of prepare) preparedHere.add(p.name);
      return ('results' in answer ? answer.results : []) as T[][];
    },
    close: async () => {
      try {
        if (!gone) await call({ op: 'close' }).catch(() => undefined);
        await worker.terminate();
      } finally {
        await lock?.release();
      }
    },
  };
}

/** A pooled connection lent by lendInOrder; `release` gives it back (with the error that broke it, if any). */
type Lent = { client: pg.PoolClient; release: (broken?: Error) => void };

/**
 * pg.Pool lends its connections first come, first served. Under load (hundreds of turns at once, the pool's
 * connections all busy) a statement that a Slack acknowledgement waits for would queue behind every claim and
 * answer asked for before it: at 400 reps, up to 210 of them, and acknowledgements past Slack's 3 s. So
 * connections are lent here, at most `max` at a time (the pool's size: its own queue stays empty), the urgent
 * requests before the others, each in order of asking.
 */
export function lendInOrder(connect: () => Promise<pg.PoolClient>, max: number) {
  let lent = 0;
  const waiting: { urgent: Array<() => void>; rest: Array<() => void> } = { urgent: [], rest: [] };
  // A connection given back goes to the next one waiting (its turn is taken over) or back to the pool.
  const next = () => {
    const go = waiting.urgent.shift() ?? waiting.rest.shift();
    if (go) go();
    else lent -= 1;
  };
  return {
    async lend(urgent: boolean): Promise<Lent> {
      if (lent < max) lent += 1;
      else await new Promise<void>((go) => waiting[urgent ? 'urgent' : 'rest'].push(go));
      let client: pg.PoolClient;
      try {
        client = await connect();
      } catch (err) {
        next();
        throw err;
      }
      let back = false;
      return {
        client,
        release: (broken) => {
          if (back) return;
          back = true;
          client.release(broken);
          next();
        },
      };
    },
    /** How many wait for a connection (for tests). */
    waiting: () => waiting.urgent.length + waiting.rest.length,
  };
}

async function openPostgres(url: string, poolSize: number, logger: Logger): Promise<Db> {
  const { default: pgModule } = await import('pg');
  const pool = new pgModule.Pool({ connectionString: url, max: poolSize, idleTimeoutMillis: 30_000 });
  pool.on('error', (err) => logger.warn({ err }, 'idle postgres client failed'));
  const connections = lendInOrder(() => pool.connect(), poolSize);
  const preparedOn = new WeakMap<pg.PoolClient, Set<string>>();
  // A pooler between us and PostgreSQL in transaction mode (PgBouncer, Supavisor, RDS Proxy) lends a different
  // server connection per transaction, where a statement prepared earlier does not exist (SQLSTATE 26000). From
  // the first time that happens, the statements go with their arguments inlined instead: still one round trip.
  let inline = false;
  /**
   * `fn` on a lent connection. A connection error leaves the client unusable: the pool drops it instead of lending
   * it again (an error PostgreSQL answered with leaves it as good as before).
   */
  const withConnection = async <R>(
    urgent: boolean,
    fn: (client: pg.PoolClient) => Promise<R>,
  ): Promise<R> => {
    const { client, release } = await connections.lend(urgent);
    let broken: Error | undefined;
    try {
      return await fn(client);
    } catch (err) {
      if (!(err instanceof pgModule.DatabaseError)) broken = err as Error;
      throw err;
    } finally {
      release(broken);
    }
  };
  // A quick round trip so that a wrong URL fails at start, not at the first user message.
  await pool.query('SELECT 1');
  return {
    kind: 'postgres',
    query: (text, params) =>
      withConnection(
        false,
        async (client) => (await client.query(text, params ? [...params] : undefined)).rows,
      ),
    transaction: async (fn) => {
      const { client, release } = await connections.lend(false);
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
        release();
      }
    },
    // Prepared statements live on a connection: each pooled client prepares what it runs, once.
    execute: <T extends object>(steps: readonly Step[], opts: { urgent?: boolean } = {}) =>
      withConnection(opts.urgent === true, async (client) => {
        let known = preparedOn.get(client);
        if (!known) {
          known = new Set();
          preparedOn.set(client, known);
        }
        const exec = async (text: string) => {
          const answer: unknown = await client.query(text);
          return (Array.isArray(answer) ? answer : [answer]) as pg.QueryResult[];
        };
        if (!inline) {
          for (const statement of unprepared(steps, known)) {
            await prepareOnce(() => client.query(prepareSql([statement])));
            known.add(statement.name);
          }
          try {
            const { all, results } = await runSteps(steps, exec);
            return results.map((i) => (all[i]?.rows ?? []) as T[]);
          } catch (err) {
            if ((err as { code?: unknown }).code !== '26000') throw err;
            if (!inline)
              logger.warn({ err }, 'prepared statements do not survive here (a pooler?): inlining them');
            inline = true;
          }
        }
        const { all, results } = await runSteps(steps, exec, true);
        return results.map((i) => (all[i]?.rows ?? []) as T[]);
      }),
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
      : await openPglite(
          opts.dataDir,
          opts.purpose ?? `sparring (${process.argv.slice(1, 3).join(' ')})`,
          log,
        );
  } catch (err) {
    if (isAppError(err, 'store_locked')) throw err;
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
