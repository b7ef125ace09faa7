/**
 * What the event loop and the PGlite worker (src/store/pglite-worker.mjs) say to each other over the worker's port.
 * Every request has an id; the answer carries the same id. A transaction is opened by `begin` (its id names it),
 * its statements carry that id as `tx`, and `end` commits or rolls it back, all in the worker: the one PGlite
 * connection runs nothing else meanwhile.
 *
 * The worker runs one request at a time, in arrival order, except that an `urgent` one (a statement that a
 * Slack acknowledgement waits for) goes before every request that is not urgent and is waiting in the worker.
 * Requests wait there only while a transaction holds the connection: otherwise each one runs to its end within
 * the message event that brought it (the WASM is synchronous), and the port's queue is the order. Choosing the
 * next request a loop turn later, after reading what arrived meanwhile, was measured and not kept (BENCHMARKS.md,
 * issue 14's ninth pass).
 */
export type WorkerRequest =
  | { id: number; op: 'query'; text: string; params?: unknown[]; tx?: number; urgent?: boolean }
  | {
      id: number;
      op: 'steps';
      urgent?: boolean;
      /** Statements to prepare first, once per worker (a name already prepared is skipped there). */
      prepare: { name: string; sql: string }[];
      text: string;
      /** Which results of `text` to send back (BEGIN and COMMIT have results of their own). */
      results: number[];
      /** Whether `text` holds a BEGIN … COMMIT of its own, rolled back when it fails halfway. */
      alone: boolean;
    }
  | { id: number; op: 'begin' }
  | { id: number; op: 'end'; tx: number; commit: boolean }
  | { id: number; op: 'close' };

/** An error's message and its plain fields (PostgreSQL's `code`, `detail`, `constraint`, …). */
export type WorkerError = {
  name: string;
  message: string;
  fields: Record<string, string | number | boolean>;
};

export type WorkerAnswer =
  | { id: number; ok: true; rows: unknown[] }
  | { id: number; ok: true; results: unknown[][] }
  | { id: number; ok: false; error: WorkerError };

/** Sent once the database is open (or could not be). */
export type WorkerReady = { ready: true } | { ready: false; error: WorkerError };

/**
 * The worker's start: its data directory (null: in memory), settings beside PGlite's default ones, and for an
 * in-memory database the template's tar to load instead of running initdb (src/store/pglite-template.ts).
 */
export type WorkerData = { dataDir: string | null; extraStartParams: string[]; template: Uint8Array | null };

export function toWorkerError(err: unknown): WorkerError {
  if (!(err instanceof Error)) return { name: 'Error', message: String(err), fields: {} };
  const fields: Record<string, string | number | boolean> = {};
  for (const [key, value] of Object.entries(err)) {
    if (typeof value === 'string' || typeof value === 'number' || typeof value === 'boolean')
      fields[key] = value;
  }
  return { name: err.name, message: err.message, fields };
}

/** The worker's error again, with its fields (so `err.code === '23505'` reads as it did in-thread). */
export function fromWorkerError(e: WorkerError): Error {
  const err = new Error(e.message) as Error & Record<string, unknown>;
  Object.assign(err, e.fields);
  err.name = e.name;
  return err;
}
