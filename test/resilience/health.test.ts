import pg from 'pg';
import { describe, expect, it } from 'vitest';
import { startStack } from './stack.js';

const admin = process.env.TEST_DATABASE_URL;

/**
 * GET /healthz is what the load balancer asks before it sends Slack's requests to an instance. An instance that
 * cannot reach PostgreSQL would answer every event 5xx; /healthz says so (503) within a second, and 200 again once
 * the database is back.
 */
describe.skipIf(!admin)('resilience: /healthz follows the database (postgres)', () => {
  it('answers 503 while PostgreSQL refuses the app, and 200 once it is back', async () => {
    const stack = await startStack({ kind: 'postgres' });
    const client = new pg.Client({ connectionString: admin });
    await client.connect();
    const db = new URL(stack.storage.DATABASE_URL!).pathname.slice(1);
    const health = async () => {
      const res = await fetch(`${stack.baseUrl}/healthz`);
      return { status: res.status, body: await res.text() };
    };
    try {
      expect((await health()).status).toBe(200);
      // Down for this instance: no new connections, the open ones cut.
      await client.query(`ALTER DATABASE ${db} WITH ALLOW_CONNECTIONS false`);
      await client.query('SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = $1', [db]);
      const down = await health();
      expect(down.status).toBe(503);
      expect(JSON.parse(down.body)).toEqual({ ok: false, store: 'unavailable' });
      await client.query(`ALTER DATABASE ${db} WITH ALLOW_CONNECTIONS true`);
      expect((await health()).status).toBe(200);
    } finally {
      await client.query(`ALTER DATABASE ${db} WITH ALLOW_CONNECTIONS true`).catch(() => undefined);
      await client.end();
      await stack.dispose();
    }
  }, 90_000);
});
