import { parentPort, workerData } from 'node:worker_threads';
import type { Transaction } from '@electric-sql/pglite';
import {
  toWorkerError,
  type WorkerAnswer,
  type WorkerData,
  type WorkerReady,
  type WorkerRequest,
} from './pglite-protocol.js';

/**
 * PGlite (PostgreSQL compiled to WASM, single-threaded) in a worker thread of its own: every statement runs here,
 * so the app's event loop only sends the text and reads the rows. Started by src/store/db.ts.
 */
const port = parentPort;
if (!port) throw new Error('pglite-worker runs as a worker thread');
const { dataDir, extraStartParams, template } = workerData as WorkerData;

const { PGlite } = await import('@electric-sql/pglite');
let lite: InstanceType<typeof PGlite>;
try {
  const options = {
    startParams: [...PGlite.defaultStartParams, ...extraStartParams],
    ...(template ? { loadDataDir: new Blob([template]) } : {}),
  };
  lite = dataDir ? await PGlite.create(dataDir, options) : await PGlite.create(options);
} catch (err) {
  port.postMessage({ ready: false, error: toWorkerError(err) } satisfies WorkerReady);
  throw err;
}

const answer = (a: WorkerAnswer) => port.postMessage(a);
const fail = (id: number, err: unknown) => answer({ id, ok: false, error: toWorkerError(err) });

// Each statement is prepared once; requests that need it meanwhile wait for that one preparation.
const preparing = new Map<string, Promise<unknown>>();
const prepare = (name: string, sql: string) => {
  let done = preparing.get(name);
  if (!done) {
    done = lite.exec(sql).catch((err: unknown) => {
      // Prepared already on this connection (SQLSTATE 42P05) is as good as new.
      if ((err as { code?: unknown }).code !== '42P05') throw err;
    });
    preparing.set(name, done);
    done.catch(() => preparing.delete(name));
  }
  return done;
};

/** Open transactions by the id of their `begin`: the statements they run, and how they end. */
const open = new Map<number, { tx: Transaction; end: (commit: boolean) => void; done: Promise<void> }>();

const handle = async (req: WorkerRequest): Promise<void> => {
  switch (req.op) {
    case 'query': {
      const on = req.tx === undefined ? lite : open.get(req.tx)?.tx;
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
      let started = false;
      const done = lite.transaction(async (tx) => {
        const commit = await new Promise<boolean>((end) => {
          open.set(req.id, { tx, end, done });
          started = true;
          answer({ id: req.id, ok: true, rows: [] });
        });
        if (!commit) await tx.rollback();
      });
      done.catch((err: unknown) => {
        if (!started) fail(req.id, err);
      });
      return;
    }
    case 'end': {
      const t = open.get(req.tx);
      if (!t) return answer({ id: req.id, ok: true, rows: [] });
      open.delete(req.tx);
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

port.on('message', (req: WorkerRequest) => {
  handle(req).catch((err: unknown) => fail(req.id, err));
});
port.postMessage({ ready: true } satisfies WorkerReady);
