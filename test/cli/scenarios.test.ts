import { Readable } from 'node:stream';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import type { CliIo } from '../../src/cli/io.js';
import { runScenarios } from '../../src/cli/scenarios.js';
import type { ScenarioSummary } from '../../src/scenarios/catalog.js';

const ROOT = fileURLToPath(new URL('../..', import.meta.url));
const FIXTURES = fileURLToPath(new URL('../fixtures/scenarios/', import.meta.url));

async function run(args: string[], opts: { cwd?: string; scenariosDir?: string } = {}) {
  const out: string[] = [];
  const err: string[] = [];
  const io: CliIo = {
    stdin: Readable.from([]),
    stdout: (text) => out.push(text),
    stderr: (text) => err.push(text),
    env: {},
    cwd: opts.cwd ?? ROOT,
    isTty: false,
  };
  const code = await runScenarios(args, io, { scenariosDir: opts.scenariosDir ?? 'scenarios' });
  return { code, stdout: out.join(''), stderr: err.join('') };
}

describe('scenarios lint', () => {
  it('passes on the shipped scenarios directory by default', async () => {
    const { code, stdout, stderr } = await run(['lint']);
    expect(stderr).toBe('');
    expect(stdout).toMatch(/^\d+ scenarios OK\n$/);
    expect(Number.parseInt(stdout, 10)).toBeGreaterThanOrEqual(10);
    expect(code).toBe(0);
  });

  it('passes on the paths given, relative to the working directory', async () => {
    expect(await run(['lint', 'good'], { cwd: FIXTURES })).toEqual({
      code: 0,
      stdout: '2 scenarios OK\n',
      stderr: '',
    });
  });

  it('prints file:line: path: message for each problem and a summary, and exits 1', async () => {
    const result = await run(
      ['lint', 'good', 'broken/bad-enum.yaml', 'broken/missing-field.yaml', 'broken/yaml-syntax.yaml.txt'],
      { cwd: FIXTURES },
    );
    expect(result.code).toBe(1);
    expect(result.stderr).toBe('');
    expect(result.stdout.split('\n')).toEqual([
      'broken/bad-enum.yaml:4: language: Invalid option: expected one of "en"|"sv"|"da"|"nl" (got "fr")',
      expect.stringMatching(/^broken\/bad-enum\.yaml:26: hidden_facts\.1\.kind: Invalid option: /),
      'broken/missing-field.yaml:2: flat_no: required field is missing (expected string)',
      'broken/missing-field.yaml:8: persona.role: required field is missing (expected string)',
      expect.stringMatching(/^broken\/yaml-syntax\.yaml\.txt:23: invalid YAML: /),
      '5 problems in 3 files; 2 scenarios OK',
      '',
    ]);
  });

  it('fails on a path that does not exist', async () => {
    const { code, stdout } = await run(['lint', 'missing'], { cwd: FIXTURES });
    expect(code).toBe(1);
    expect(stdout).toBe(
      'missing: cannot read: no such file or directory\n1 problem in 1 file; 0 scenarios OK\n',
    );
  });
});

describe('scenarios list', () => {
  it('prints a table of the shipped scenarios', async () => {
    const { code, stdout, stderr } = await run(['list']);
    expect(code).toBe(0);
    expect(stderr).toBe('');
    const [header, ...rows] = stdout.trimEnd().split('\n');
    expect(header?.split(/\s+/)).toEqual(['id', 'language', 'sale', 'difficulty', 'start', 'title']);
    expect(rows.length).toBeGreaterThanOrEqual(10);
    expect(rows).toContainEqual(
      expect.stringMatching(/^da-rekruttering-naehh\s+da\s+complex\s+5\s+conversation\s+\S/),
    );
  });

  it('prints JSON summaries with --json', async () => {
    const { code, stdout } = await run(['list', '--json']);
    expect(code).toBe(0);
    const summaries = JSON.parse(stdout) as ScenarioSummary[];
    expect(summaries.length).toBeGreaterThanOrEqual(10);
    for (const s of summaries) {
      expect(Object.keys(s).sort()).toEqual([
        'difficulty',
        'id',
        'language',
        'persona',
        'sale',
        'start',
        'title',
      ]);
    }
    const order = summaries.map((s) => `${s.language}/${s.id}`);
    expect(order).toEqual([...order].sort());
  });

  it('lists the valid scenarios and reports problems on stderr', async () => {
    const { code, stdout, stderr } = await run(['list', '--json'], { cwd: FIXTURES, scenariosDir: 'broken' });
    expect(code).toBe(0);
    // duplicate-id.yaml is a valid scenario on its own; every other file in broken/ has a problem.
    expect((JSON.parse(stdout) as ScenarioSummary[]).map((s) => s.id)).toEqual(['fx-good-simple']);
    expect(stderr.trimEnd().split('\n')).toHaveLength(10);
    expect(stderr).toContain('broken/deep-type.yaml:30: hidden_facts.1.keywords: ');
  });

  it('exits 1 when nothing could be loaded', async () => {
    const { code, stdout, stderr } = await run(['list'], { cwd: FIXTURES, scenariosDir: 'nowhere' });
    expect(code).toBe(1);
    expect(stdout).toBe('No scenarios.\n');
    expect(stderr).toBe('nowhere: cannot read: no such file or directory\n');
  });
});

describe('usage', () => {
  it.each([[[]], [['check']], [['lint', '--fix']], [['list', '--yaml']], [['list', 'scenarios']]])(
    'rejects %j with usage on stderr and exit 2',
    async (args) => {
      const { code, stdout, stderr } = await run(args);
      expect(code).toBe(2);
      expect(stdout).toBe('');
      expect(stderr).toMatch(/^scenarios: .+\nUsage:\n {2}sparring scenarios lint/);
    },
  );

  it('prints usage on stdout for --help', async () => {
    const { code, stdout } = await run(['--help']);
    expect(code).toBe(0);
    expect(stdout).toContain('sparring scenarios list [--json]');
  });
});
