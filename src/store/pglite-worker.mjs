// @ts-check
/**
 * PGlite (PostgreSQL compiled to WASM, single-threaded) in a worker thread of its own: every statement runs here,
 * so the app's event loop only sends the text and reads the rows. Started by src/store/db.ts; the messages are
 * described in src/store/pglite-protocol.ts.
 *
 * Plain JavaScript on purpose: a TypeScript worker would need tsx's loader in this thread too, about 50 MiB of
 * resident memory for a hundred lines.
 */
import { setFlagsFromString } from 'node:v8';
import { parentPort, workerData } from 'node:worker_threads';
import { PGlite } from '@electric-sql/pglite';

const port = parentPort;
if (!port) throw new Error('pglite-worker runs as a worker thread');
/** @type {import('./pglite-protocol.js').WorkerData} */
const { dataDir, extraStartParams, template } = workerData;

/**
 * An error's message and its plain fields (PostgreSQL's code, detail, constraint, …), as toWorkerError in
 * src/store/pglite-protocol.ts.
 * @param {unknown} err
 * @returns {import('./pglite-protocol.js').WorkerError}
 */
const toWorkerError = (err) => {
  if (!(err instanceof Error)) return { name: 'Error', message: String(err), fields: {} };
  /** @type {Record<string, string | number | boolean>} */
  const fields = {};
  for (const [key, value] of Object.entries(err)) {
    if (typeof value === 'string' || typeof value === 'number' || typeof value === 'boolean')
      fields[key] = value;
  }
  return { name: err.name, message: err.message, fields };
};

/** @type {PGlite} */
let lite;
try {
  // PGlite's PostgreSQL is compiled by Liftoff, V8's baseline WASM compiler, and never tiered up to TurboFan: the
  // optimised code and its compilation cost about 45 MiB of resident memory (peak RSS of the bench's 200 reps:
  // 299 → 252 MiB); the bench's latencies stay within their spread, its CPU per reply too at 200 reps, with about
  // 0.6 ms more at a human pace (BENCHMARKS.md, seventh pass). V8's flags are the process's: the flag is on only while this module compiles, so the main thread's WASM
  // (undici's HTTP parser) still tiers up.
  setFlagsFromString('--liftoff-only');
  const options = {
    startParams: [...PGlite.defaultStartParams, ...extraStartParams],
    ...(template ? { loadDataDir: new Blob([template]) } : {}),
  };
  lite = dataDir ? await PGlite.create(dataDir, options) : await PGlite.create(options);
} catch (err) {
  port.postMessage({ ready: false, error: toWorkerError(err) });
  throw err;
} finally {
  setFlagsFromString('--no-liftoff-only');
}

/** @param {import('./pglite-protocol.js').WorkerAnswer} a */
const answer = (a) => port.postMessage(a);
/** @param {number} id @param {unknown} err */
const fail = (id, err) => answer({ id, ok: false, error: toWorkerError(err) });

// Each statement is prepared once; requests that need it meanwhile wait for that one preparation.
/** @type {Map<string, Promise<unknown>>} */
const preparing = new Map();
/** @param {string} name @param {string} sql */
const prepare = (name, sql) => {
  let done = preparing.get(name);
  if (!done) {
    done = lite.exec(sql).catch((/** @type {unknown} */ err) => {
      // Prepared already on this connection (SQLSTATE 42P05) is as good as new.
      if (/** @type {{ code?: unknown }} */ (err).code !== '42P05') throw err;
    });
    preparing.set(name, done);
    done.catch(() => preparing.delete(name));
  }
  return done;
};

/**
 * The open transaction, if any: the id of its `begin`, how it ends, and when it is over. While one is open, only
 * its own statements and its `end` run; every other request waits (PGlite has one connection).
 * @type {{ id: number; tx: import('@electric-sql/pglite').Transaction; end: (commit: boolean) => void; done: Promise<void> } | null}
 */
let open = null;

/** @param {import('./pglite-protocol.js').WorkerRequest} req */
const handle = async (req) => {
  switch (req.op) {
    case 'query': {
      const on = req.tx === undefined ? lite : open?.id === req.tx ? open.tx : undefined;
      if (!on) throw new Error('the transaction is closed');
      const { rows } = await on.query(req.text, req.params);
      return answer({ id: req.id, ok: true, rows });
    }
    case 'steps': {
      await Promise.all(req.prepare.map((p) => prepare(p.name, p.sql)));
      try {
        const all = await lite.exec(req.text);
        return answer({ id: req.id, ok: true, results: req.results.map((i) => all[i]?.rows ?? []) });
      } catch (err) {
        // Failed inside a step of its own: that transaction would stay open and aborted on the connection.
        if (req.alone) await lite.exec('ROLLBACK').catch(() => undefined);
        throw err;
      }
    }
    case 'begin': {
      // Answered once the transaction holds the connection; the queue then runs only its statements.
      await new Promise((started, failed) => {
        /** @type {Promise<void>} */
        const done = lite.transaction(async (tx) => {
          const commit = await new Promise((end) => {
            open = { id: req.id, tx, end, done };
            started(undefined);
          });
          if (!commit) await tx.rollback();
        });
        done.catch(failed);
      });
      return answer({ id: req.id, ok: true, rows: [] });
    }
    case 'end': {
      const t = open;
      if (!t || t.id !== req.tx) return answer({ id: req.id, ok: true, rows: [] });
      open = null;
      t.end(req.commit);
      await t.done;
      return answer({ id: req.id, ok: true, rows: [] });
    }
    case 'close': {
      await lite.close();
      answer({ id: req.id, ok: true, rows: [] });
      port.close();
      return;
    }
  }
};

/**
 * Requests waiting to run, one at a time: those of the open transaction (and its `end`), the urgent ones (what a
 * Slack acknowledgement waits for), then the rest, each lane in arrival order.
 * @type {{ tx: import('./pglite-protocol.js').WorkerRequest[]; urgent: import('./pglite-protocol.js').WorkerRequest[]; rest: import('./pglite-protocol.js').WorkerRequest[] }}
 */
const lanes = { tx: [], urgent: [], rest: [] };
let running = false;

/** The transaction a request belongs to, if any. @param {import('./pglite-protocol.js').WorkerRequest} req */
const txOf = (req) => (req.op === 'end' ? req.tx : req.op === 'query' ? req.tx : undefined);

const next = () => {
  if (open) {
    const i = lanes.tx.findIndex((r) => txOf(r) === open?.id);
    return i < 0 ? undefined : lanes.tx.splice(i, 1)[0];
  }
  // No transaction is open: a statement or end of a closed one is answered (it fails or does nothing).
  return lanes.tx.shift() ?? lanes.urgent.shift() ?? lanes.rest.shift();
};

const pump = async () => {
  if (running) return;
  running = true;
  try {
    for (let req = next(); req; req = next()) {
      await handle(req).catch((err) => fail(req.id, err));
    }
  } finally {
    running = false;
  }
};

port.on('message', (/** @type {import('./pglite-protocol.js').WorkerRequest} */ req) => {
  if (txOf(req) !== undefined) lanes.tx.push(req);
  else if ('urgent' in req && req.urgent) lanes.urgent.push(req);
  else lanes.rest.push(req);
  void pump();
});
port.postMessage({ ready: true });
