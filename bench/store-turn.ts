import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import { pino } from 'pino';
import type { BuyerState } from '../src/buyer/types.js';
import { openDb } from '../src/store/db.js';
import { createSessionStore } from '../src/store/sessions.js';

/**
 * The store alone: the statements one rep message costs (event id, thread lookup, queueing, claim, answer,
 * delivery, release), one after the other, with buyer turns of a realistic size. Prints the time per step and
 * per turn. `npx tsx bench/store-turn.ts` for PGlite in a fresh directory; with DATABASE_URL for PostgreSQL.
 */
const SESSIONS = 60;
const TURNS = 8;

const state: BuyerState = {
  trust: 25,
  stage: 'opening',
  uncovered: [],
  closeAttempts: 0,
  unearnedCloses: 0,
  outcome: 'open',
  ended: false,
};
const raw = JSON.stringify({ thought: 'x'.repeat(250), reply: 'y'.repeat(300), trust: 30 });

const dir = await mkdtemp(path.join(os.tmpdir(), 'sparring-store-turn-'));
const db = await openDb({
  databaseUrl: process.env.DATABASE_URL,
  dataDir: path.join(dir, 'data'),
  logger: pino({ level: 'silent' }),
});
const store = createSessionStore(db);
const times = new Map<string, number[]>();
const step = async <T>(name: string, fn: () => Promise<T>): Promise<T> => {
  const started = performance.now();
  const result = await fn();
  times.set(name, [...(times.get(name) ?? []), performance.now() - started]);
  return result;
};

const cpu = process.cpuUsage();
const prefix = `st-${Date.now()}`;
for (let s = 0; s < SESSIONS; s++) {
  const id = `${prefix}-${s}`;
  await store.create(
    {
      id,
      scenarioId: 'bench',
      language: 'en',
      sale: 'simple',
      mode: 'llm',
      surface: 'slack',
      userId: 'U',
      teamId: 'T',
      channelId: 'CSTORE',
      threadTs: id,
      drillId: null,
      state,
      models: {},
    },
    { text: 'Make it quick.', raw },
    { kind: 'opening', text: 'Make it quick.', summary: null },
  );
  const opening = await store.claim(id, 'bench', 30_000);
  const delivered = opening && opening !== 'busy' ? opening.undelivered.at(-1) : undefined;
  await store.claim(id, 'bench', 30_000, delivered ? { id: delivered.id, ref: 'ts' } : undefined);
  for (let turn = 1; turn <= TURNS; turn++) {
    const ts = `${turn}.000001`;
    await step('event id', () => store.claimEvent(`${id}-${turn}`));
    await step('thread lookup', () => store.findByThread('CSTORE', id));
    await step('queue the message', () => store.enqueueOpen(id, { text: 'z'.repeat(120), externalId: ts }));
    const claim = await step('claim', () => store.claim(id, 'bench', 30_000));
    if (!claim || claim === 'busy' || !claim.item) throw new Error('nothing to claim');
    const outbox = await step('store the answer', () =>
      store.complete(id, {
        itemId: claim.item!.id,
        turns: [
          { role: 'rep', text: 'z'.repeat(120), raw: null, externalId: ts },
          { role: 'buyer', text: 'y'.repeat(300), raw, externalId: null },
        ],
        state,
        usage: { inputTokens: 3000, cachedInputTokens: 2800, outputTokens: 150 },
        outbox: [
          { kind: 'reply', text: 'y'.repeat(300), turn: 2 * turn, inboxId: claim.item!.id, inReplyTo: ts },
        ],
      }),
    );
    await step('delivered + release', () =>
      store.claim(id, 'bench', 30_000, { id: outbox[0]!.id, ref: 'ts' }),
    );
  }
}
const used = process.cpuUsage(cpu);
let wall = 0;
for (const [name, samples] of times) {
  const total = samples.reduce((a, b) => a + b, 0);
  wall += total;
  process.stdout.write(`${name.padEnd(20)} ${(total / samples.length).toFixed(3)} ms\n`);
}
const turns = SESSIONS * TURNS;
process.stdout.write(
  `${db.kind}: ${(wall / turns).toFixed(2)} ms per turn (wall), ` +
    `${((used.user + used.system) / 1000 / turns).toFixed(2)} ms CPU per turn in this process (session starts included)\n`,
);
if (db.kind === 'postgres') await db.query('DELETE FROM sessions WHERE id LIKE $1', [`${prefix}-%`]);
await db.close();
await rm(dir, { recursive: true, force: true });
