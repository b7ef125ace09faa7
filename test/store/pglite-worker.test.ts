import { mkdtemp, readFile, rm, stat, unlink } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { brotliDecompressSync } from 'node:zlib';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { type Db, openDb, prepared } from '../../src/store/db.js';
import {
  pgliteVersion,
  streamTarEntries,
  TEMPLATE_FILE,
  TEMPLATE_META,
  tarEntries,
} from '../../src/store/pglite-template.js';
import { silentLogger } from '../helpers/db.js';

describe('the shipped PGlite template', () => {
  it('was written by the installed PGlite (else: npx tsx src/store/pglite-template.ts)', async () => {
    const meta = JSON.parse(await readFile(TEMPLATE_META, 'utf8')) as {
      pglite: string;
      migrations: number[];
    };
    expect(meta.pglite).toBe(pgliteVersion());
    expect(meta.migrations.length).toBeGreaterThan(0);
  });

  it('reads the same entries streamed, in any chunk size, as in one piece', async () => {
    const tar = brotliDecompressSync(await readFile(TEMPLATE_FILE));
    const whole = [...tarEntries(tar)].map((e) => [e.name, e.type, e.data.length]);
    expect(whole.some(([name]) => name === '/PG_VERSION' || name === 'PG_VERSION')).toBe(true);
    async function* chunks(size: number) {
      for (let i = 0; i < tar.length; i += size) yield tar.subarray(i, i + size);
    }
    for (const size of [511, 65_536]) {
      const streamed: unknown[] = [];
      for await (const e of streamTarEntries(chunks(size))) streamed.push([e.name, e.type, e.data.length]);
      expect(streamed).toEqual(whole);
    }
    // Cut short in the middle of an entry: an error, not a cluster with a file missing.
    async function* truncated() {
      yield tar.subarray(0, 512 + 100);
    }
    await expect(
      (async () => {
        for await (const _ of streamTarEntries(truncated())) {
          // drain
        }
      })(),
    ).rejects.toThrow(/middle of an entry/);
  });
});

describe('PGlite in its worker thread', () => {
  let dir: string;
  const open: Db[] = [];
  const openHere = async () => {
    const db = await openDb({ dataDir: dir, logger: silentLogger, purpose: 'test' });
    open.push(db);
    return db;
  };
  beforeEach(async () => {
    dir = path.join(await mkdtemp(path.join(tmpdir(), 'sparring-worker-')), 'data');
  });
  afterEach(async () => {
    for (const db of open.splice(0)) await db.close().catch(() => undefined);
    await rm(path.dirname(dir), { recursive: true, force: true });
  });

  it('fills a new directory from the template, migrated, and refills one a start left half-filled', async () => {
    const db = await openHere();
    expect((await stat(path.join(dir, 'PG_VERSION'))).isFile()).toBe(true);
    const tables = await db.query<{ n: number }>(
      "SELECT count(*)::int AS n FROM pg_tables WHERE schemaname = 'public' AND tablename = 'sessions'",
    );
    expect(tables).toEqual([{ n: 1 }]);
    await db.close();
    open.length = 0;
    // A fill interrupted before its last file: no PG_VERSION, so the next start fills the directory again.
    await unlink(path.join(dir, 'PG_VERSION'));
    const again = await openHere();
    expect(await again.query('SELECT 1 AS one')).toEqual([{ one: 1 }]);
  });

  it('runs a transaction as a unit: rolled back on a throw, other statements wait for it', async () => {
    const db = await openDb({ dataDir: null, logger: silentLogger });
    open.push(db);
    await db.query('CREATE TABLE t (n int PRIMARY KEY)');
    await expect(
      db.transaction(async (tx) => {
        await tx.query('INSERT INTO t VALUES (1)');
        throw new Error('boom');
      }),
    ).rejects.toThrow('boom');
    expect(await db.query('SELECT count(*)::int AS n FROM t')).toEqual([{ n: 0 }]);

    let release!: () => void;
    const held = new Promise<void>((r) => {
      release = r;
    });
    const inTx = db.transaction(async (tx) => {
      await tx.query('INSERT INTO t VALUES (2)');
      await held;
      await tx.query('INSERT INTO t VALUES (3)');
      return 'committed';
    });
    // Sent while the transaction is open: it sees the transaction's rows only once it has committed.
    const outside = db.query<{ n: number }>('SELECT count(*)::int AS n FROM t');
    await new Promise((r) => setTimeout(r, 50));
    release();
    expect(await inTx).toBe('committed');
    expect(await outside).toEqual([{ n: 2 }]);
  });

  it('runs an urgent statement (what an ack waits for) before the others already waiting', async () => {
    const db = await openDb({ dataDir: null, logger: silentLogger });
    open.push(db);
    await db.query('CREATE TABLE o (seq serial PRIMARY KEY, tag text NOT NULL)');
    const insert = prepared('test_insert_o', ['text'], 'INSERT INTO o (tag) VALUES ($1) RETURNING tag');
    let release!: () => void;
    const held = new Promise<void>((r) => {
      release = r;
    });
    let begun!: () => void;
    const inside = new Promise<void>((r) => {
      begun = r;
    });
    // A transaction holds the one connection, so everything sent meanwhile waits in the worker's queue.
    const inTx = db.transaction(async (tx) => {
      await tx.query("INSERT INTO o (tag) VALUES ('tx')");
      begun();
      await held;
      await tx.query("INSERT INTO o (tag) VALUES ('tx end')");
    });
    await inside;
    const calls = [
      db.execute([{ statement: insert, params: ['first, not urgent'] }]),
      db.execute([{ statement: insert, params: ['second, not urgent'] }]),
      db.execute([{ statement: insert, params: ['third, urgent'] }], { urgent: true }),
    ];
    release();
    await inTx;
    await Promise.all(calls);
    const order = await db.query<{ tag: string }>('SELECT tag FROM o ORDER BY seq');
    expect(order.map((r) => r.tag)).toEqual([
      'tx',
      'tx end',
      'third, urgent',
      'first, not urgent',
      'second, not urgent',
    ]);
  });

  it('keeps PostgreSQL’s error fields (the SQLSTATE) across the thread', async () => {
    const db = await openDb({ dataDir: null, logger: silentLogger });
    open.push(db);
    await db.query('CREATE TABLE u (n int PRIMARY KEY)');
    await db.query('INSERT INTO u VALUES (1)');
    const err = await db.query('INSERT INTO u VALUES (1)').catch((e: unknown) => e);
    expect(err).toBeInstanceOf(Error);
    expect(err).toMatchObject({ code: '23505' });
    const insert = prepared('test_insert_u', ['int'], 'INSERT INTO u VALUES ($1) RETURNING n');
    expect(await db.execute([{ statement: insert, params: [2] }])).toEqual([[{ n: 2 }]]);
    // Prepared once: the second call sends only EXECUTE, and a failing step reports its SQLSTATE.
    const failed = await db
      .execute([{ statement: insert, params: [2], alone: true }])
      .catch((e: unknown) => e);
    expect(failed).toMatchObject({ code: '23505' });
    expect(await db.execute([{ statement: insert, params: [3] }])).toEqual([[{ n: 3 }]]);
  });

  it('fails the calls of a closed store instead of hanging', async () => {
    const db = await openDb({ dataDir: null, logger: silentLogger });
    await db.close();
    await expect(db.query('SELECT 1')).rejects.toThrow();
  });
});
