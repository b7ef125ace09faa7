import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync } from 'node:fs';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { Readable } from 'node:stream';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { TERMINAL_COMMANDS } from '../../src/cli/commands.js';
import { runCli } from '../../src/cli/main.js';
import { FeedbackSchema } from '../../src/coach/feedback.js';
import { TranscriptSchema } from '../../src/domain/transcript.js';
import { MESSAGES } from '../../src/i18n/messages.js';
import { silentLogger } from '../helpers/db.js';
import { type FakeOpenAi, startFakeOpenAi } from '../helpers/fake-openai.js';

const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const samples = path.resolve(repoRoot, '../shared/transcripts/samples.jsonl');

// Terminal sessions are stored like the app's: in a store of this file's own, never the repository's ./data.
const dataDir = mkdtempSync(path.join(tmpdir(), 'sparring-cli-store-'));
afterAll(() => rm(dataDir, { recursive: true, force: true }));

/** Runs the CLI in-process with piped (non-TTY) stdin and an environment without any model configured. */
async function cli(args: string[], stdin: string | string[] = [], env: Record<string, string> = {}) {
  let stdout = '';
  let stderr = '';
  const code = await runCli(
    args,
    {
      stdin: Readable.from(typeof stdin === 'string' ? [stdin] : stdin),
      stdout: (s) => {
        stdout += s;
      },
      stderr: (s) => {
        stderr += s;
      },
      env: { SPARRING_SCENARIOS_DIR: path.join(repoRoot, 'scenarios'), SPARRING_DATA_DIR: dataDir, ...env },
      cwd: repoRoot,
      isTty: false,
    },
    { logger: silentLogger },
  );
  return { code, stdout, stderr };
}

// A rep who discovers the buyer's situation, reflects it, recaps in her words and asks for the order once.
// The scenario's own good rep (its test_rep): natural questions, follow-ups in the rep's words, a recap, one ask.
const connectedFlorist = (
  parse(readFileSync(path.join(repoRoot, 'scenarios/en-florist-card-readers.yaml'), 'utf8')) as {
    test_rep: string[];
  }
).test_rep;

