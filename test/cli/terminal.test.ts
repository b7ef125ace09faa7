import { type ChildProcessWithoutNullStreams, spawn } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { fill, MESSAGES } from '../../src/i18n/messages.js';
import { type FakeOpenAi, startFakeOpenAi } from '../helpers/fake-openai.js';

const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const dataDir = mkdtempSync(path.join(tmpdir(), 'sparring-terminal-'));
afterAll(() => rm(dataDir, { recursive: true, force: true }));

const quote = (s: string) => `'${s.replace(/'/g, `'\\''`)}'`;
// What a terminal shows, without its cursor movements and carriage returns.
const plain = (s: string) => s.replace(/\x1b\[[0-9;?]*[A-Za-z]/g, '').replace(/\r/g, '');

type Terminal = {
  child: ChildProcessWithoutNullStreams;
  /** Everything the terminal showed so far, as plain text. */
  screen(): string;
  /** Waits until the screen (after `from` characters) matches. */
  waitFor(pattern: RegExp, from?: number): Promise<void>;
  /** Keys typed at the terminal; Enter is "\r". */
  type(keys: string): void;
  exited: Promise<number | null>;
};

/**
 * The CLI as a person runs it: in a pseudo-terminal (util-linux `script`), so stdin and stdout are TTYs and what
 * the terminal shows (echo included) is what `script` reads back from it.
 */
function inTerminal(args: string[], env: Record<string, string> = {}): Terminal {
  const command = [
    process.execPath,
    '--import',
    import.meta.resolve('tsx'),
    path.join(repoRoot, 'src/cli/main.ts'),
    ...args,
  ]
    .map(quote)
    .join(' ');
  const child = spawn('script', ['-qec', command, '/dev/null'], {
    cwd: repoRoot,
    env: {
      PATH: process.env.PATH ?? '',
      HOME: process.env.HOME ?? '',
      TERM: 'xterm',
      SPARRING_DATA_DIR: dataDir,
      ...env,
    },
  });
  let out = '';
  child.stdout.on('data', (d: Buffer) => {
    out += d.toString();
  });
  child.stderr.on('data', (d: Buffer) => {
    out += d.toString();
  });
  const exited = new Promise<number | null>((resolve) => child.on('close', resolve));
  return {
    child,
    screen: () => plain(out),
    waitFor: (pattern, from = 0) =>
      vi.waitFor(
        () => {
          if (!pattern.test(plain(out).slice(from))) throw new Error(`not yet on screen: ${pattern}`);
        },
        { timeout: 45_000, interval: 50 },
      ),
    type: (keys) => {
      child.stdin.write(keys);
    },
    exited,
  };
}

describe('practice in a real terminal', () => {
  it('shows what the rep types, before and after Enter, and the buyer answers below it', async () => {
    const t = inTerminal(['practice', 'en-florist-card-readers', '--offline']);
    try {
      await t.waitFor(/What can I do for you\?\n+> $/);
      const before = t.screen().length;
      t.type('How do you take card payments today?');
      // Not yet sent: the line is on the screen while it is being typed.
      await t.waitFor(/How do you take card payments today\?$/, before);
      t.type('\r');
      await t.waitFor(/\nDawn Price: .+\n> $/, before);
      const shown = t.screen().slice(before);
      expect(shown).toMatch(/^How do you take card payments today\?\nDawn Price: /);
      t.type('/quit\r');
      expect(await t.exited).toBe(0);
    } finally {
      t.child.kill();
    }
  }, 60_000);

  describe('against a model that fails', () => {
    let openai: FakeOpenAi;
    beforeAll(async () => {
      openai = await startFakeOpenAi();
    });
    afterAll(async () => {
      await openai?.close();
    });

    it('says so in one line of the scenario language, with no log JSON or stack on the screen; the log file has it', async () => {
      openai.fail('buyer_turn', 500, 1);
      const t = inTerminal(['practice', 'sv-nyarsnatt-prischock'], {
        OPENAI_BASE_URL: openai.baseUrl,
        OPENAI_API_KEY: 'test-key',
        OPENAI_MAX_RETRIES: '0',
      });
      const sv = MESSAGES.sv;
      const failureLine = `(${fill(sv.cliBuyerFailed, { reason: sv.failureReason.llm_unavailable })})`;
      try {
        await t.waitFor(/\n> $/);
        t.type('Hur gör ni med nyårsnatten i dag?\r');
        await t.waitFor(/Köparen kunde inte svara[^\n]*\n> $/);
        t.type('/retry\r');
        await t.waitFor(/You said: [^\n]*\n> $/);
        t.type('/quit\r');
        expect(await t.exited).toBe(0);
      } finally {
        t.child.kill();
      }
      const lines = t.screen().split('\n');
      expect(lines.filter((l) => l.includes('Köparen kunde inte svara'))).toEqual([failureLine]);
      // Nothing of the log on the screen: no JSON record, no stack frame, no English from the adapter.
      expect(lines.filter((l) => /^\s*\{|"level"|^\s+at |AppError|failed \(500\)/.test(l))).toEqual([]);
      expect(openai.requests.map((r) => [r.schema, r.status])).toEqual([
        ['buyer_turn', 500],
        ['buyer_turn', 200],
      ]);
      const log = (await readFile(path.join(dataDir, 'practice.log'), 'utf8')).trim().split('\n');
      const failed = log.map((l) => JSON.parse(l)).filter((r) => r.msg === 'request failed');
      expect(failed).toHaveLength(1);
      expect(failed[0]).toMatchObject({ code: 'llm_unavailable', level: 40 });
    }, 60_000);
  });
});
