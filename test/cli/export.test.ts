import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { Readable } from 'node:stream';
import { afterEach, describe, expect, it } from 'vitest';
import { runCli } from '../../src/cli/main.js';
import { TranscriptSchema } from '../../src/domain/transcript.js';
import { openDb } from '../../src/store/db.js';
import { createSessionStore } from '../../src/store/sessions.js';
import { backends, freshPostgresDatabase, silentLogger } from '../helpers/db.js';

const state = {
  trust: 20,
  stage: 'opening',
  uncovered: [],
  closeAttempts: 0,
  unearnedCloses: 0,
  outcome: 'open',
  ended: false,
} as const;

async function exportWith(env: Record<string, string>, args: string[] = []) {
  let stdout = '';
  let stderr = '';
  const code = await runCli(
    ['export', ...args],
    {
      stdin: Readable.from([]),
      stdout: (s) => {
        stdout += s;
      },
      stderr: (s) => {
        stderr += s;
      },
      env,
      cwd: process.cwd(),
      isTty: false,
    },
    { logger: silentLogger },
  );
  return { code, stdout, stderr };
}

describe.each(backends)('export from %s', (kind) => {
  let cleanup: (() => Promise<void>) | undefined;
  afterEach(async () => {
    await cleanup?.();
    cleanup = undefined;
  });

  it('writes each session as one JSON line in the interchange format, filtered by user and date', async () => {
    let env: Record<string, string>;
    if (kind === 'postgres') {
      const { url, drop } = await freshPostgresDatabase();
      env = { DATABASE_URL: url };
      cleanup = drop;
    } else {
      const dir = await mkdtemp(path.join(tmpdir(), 'sparring-export-'));
      env = { SPARRING_DATA_DIR: dir };
      cleanup = () => rm(dir, { recursive: true, force: true });
    }
    const db = await openDb({
      databaseUrl: env.DATABASE_URL,
      dataDir: env.SPARRING_DATA_DIR ?? null,
      logger: silentLogger,
    });
    const store = createSessionStore(db);
    for (const [id, user] of [
      ['s-ann', 'UANN'],
      ['s-bob', 'UBOB'],
    ] as const) {
      await store.create(
        {
          id,
          scenarioId: 'sv-nyarsnatt-prischock',
          language: 'sv',
          sale: 'simple',
          mode: 'offline',
          surface: 'slack',
          userId: user,
          teamId: 'T1',
          channelId: 'C1',
          threadTs: `${id}.1`,
          drillId: null,
          state: { ...state, uncovered: [] },
          models: {},
        },
        { text: 'Hej, vad gäller det?', raw: null },
        { kind: 'opening', text: 'Hej, vad gäller det?', summary: null },
      );
    }
    const { item } = await store.enqueue('s-ann', { kind: 'message', text: 'Hur ser det ut i dag?' });
    await store.complete('s-ann', {
      itemId: item.id,
      turns: [
        { role: 'rep', text: 'Hur ser det ut i dag?', raw: null, externalId: '1.1' },
        { role: 'buyer', text: 'Det är rörigt.', raw: null, externalId: null },
      ],
      state: { ...state, uncovered: [] },
      usage: { inputTokens: 1, cachedInputTokens: 0, outputTokens: 1 },
      outbox: [],
    });
    await db.close();

    const all = await exportWith(env);
    expect(all.code).toBe(0);
    const lines = all.stdout
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l));
    expect(lines.map((l) => l.id).sort()).toEqual(['s-ann', 's-bob']);
    const ann = lines.find((l) => l.id === 's-ann');
    expect(TranscriptSchema.parse(ann)).toEqual({
      scenario: 'sv-nyarsnatt-prischock',
      language: 'sv',
      sale: 'simple',
      turns: [
        { role: 'buyer', text: 'Hej, vad gäller det?' },
        { role: 'rep', text: 'Hur ser det ut i dag?' },
        { role: 'buyer', text: 'Det är rörigt.' },
      ],
    });
    expect(ann).toMatchObject({ user: 'UANN', status: 'active', outcome: 'open', feedback: null });
    expect(all.stderr).toContain('2 sessions exported');

    const bob = await exportWith(env, ['--user', 'UBOB']);
    expect(
      bob.stdout
        .trim()
        .split('\n')
        .map((l) => JSON.parse(l).id),
    ).toEqual(['s-bob']);
    const future = await exportWith(env, ['--since', '2999-01-01']);
    expect(future.stdout).toBe('');
    const bad = await exportWith(env, ['--since', 'last tuesday']);
    expect(bad.code).toBe(1);
    expect(bad.stderr).toContain('--since: "last tuesday" is not a date');
  });
});
