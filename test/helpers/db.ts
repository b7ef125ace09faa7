import { randomBytes } from 'node:crypto';
import pg from 'pg';
import { pino } from 'pino';
import { type Db, openDb } from '../../src/store/db.js';

export const silentLogger = pino({ level: 'silent' });

/** The store backends the tests run against: PGlite always, PostgreSQL when CI provides a server. */
export const backends: Array<'pglite' | 'postgres'> = process.env.TEST_DATABASE_URL
  ? ['pglite', 'postgres']
  : ['pglite'];

/** A fresh, empty database of the given kind; PostgreSQL gets a database of its own per call. */
export async function freshDb(
  kind: 'pglite' | 'postgres',
): Promise<{ db: Db; url?: string; drop: () => Promise<void> }> {
  if (kind === 'pglite') {
    const db = await openDb({ dataDir: null, logger: silentLogger });
    return { db, drop: () => db.close() };
  }
  const { url, drop } = await freshPostgresDatabase();
  const db = await openDb({ databaseUrl: url, dataDir: null, logger: silentLogger, poolSize: 5 });
  return {
    db,
    url,
    drop: async () => {
      await db.close();
      await drop();
    },
  };
}

/** Creates an empty PostgreSQL database on the CI server and returns its URL. */
export async function freshPostgresDatabase(): Promise<{ url: string; drop: () => Promise<void> }> {
  const admin = process.env.TEST_DATABASE_URL;
  if (!admin) throw new Error('TEST_DATABASE_URL is not set');
  const name = `sparring_t_${randomBytes(6).toString('hex')}`;
  const client = new pg.Client({ connectionString: admin });
  await client.connect();
  await client.query(`CREATE DATABASE ${name}`);
  await client.end();
  const url = new URL(admin);
  url.pathname = `/${name}`;
  return {
    url: url.toString(),
    drop: async () => {
      const c = new pg.Client({ connectionString: admin });
      await c.connect();
      await c.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
      await c.end();
    },
  };
}