describe('practice in the terminal', () => {
  it('plays a whole piped conversation offline and ends with one JSON object: transcript and feedback', async () => {
    const { code, stdout, stderr } = await cli(
      ['practice', 'en-florist-card-readers', '--offline', '--json'],
      `${connectedFlorist.join('\n')}\n/done\n`,
    );
    expect(code).toBe(0);
    // The conversation goes to stderr with --json, so stdout is exactly one JSON document.
    expect(stderr).toContain('Offline mode');
    const result = JSON.parse(stdout) as { transcript: unknown; feedback: unknown; outcome: unknown };
    expect(result.outcome).toBe('yes');
    const transcript = TranscriptSchema.parse(result.transcript);
    const feedback = FeedbackSchema.parse(result.feedback);
    expect(transcript).toMatchObject({ scenario: 'en-florist-card-readers', language: 'en', sale: 'simple' });
    expect(transcript.turns[0]?.role).toBe('buyer');
    expect(transcript.turns.filter((t) => t.role === 'rep').map((t) => t.text)).toEqual(
      connectedFlorist.slice(0, transcript.turns.filter((t) => t.role === 'rep').length),
    );
    expect(feedback.mode).toBe('offline');
    // The close was earned: the buyer says her authored yes, and the coach sees the connection.
    expect(transcript.turns.at(-1)?.text).toMatch(/^Go on then\./);
    expect(feedback.verdict).toBe('connected');
    expect(feedback.metrics).toMatchObject({
      closeAttempts: 1,
      finalCloseType: 'order',
      recapBeforeClose: true,
    });
    expect(feedback.metrics.discoveryQuestions).toBeGreaterThanOrEqual(3);
    expect(feedback.metrics.pitchedBeforeDiscovery).toBe(false);
    for (const d of feedback.dimensions) {
      for (const e of d.evidence) expect(transcript.turns[e.turn]?.text).toContain(e.quote);
    }
  });

  it('gives a pushy rep the disguised no and then the flat no, and says no in the feedback', async () => {
    const pitbull = [
      'Hej Jørgen, vi er Danmarks bedste rekrutteringsbureau med over 500 kunder og en database med 40.000 kandidater. Skal vi ikke bare skrive en aftale i dag?',
      'Vi har også en rabat på 20 procent, hvis I skriver under inden fredag. Skal jeg sende kontrakten?',
      'Men lyder det ikke spændende? Kan vi ikke bare sige ja til en aftale nu?',
      'Okay, men hvad med et møde i næste uge? Skal vi sige tirsdag?',
    ];
    const { code, stdout } = await cli(
      ['practice', 'da-rekruttering-naehh', '--json'],
      `${pitbull.join('\n')}\n`,
    );
    expect(code).toBe(0);
    const { transcript, feedback } = JSON.parse(stdout);
    const buyerLines = transcript.turns
      .filter((t: { role: string }) => t.role === 'buyer')
      .map((t: { text: string }) => t.text);
    expect(buyerLines).toContain('Næhh.');
    expect(feedback.verdict).toBe('script');
    expect(feedback.metrics.pitchedBeforeDiscovery).toBe(true);
    expect(feedback.metrics.buyerFlatNo).toBe(true);
  });

  it('lists the known scenario ids for an unknown one', async () => {
    const { code, stderr } = await cli(['practice', 'no-such-scenario', '--offline']);
    expect(code).toBe(1);
    expect(stderr).toContain('Unknown scenario "no-such-scenario"');
    expect(stderr).toContain('da-rekruttering-naehh');
  });

  it('explains empty and oversized messages without storing them', async () => {
    const { code, stdout } = await cli(
      ['practice', 'en-florist-card-readers', '--offline', '--json'],
      `   \n${'x'.repeat(4001)}\nHow do you take payments today?\n/done\n`,
    );
    expect(code).toBe(0);
    const { transcript } = JSON.parse(stdout);
    expect(transcript.turns.map((t: { role: string }) => t.role)).toEqual(['buyer', 'rep', 'buyer']);
    const { stderr } = await cli(
      ['practice', 'en-florist-card-readers', '--offline', '--json'],
      `\n${'x'.repeat(4001)}\n/quit\n`,
    );
    expect(stderr).toContain('That message is empty; nothing was sent to the buyer.');
    expect(stderr).toContain('That message has 4001 characters; the buyer reads at most 4000.');
  });

  it('leaves without feedback on /quit', async () => {
    const { code, stdout } = await cli(
      ['practice', 'sv-nyarsnatt-prischock', '--offline', '--json'],
      'Hej!\n/quit\n',
    );
    expect(code).toBe(0);
    expect(JSON.parse(stdout).feedback).toBeNull();
  });

  it('shows a close drill summary before the opening line, in the scenario language', async () => {
    const { stdout } = await cli(['practice', 'sv-avslut-ledningsgrupp', '--offline'], '/quit\n');
    expect(stdout).toContain('Offlineläge');
    expect(stdout).toContain('Avslutsövning');
  });

  it('refuses unknown commands and a typo of /done with a hint, and sends neither to the buyer', async () => {
    const { code, stdout, stderr } = await cli(
      ['practice', 'en-florist-card-readers', '--offline', '--json'],
      'How do you take card payments today?\n/foo\n/dnoe\n/done\n',
    );
    expect(code).toBe(0);
    expect(stderr).toContain(
      '(/foo is not a command; nothing was sent to the buyer. Commands: /done, /retry, /help, /quit.)',
    );
    expect(stderr).toContain('(/dnoe is not a command; nothing was sent to the buyer. Did you mean /done?)');
    const { transcript, feedback } = JSON.parse(stdout);
    expect(transcript.turns.filter((t: { role: string }) => t.role === 'rep')).toEqual([
      { role: 'rep', text: 'How do you take card payments today?' },
    ]);
    // The real /done after them still ended the session with feedback.
    expect(FeedbackSchema.parse(feedback).mode).toBe('offline');
  });

  it('says there is nothing to retry, and /help lists every command in the scenario language', async () => {
    const { code, stdout } = await cli(
      ['practice', 'sv-nyarsnatt-prischock', '--offline'],
      '/retry\n/help\n/quit\n',
    );
    expect(code).toBe(0);
    const sv = MESSAGES.sv;
    expect(stdout).toContain(`> /retry\n(${sv.cliNothingToRetry})\n`);
    const help = stdout.split('\n').find((l) => l.startsWith('Kommandon:'));
    expect(help).toBe(sv.cliHelp);
    for (const command of TERMINAL_COMMANDS) expect(help).toContain(command);
    expect(stdout).not.toContain(MESSAGES.en.cliHelp);
  });

  it('works as a real process with piped stdin, as in the README', async () => {
    const child = spawn('npx', ['tsx', 'src/cli/main.ts', 'practice', 'en-florist-card-readers', '--json'], {
      cwd: repoRoot,
      env: { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? '', SPARRING_DATA_DIR: dataDir },
      stdio: ['pipe', 'pipe', 'pipe'],
    });
    let stdout = '';
    child.stdout.on('data', (d) => {
      stdout += d;
    });
    child.stdin.end(`${connectedFlorist.slice(0, 2).join('\n')}\n/done\n`);
    const code = await new Promise<number | null>((resolve) => child.on('close', resolve));
    expect(code).toBe(0);
    const { transcript, feedback } = JSON.parse(stdout);
    expect(transcript.turns).toHaveLength(5);
    expect(feedback.mode).toBe('offline');
  }, 60_000);
});

