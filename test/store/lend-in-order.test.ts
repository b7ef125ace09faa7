import type pg from 'pg';
import { describe, expect, it } from 'vitest';
import { lendInOrder } from '../../src/store/db.js';

/** Stand-in pool connections that record being given back. */
const fakeConnect = () => {
  const released: Array<{ n: number; broken: Error | undefined }> = [];
  let n = 0;
  let fail = false;
  const connect = async () => {
    if (fail) throw new Error('connection refused');
    const id = ++n;
    return { release: (broken?: Error) => released.push({ n: id, broken }) } as unknown as pg.PoolClient;
  };
  return { connect, released, failNext: (v: boolean) => (fail = v) };
};

const settle = () => new Promise((r) => setImmediate(r));

describe('lendInOrder', () => {
  it('lends up to its size at once, then the urgent requests first, each kind in order of asking', async () => {
    const { connect } = fakeConnect();
    const pool = lendInOrder(connect, 2);
    const order: string[] = [];
    const a = await pool.lend(false);
    const b = await pool.lend(false);
    const lendAs = async (urgent: boolean, name: string) => {
      const l = await pool.lend(urgent);
      order.push(name);
      return l;
    };
    const waiters = [
      lendAs(false, 'rest 1'),
      lendAs(false, 'rest 2'),
      lendAs(true, 'urgent 1'),
      lendAs(true, 'urgent 2'),
    ];
    await settle();
    expect(order).toEqual([]);
    expect(pool.waiting()).toBe(4);

    a.release();
    await settle();
    expect(order).toEqual(['urgent 1']);
    b.release();
    await settle();
    expect(order).toEqual(['urgent 1', 'urgent 2']);
    const lent = await Promise.all(waiters.slice(2));
    for (const l of lent) l.release();
    await Promise.all(waiters);
    expect(order).toEqual(['urgent 1', 'urgent 2', 'rest 1', 'rest 2']);
    expect(pool.waiting()).toBe(0);
  });

  it('gives a connection back once, with the error that broke it, and hands its turn on when connecting fails', async () => {
    const { connect, released, failNext } = fakeConnect();
    const pool = lendInOrder(connect, 1);
    const first = await pool.lend(false);
    const broken = new Error('socket closed');
    first.release(broken);
    first.release();
    expect(released).toEqual([{ n: 1, broken }]);

    // The server is down: the request fails, and the next one still gets its turn.
    failNext(true);
    const held = await pool.lend(false).catch((err: Error) => err.message);
    expect(held).toBe('connection refused');
    failNext(false);
    const again = await pool.lend(true);
    again.release();
    expect(released.map((r) => r.n)).toEqual([1, 2]);
  });
});
