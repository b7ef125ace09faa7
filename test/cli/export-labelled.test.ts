import { readFileSync } from 'node:fs';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { Readable } from 'node:stream';
import { afterEach, describe, expect, it } from 'vitest';
import { runCli } from '../../src/cli/main.js';
import { evaluate, type Labels, parseLabelledJsonl } from '../../src/coach/eval.js';
import { computeMetrics } from '../../src/coach/metrics.js';
import { offlineFeedback } from '../../src/coach/offline-coach.js';
import type { Transcript } from '../../src/domain/transcript.js';
import { openDb } from '../../src/store/db.js';
import { createSessionStore } from '../../src/store/sessions.js';
import { createVerdictStore } from '../../src/store/verdicts.js';
import { backends, freshPostgresDatabase, silentLogger } from '../helpers/db.js';

type Sample = Transcript & { id: string; labels: Labels };
const samples: Sample[] = readFileSync(
  new URL('../../../shared/transcripts/samples.jsonl', import.meta.url),
  'utf8',
)
  .split('\n')
  .filter((l) => l.trim())
  .map((l) => JSON.parse(l));
const sample = (id: string) => samples.find((s) => s.id === id)!;

const state = {
  trust: 20,
  stage: 'ended',
  uncovered: [],
  closeAttempts: 0,
  unearnedCloses: 0,
  outcome: 'open',
  ended: true,
} as const;