describe('practice in the terminal against a model', () => {
  let openai: FakeOpenAi;
  beforeAll(async () => {
    openai = await startFakeOpenAi();
  });
  afterAll(async () => {
    await openai?.close();
  });
  const modelEnv = () => ({
    OPENAI_BASE_URL: openai.baseUrl,
    OPENAI_API_KEY: 'test-key',
    OPENAI_MAX_RETRIES: '0',
    OPENAI_TIMEOUT_MS: '2000',
  });

  it('tells the rep when the model fails, keeps the message, and answers it on /retry; the coach is the model', async () => {
    // The first buyer request fails; the second (the /retry) is answered by the echoing fake buyer.
    openai.fail('buyer_turn', 500, 1);
    const { code, stdout, stderr } = await cli(
      ['practice', 'en-florist-card-readers', '--json'],
      ['How do you take card payments today?\n', '/retry\n', '/done\n'],
      modelEnv(),
    );
    expect(code).toBe(0);
    expect(stderr).not.toContain('Offline mode');
    // One line, in the scenario's words (the reason by its code, not the adapter's English), with the hint.
    expect(stderr).toContain(
      '(The buyer could not answer: the model server is not available. Your message is kept; type /retry to send it again.)',
    );
    const { transcript, feedback } = JSON.parse(stdout);
    // The message was kept: asked once, answered once, after the retry.
    expect(transcript.turns.map((t: { role: string }) => t.role)).toEqual(['buyer', 'rep', 'buyer']);
    expect(transcript.turns[1].text).toBe('How do you take card payments today?');
    expect(FeedbackSchema.parse(feedback).mode).toBe('llm');
    const schemas = openai.requests.map((r) => [r.schema, r.status]);
    expect(schemas).toEqual([
      ['buyer_turn', 500],
      ['buyer_turn', 200],
      ['coach_rubric', 200],
    ]);
  });
  it('stores and shows the re-asked answer when the guard overrides a yes, never the yes', async () => {
    const early = {
      thought: 'Fine, whatever.',
      close_attempt: true,
      close_kind: 'order',
      close_earned: true,
      trust: 40,
      newly_uncovered: [],
      outcome: 'yes',
      ended: true,
      reply: 'Yes, go ahead, set it up.',
    };
    const second = { ...early, close_earned: false, outcome: 'open', ended: false, reply: 'Not so fast.' };
    openai.script('buyer_turn', early, second);
    const before = openai.requests.length;
    const { code, stdout, stderr } = await cli(
      ['practice', 'en-florist-card-readers', '--json'],
      ['Shall I set you up with our card reader today?\n', '/done\n'],
      modelEnv(),
    );
    expect(code).toBe(0);
    const { transcript } = JSON.parse(stdout);
    expect(transcript.turns.map((t: { text: string }) => t.text).slice(1)).toEqual([
      'Shall I set you up with our card reader today?',
      'Not so fast.',
    ]);
    expect(stderr).not.toContain('go ahead');
    const [first, reask] = openai.requests.slice(before).map((r) => r.body.messages);
    expect(JSON.stringify(reask!.slice(0, first!.length))).toBe(JSON.stringify(first));
    expect(reask!.at(-1)!.content).toContain('does not count');
  });

  it("eval --json against a model: the model's readings, kappa, the languages and the fallbacks", async () => {
    openai.fail('coach_rubric', 500, 1);
    const { code, stdout } = await cli(['eval', samples, '--json'], [], modelEnv());
    expect(code).toBe(0);
    const report = JSON.parse(stdout);
    expect(report).toMatchObject({ mode: 'llm', n: 12, fallbacks: 1 });
    // The fake model reads every transcript as "no close"; only the rows it judged count as its readings.
    expect(report.readings.n).toBe(11);
    expect(Object.keys(report.readings.labels)).toContain('close_attempts');
    expect(Object.keys(report.byLanguage)).toEqual(['da', 'en', 'nl', 'sv']);
    expect(report.verdictKappa).toEqual(expect.any(Number));
    // The existing fields stay.
    for (const field of ['verdictAccuracy', 'confusion', 'metrics', 'rows'])
      expect(report).toHaveProperty(field);
  });

  it('coach --json: a drill transcript is coached with its summary; a failed model coach is labelled', async () => {
    const transcript = JSON.stringify({
      scenario: 'en-close-shredding-order',
      language: 'en',
      sale: 'simple',
      turns: [
        {
          role: 'rep',
          text: "So: fifteen bags, Martin's Fridays and the insurer. Shall I set up the fortnightly collection?",
        },
        { role: 'buyer', text: 'Yes, let us do that.' },
      ],
    });
    const before = openai.requests.length;
    const ok = await cli(['coach', '-', '--json'], transcript, modelEnv());
    expect(ok.code).toBe(0);
    expect(FeedbackSchema.parse(JSON.parse(ok.stdout))).toMatchObject({ mode: 'llm' });
    const prompt = openai.requests[before]!.body.messages[1]!.content;
    expect(prompt).toContain("> I've told you that bags of confidential paper are piling up");

    openai.fail('coach_rubric', 500, 1);
    const failed = await cli(['coach', '-', '--json'], transcript, modelEnv());
    expect(failed.code).toBe(0);
    const feedback = FeedbackSchema.parse(JSON.parse(failed.stdout));
    expect(feedback.mode).toBe('offline');
    expect(feedback.fallback).toEqual({ code: 'llm_unavailable', reason: expect.stringContaining('500') });

    openai.fail('coach_rubric', 500, 1);
    const text = await cli(['coach', '-'], transcript, modelEnv());
    expect(text.stdout.split('\n')[1]).toContain(
      "The model coach failed, so this is the offline coach's judgement",
    );
  });
});

