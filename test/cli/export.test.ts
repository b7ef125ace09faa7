import { existsSync } from 'node:fs';
import { mkdir, mkdtemp, readdir, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { Readable } from 'node:stream';
import { afterEach, describe, expect, it } from 'vitest';
import { runCli } from '../../src/cli/main.js';
import { FeedbackSchema } from '../../src/coach/feedback.js';
import { TranscriptSchema } from '../../src/domain/transcript.js';
import { MESSAGES } from '../../src/i18n/messages.js';
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
  return run(['export', ...args], env);
}

/** Runs the CLI in-process with piped stdin. */
async function run(args: string[], env: Record<string, string>, stdin = '') {
  let stdout = '';
  let stderr = '';
  const code = await runCli(
    args,
    {
      stdin: Readable.from([stdin]),
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

/** A store of its own for each test: a fresh PGlite directory, or a fresh PostgreSQL database. */
async function freshStoreEnv(
  kind: 'pglite' | 'postgres',
): Promise<{ env: Record<string, string>; cleanup: () => Promise<void> }> {
  if (kind === 'postgres') {
    const { url, drop } = await freshPostgresDatabase();
    return { env: { DATABASE_URL: url }, cleanup: drop };
  }
  const dir = await mkdtemp(path.join(tmpdir(), 'sparring-export-'));
  return { env: { SPARRING_DATA_DIR: dir }, cleanup: () => rm(dir, { recursive: true, force: true }) };
}

describe.each(backends)('terminal practice stored in %s', (kind) => {
  it('is found by export afterwards: the same transcript, its feedback, surface cli', async () => {
    const { env, cleanup } = await freshStoreEnv(kind);
    try {
      const practised = await run(
        ['practice', 'en-florist-card-readers', '--offline', '--json'],
        env,
        'How do you take card payments today?\nWhat happens when it drops out?\n/done\n',
      );
      expect(practised.code).toBe(0);
      const { transcript, feedback } = JSON.parse(practised.stdout);
      const exported = await exportWith(env);
      expect(exported.code).toBe(0);
      expect(exported.stderr).toContain('1 session exported');
      const lines = exported.stdout.trim().split('\n');
      expect(lines).toHaveLength(1);
      const line = JSON.parse(lines[0]!);
      expect(TranscriptSchema.parse(line)).toEqual(transcript);
      expect(line).toMatchObject({ surface: 'cli', mode: 'offline', status: 'ended', outcome: 'open' });
      expect(FeedbackSchema.parse(line.feedback)).toEqual(FeedbackSchema.parse(feedback));
    } finally {
      await cleanup();
    }
  }, 60_000);
});

describe('export reads only a store that exists', () => {
  it('refuses a data directory that does not exist, names it, and does not create it', async () => {
    const parent = await mkdtemp(path.join(tmpdir(), 'sparring-export-'));
    try {
      const typo = path.join(parent, 'dtaa');
      const result = await exportWith({ SPARRING_DATA_DIR: typo });
      expect(result.code).toBe(1);
      expect(result.stderr).toContain(`No store at ${typo}: that directory does not exist.`);
      expect(result.stderr).not.toContain('SPARRING_DATA_DIR');
      expect(result.stdout).toBe('');
      expect(existsSync(typo)).toBe(false);

      // A directory that exists but holds no store is refused the same way, and left as it was.
      const empty = path.join(parent, 'empty');
      await mkdir(empty);
      const none = await exportWith({ SPARRING_DATA_DIR: empty });
      expect(none.code).toBe(1);
      expect(none.stderr).toContain(`No store at ${empty}: the directory holds no Sparring store.`);
      expect(await readdir(empty)).toEqual([]);
    } finally {
      await rm(parent, { recursive: true, force: true });
    }
  });

  it('a terminal session while another process holds the store runs in memory and says it is not saved', async () => {
    const dir = await mkdtemp(path.join(tmpdir(), 'sparring-export-'));
    try {
      // This process holding the directory stands in for the running Slack app: a second open is refused.
      const app = await openDb({ dataDir: dir, logger: silentLogger, purpose: 'the Slack app' });
      let practised: Awaited<ReturnType<typeof run>>;
      try {
        practised = await run(
          ['practice', 'sv-nyarsnatt-prischock', '--offline'],
          { SPARRING_DATA_DIR: dir },
          'Hur ser det ut i dag?\n/quit\n',
        );
      } finally {
        await app.close();
      }
      expect(practised.code).toBe(0);
      expect(practised.stdout).toContain(`(${MESSAGES.sv.cliNotStored})`);
      expect(practised.stdout).toContain('> Hur ser det ut i dag?');
      const exported = await exportWith({ SPARRING_DATA_DIR: dir });
      expect(exported.code).toBe(0);
      expect(exported.stderr).toContain('0 sessions exported');
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  }, 60_000);
});