async function cli(env: Record<string, string>, args: string[]) {
  let stdout = '';
  let stderr = '';
  const code = await runCli(
    args,
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

describe.each(backends)('export --labelled read back by eval (%s)', (kind) => {
  let cleanup: Array<() => Promise<void>> = [];
  afterEach(async () => {
    for (const c of cleanup.reverse()) await c();
    cleanup = [];
  });

  it('writes the corrected sessions with the managers’ latest labels, and eval measures the coach on them', async () => {
    let env: Record<string, string>;
    if (kind === 'postgres') {
      const { url, drop } = await freshPostgresDatabase();
      env = { DATABASE_URL: url };
      cleanup.push(drop);
    } else {
      const dir = await mkdtemp(path.join(tmpdir(), 'sparring-labelled-'));
      env = { SPARRING_DATA_DIR: dir };
      cleanup.push(() => rm(dir, { recursive: true, force: true }));
    }
    const db = await openDb({
      databaseUrl: env.DATABASE_URL,
      dataDir: env.SPARRING_DATA_DIR ?? null,
      logger: silentLogger,
    });
    const store = createSessionStore(db);
    const verdicts = createVerdictStore(db);

    // Four coached Slack sessions on the sample transcripts (the stored session opens with the buyer's line).
    const ids = ['sample-en-1', 'sample-sv-2', 'sample-da-3', 'sample-nl-3'];
    const coached = new Map<string, Transcript>();
    for (const [i, id] of ids.entries()) {
      const s = sample(id);
      await store.create(
        {
          id: `s-${id}`,
          scenarioId: `${s.language}-not-shipped`,
          language: s.language as 'en',
          sale: s.sale!,
          mode: 'offline',
          surface: 'slack',
          userId: 'UREP',
          teamId: 'T1',
          channelId: 'C1',
          threadTs: `17000000${i}.000100`,
          drillId: null,
          state: { ...state, uncovered: [] },
          models: {},
        },
        { text: 'Hello.', raw: null },
        { kind: 'opening', text: 'Hello.', summary: null },
      );
      const transcript: Transcript = {
        scenario: `${s.language}-not-shipped`,
        language: s.language,
        sale: s.sale,
        turns: [{ role: 'buyer', text: 'Hello.' }, ...s.turns],
      };
      coached.set(`s-${id}`, transcript);
      const { item } = await store.enqueue(`s-${id}`, { kind: 'end' });
      await store.complete(`s-${id}`, {
        itemId: item.id,
        turns: s.turns.map((t) => ({ role: t.role, text: t.text, raw: null, externalId: null })),
        state: { ...state, uncovered: [] },
        usage: { inputTokens: 0, cachedInputTokens: 0, outputTokens: 0 },
        outbox: [],
        end: { feedback: offlineFeedback(transcript, computeMetrics(transcript)) },
      });
    }
    const at = (day: number) => new Date(Date.UTC(2026, 10, day));
    const en = sample('sample-en-1').labels;
    // A first, wrong correction that a later one replaces: only the latest is exported.
    await verdicts.correct({
      sessionId: 's-sample-en-1',
      managerId: 'UMGR',
      verdict: 'script',
      labels: {},
      note: 'first look',
      at: at(2),
    });
    const { verdict: enVerdict, ...enLabels } = en;
    await verdicts.correct({
      sessionId: 's-sample-en-1',
      managerId: 'UMGR2',
      verdict: enVerdict,
      labels: enLabels,
      note: null,
      at: at(3),
    });
    await verdicts.correct({
      sessionId: 's-sample-sv-2',
      managerId: 'UMGR',
      verdict: sample('sample-sv-2').labels.verdict,
      labels: { close_attempts: sample('sample-sv-2').labels.close_attempts, buyer_flat_no: true },
      note: 'Pushed twice.',
      at: at(4),
    });
    await verdicts.correct({
      sessionId: 's-sample-da-3',
      managerId: 'UMGR',
      verdict: sample('sample-da-3').labels.verdict,
      labels: {},
      note: null,
      at: at(5),
    });
    // s-sample-nl-3 is never corrected: not in the labelled export.
    await db.close();

    const exported = await cli(env, ['export', '--labelled']);
    expect(exported.code).toBe(0);
    expect(exported.stderr).toContain('3 corrected sessions exported');
    const lines = exported.stdout
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l));
    expect(lines.map((l) => l.id)).toEqual(['s-sample-en-1', 's-sample-sv-2', 's-sample-da-3']);
    expect(lines[0]).toMatchObject({ labels: en, correctedBy: 'UMGR2' });
    expect(lines[0].note).toBeUndefined();
    expect(lines[1].labels).toEqual({
      verdict: 'script',
      close_attempts: sample('sample-sv-2').labels.close_attempts,
      buyer_flat_no: true,
    });
    expect(lines[1].note).toBe('Pushed twice.');
    expect(lines[2].labels).toEqual({ verdict: 'mixed' });
    for (const l of lines) expect(l.turns).toEqual(coached.get(l.id)!.turns);

    // eval reads the file as it is…
    const file = path.join(tmpdir(), `sparring-labelled-${kind}-${process.pid}.jsonl`);
    await writeFile(file, exported.stdout);
    cleanup.push(() => rm(file, { force: true }));
    const evaluated = await cli(env, ['eval', file, '--json', '--offline']);
    expect(evaluated.stderr).toBe('');
    expect(evaluated.code).toBe(0);
    const report = JSON.parse(evaluated.stdout);

    // …and its numbers are the coach's agreement with the managers' verdicts, computed here independently.
    const rows = parseLabelledJsonl(exported.stdout, 'export');
    const expected = evaluate(
      rows,
      rows.map((r) => offlineFeedback(r, computeMetrics(r))),
    );
    const agreed = lines.filter((l) => l.coachVerdict === l.labels.verdict).length;
    expect(report.n).toBe(3);
    expect(report.verdictAccuracy).toBeCloseTo(agreed / 3, 10);
    expect(report.verdictAccuracy).toBe(expected.verdictAccuracy);
    expect(report.confusion).toEqual(expected.confusion);
    // A label field counts only where a manager checked it.
    expect(report.metrics.close_attempts.n).toBe(2);
    expect(report.metrics.buyer_flat_no.n).toBe(2);
    expect(report.metrics.disguised_no.n).toBe(1);
    expect(report.metrics).toEqual(expected.metrics);
  });
});