describe('coach and eval', () => {
  it('coaches a transcript file and prints the coach JSON', async () => {
    const dir = await mkdtemp(path.join(tmpdir(), 'sparring-cli-'));
    const file = path.join(dir, 't.json');
    await writeFile(
      file,
      JSON.stringify({
        language: 'nl',
        sale: 'simple',
        turns: [
          { role: 'rep', text: 'Goedemiddag, hoe regelt u de salarissen nu?' },
          { role: 'buyer', text: 'Mijn boekhouder doet dat.' },
        ],
      }),
    );
    const { code, stdout } = await cli(['coach', file, '--json']);
    expect(code).toBe(0);
    const feedback = FeedbackSchema.parse(JSON.parse(stdout));
    expect(feedback.metrics.discoveryQuestions).toBe(1);
    expect(feedback.mode).toBe('offline');
  });

  it('names the file and the field of a malformed transcript', async () => {
    const dir = await mkdtemp(path.join(tmpdir(), 'sparring-cli-'));
    const bad = path.join(dir, 'bad.json');
    await writeFile(bad, JSON.stringify({ turns: [{ role: 'seller', text: 'hi' }] }));
    const r1 = await cli(['coach', bad]);
    expect(r1.code).toBe(1);
    expect(r1.stderr).toMatch(/bad\.json: turns\.0\.role: /);
    const notJson = path.join(dir, 'broken.json');
    await writeFile(notJson, '{"turns": [');
    const r2 = await cli(['coach', notJson]);
    expect(r2.code).toBe(1);
    expect(r2.stderr).toContain('broken.json: not valid JSON');
    const r3 = await cli(['coach', path.join(dir, 'missing.json')]);
    expect(r3.stderr).toContain('missing.json: cannot read the file (ENOENT)');
  });

  it('reads a transcript from stdin with -', async () => {
    const { code, stdout } = await cli(
      ['coach', '-', '--json'],
      JSON.stringify({ turns: [{ role: 'rep', text: 'Hej, hur gör ni i dag?' }] }),
    );
    expect(code).toBe(0);
    expect(JSON.parse(stdout).verdict).toMatch(/connected|script|mixed/);
  });

  it('evaluates the offline coach on the labelled samples', async () => {
    const { code, stdout } = await cli(['eval', samples, '--offline', '--json']);
    expect(code).toBe(0);
    const report = JSON.parse(stdout);
    expect(report.n).toBe(12);
    expect(report.mode).toBe('offline');
    // A floor at the level reached when this was written (11/12); a drop is a regression.
    expect(report.verdictAccuracy).toBeGreaterThanOrEqual(11 / 12);
    for (const [name, m] of Object.entries(report.metrics as Record<string, { agreement: number }>)) {
      expect({ name, agreement: m.agreement }).toEqual({ name, agreement: expect.any(Number) });
      expect(m.agreement).toBeGreaterThanOrEqual(0.9);
    }
  });

  it('warns on stderr about a transcript language it has no rules for; stdout stays the coach JSON', async () => {
    const french = JSON.stringify({
      language: 'fr',
      turns: [
        { role: 'rep', text: 'Bonjour, comment gérez-vous les paiements aujourd’hui ?' },
        { role: 'buyer', text: 'Avec un vieux terminal.' },
      ],
    });
    const fr = await cli(['coach', '-', '--json'], french);
    expect(fr.code).toBe(0);
    expect(fr.stderr).toBe(
      'warning: stdin: language "fr" is not one Sparring knows (en, sv, da, nl); the transcript was read with the English rules.\n',
    );
    expect(FeedbackSchema.parse(JSON.parse(fr.stdout)).mode).toBe('offline');
    // A known language, a regional variant of one, or none at all: nothing to warn about.
    for (const language of ['sv', 'nl-BE', undefined]) {
      const known = await cli(['coach', '-', '--json'], JSON.stringify({ ...JSON.parse(french), language }));
      expect({ language, stderr: known.stderr }).toEqual({ language, stderr: '' });
    }

    const dir = await mkdtemp(path.join(tmpdir(), 'sparring-cli-'));
    const file = path.join(dir, 'mixed.jsonl');
    const row = (language: string) =>
      JSON.stringify({
        ...JSON.parse(french),
        language,
        labels: {
          verdict: 'mixed',
          close_attempts: 0,
          final_close_type: 'none',
          recap_before_final_close: false,
          added_argument_after_close: false,
          pitched_before_discovery: false,
          discovery_questions: 1,
          buyer_flat_no: false,
          disguised_no: false,
        },
      });
    await writeFile(file, `${[row('fr'), row('de'), row('fr'), row('en')].join('\n')}\n`);
    const evaluated = await cli(['eval', file, '--offline', '--json']);
    expect(evaluated.code).toBe(0);
    expect(evaluated.stderr).toContain(
      `warning: ${file}: 3 transcripts in a language Sparring does not know ("fr": 2, "de": 1; it knows en, sv, da, nl); they were read with the English rules.`,
    );
    expect(JSON.parse(evaluated.stdout).n).toBe(4);
  });

  it('prints usage for unknown commands and bad flags', async () => {
    expect((await cli(['frobnicate'])).code).toBe(2);
    expect((await cli(['practice'])).stderr).toContain('practice needs one scenario id');
    expect((await cli(['coach', 'a', '--nope'])).code).toBe(2);
    const help = await cli(['help']);
    expect(help.code).toBe(0);
    expect(help.stdout).toContain('practice <scenario-id>');
  });
});
