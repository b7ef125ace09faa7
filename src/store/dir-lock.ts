import { readFile, rename, unlink, writeFile } from 'node:fs/promises';
import { hostname } from 'node:os';
import path from 'node:path';
import { AppError } from '../errors.js';

/** The lock file in an embedded store's data directory. */
export const LOCK_FILE = 'sparring.lock';

/** What a lock file holds: who owns the directory. */
type LockOwner = { pid: number; host: string; startedAt: string; purpose: string };

/** Directories this process holds: a second open in the same process is refused too. */
const heldHere = new Set<string>();

/** An exclusive hold on a data directory; `release` removes the lock file (idempotent). */
export type DirLock = { readonly file: string; release(): Promise<void> };

const parseOwner = (text: string): LockOwner | null => {
  try {
    const o = JSON.parse(text) as Partial<LockOwner>;
    return typeof o.pid === 'number' && Number.isInteger(o.pid) && o.pid > 0
      ? {
          pid: o.pid,
          host: String(o.host ?? ''),
          startedAt: String(o.startedAt ?? ''),
          purpose: String(o.purpose ?? ''),
        }
      : null;
  } catch {
    return null;
  }
};

/** Whether a process with this pid runs on this machine (EPERM: it does, as another user). */
const isRunning = (pid: number): boolean => {
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === 'EPERM';
  }
};

/**
 * Whether the lock's owner is gone: a pid that no longer runs, a lock file that is not ours to read, or our own pid
 * when this process does not hold it (a restarted container is pid 1 again). A lock written on another host (a
 * shared volume) is never taken as stale: its process cannot be checked from here.
 */
const isStale = (owner: LockOwner | null, dir: string): boolean => {
  if (!owner) return true;
  if (owner.host !== hostname()) return false;
  if (owner.pid === process.pid) return !heldHere.has(dir);
  return !isRunning(owner.pid);
};

/**
 * Takes the data directory for this process, or fails with a clear AppError naming the process that holds it.
 * PGlite is one PostgreSQL in one process: two processes on one directory each keep their own copy in memory
 * and overwrite each other's files, and what one of them acknowledged disappears. A lock left by a process that
 * died (kill -9, a crash) is recognised by its pid and taken over.
 */
export async function lockDataDir(dataDir: string, purpose: string): Promise<DirLock> {
  const dir = path.resolve(dataDir);
  const file = path.join(dir, LOCK_FILE);
  const mine: LockOwner = {
    pid: process.pid,
    host: hostname(),
    startedAt: new Date().toISOString(),
    purpose,
  };
  const body = `${JSON.stringify(mine)}\n`;
  for (let attempt = 0; attempt < 3; attempt++) {
    try {
      // 'wx': created only if it does not exist, atomically: of two processes starting at once, one wins.
      await writeFile(file, body, { flag: 'wx' });
      heldHere.add(dir);
      let released = false;
      return {
        file,
        async release() {
          if (released) return;
          released = true;
          heldHere.delete(dir);
          // Only our own lock is removed (a directory taken over meanwhile keeps its owner's).
          const now = await readFile(file, 'utf8').catch(() => null);
          if (now === body) await unlink(file).catch(() => undefined);
        },
      };
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'EEXIST') {
        throw new AppError(
          'store_unavailable',
          `Cannot lock the data directory ${dir}: ${(err as Error).message}`,
          {
            cause: err,
          },
        );
      }
    }
    const text = await readFile(file, 'utf8').catch(() => null);
    if (text === null) continue; // removed meanwhile: try again
    const owner = parseOwner(text);
    if (!isStale(owner, dir)) throw lockedError(dir, owner!);
    // Stale: moved aside under a name of our own (rename is atomic, so of two processes taking it over at once
    // only one moves this file), then created afresh.
    const aside = `${file}.stale-${process.pid}`;
    try {
      await rename(file, aside);
      await unlink(aside).catch(() => undefined);
    } catch {
      // Someone else moved it first; the next attempt sees their lock or none.
    }
  }
  throw new AppError('store_unavailable', `Cannot lock the data directory ${dir}: it keeps changing hands.`);
}

const lockedError = (dir: string, owner: LockOwner) =>
  new AppError(
    'store_locked',
    `The embedded store in ${dir} is in use by process ${owner.pid}${owner.purpose ? ` (${owner.purpose})` : ''}` +
      `${owner.startedAt ? `, since ${owner.startedAt}` : ''}. One process at a time may open it: stop that process ` +
      `first, or run every instance on PostgreSQL (DATABASE_URL). If no such process runs, delete ${path.join(dir, LOCK_FILE)}.`,
  );
