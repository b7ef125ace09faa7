import { spawnSync } from 'node:child_process';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { hostname, tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { isAppError } from '../../src/errors.js';
import { type Db, openDb } from '../../src/store/db.js';
import { LOCK_FILE } from '../../src/store/dir-lock.js';
import { silentLogger } from '../helpers/db.js';

/** The pid of a process that has just exited: nobody runs under it now. */
const deadPid = (): number => {
  const r = spawnSync(process.execPath, ['-e', 'process.stdout.write(String(process.pid))'], {
    encoding: 'utf8',
  });
  return Number(r.stdout);
};

describe('the embedded store’s data directory is one process’s at a time', () => {
  let dir: string;
  const open: Db[] = [];
  const openHere = async () => {
    const db = await openDb({ dataDir: dir, logger: silentLogger, purpose: 'test' });
    open.push(db);
    return db;
  };
  beforeEach(async () => {
    dir = path.join(await mkdtemp(path.join(tmpdir(), 'sparring-lock-')), 'data');
  });
  afterEach(async () => {
    for (const db of open.splice(0)) await db.close().catch(() => undefined);
    await rm(path.dirname(dir), { recursive: true, force: true });
  });

  it('writes a lock file with its pid, refuses a second open, and frees the directory on close', async () => {
    const db = await openHere();
    const owner = JSON.parse(await readFile(path.join(dir, LOCK_FILE), 'utf8'));
    expect(owner).toMatchObject({ pid: process.pid, host: hostname(), purpose: 'test' });
    const second = await openDb({ dataDir: dir, logger: silentLogger }).catch((e: unknown) => e);
    expect(isAppError(second, 'store_locked')).toBe(true);
    expect((second as Error).message).toContain(`in use by process ${process.pid} (test)`);
    expect((second as Error).message).toContain('DATABASE_URL');
    await db.query('CREATE TABLE kept (n int)');
    await db.close();
    open.length = 0;
    await expect(readFile(path.join(dir, LOCK_FILE), 'utf8')).rejects.toThrow();
    const again = await openHere();
    expect(await again.query('SELECT count(*)::int AS n FROM kept')).toEqual([{ n: 0 }]);
  });

  it('takes over a lock left by a process that died (kill -9), and one it cannot read', async () => {
    const first = await openHere();
    await first.close();
    open.length = 0;
    const pid = deadPid();
    await writeFile(
      path.join(dir, LOCK_FILE),
      JSON.stringify({ pid, host: hostname(), startedAt: '2026-01-01T00:00:00Z', purpose: 'the Slack app' }),
    );
    const db = await openHere();
    expect(JSON.parse(await readFile(path.join(dir, LOCK_FILE), 'utf8')).pid).toBe(process.pid);
    await db.close();
    open.length = 0;
    await writeFile(path.join(dir, LOCK_FILE), 'garbage');
    await openHere();
    expect(JSON.parse(await readFile(path.join(dir, LOCK_FILE), 'utf8')).pid).toBe(process.pid);
  });

  it('refuses a directory held by a live process, and one locked from another host', async () => {
    await (await openHere()).close();
    open.length = 0;
    // pid 1 always runs; its lock is live.
    await writeFile(
      path.join(dir, LOCK_FILE),
      JSON.stringify({ pid: 1, host: hostname(), startedAt: '', purpose: 'the Slack app' }),
    );
    await expect(openDb({ dataDir: dir, logger: silentLogger })).rejects.toThrow(
      /in use by process 1 \(the Slack app\)/,
    );
    // Another machine's process cannot be checked from here: a shared volume's lock stands.
    await writeFile(
      path.join(dir, LOCK_FILE),
      JSON.stringify({ pid: deadPid(), host: 'elsewhere', startedAt: '', purpose: 'x' }),
    );
    await expect(openDb({ dataDir: dir, logger: silentLogger })).rejects.toThrow(/in use by process/);
  });
});
