import { copyFile, mkdir, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterEach, describe, expect, it } from 'vitest';
import { formatProblem, loadScenarioFiles, parseScenario } from '../../src/scenarios/loader.js';

const FIXTURES = fileURLToPath(new URL('../fixtures/scenarios/', import.meta.url));
const GOOD_SIMPLE = path.join(FIXTURES, 'good', 'good-simple.yaml');
const SYNTAX_ERROR = 'broken/yaml-syntax.yaml.txt';

const lines = (problems: Parameters<typeof formatProblem>[0][], cwd = FIXTURES) =>
  problems.map((p) => formatProblem(p, cwd));

describe('loadScenarioFiles', () => {
  it('reports every problem in every broken file and still loads the good ones in the same run', async () => {
    // The YAML syntax fixture is not *.yaml (Biome would fail on it), so it is named explicitly.
    const { scenarios, problems } = await loadScenarioFiles(['good', 'broken', SYNTAX_ERROR], FIXTURES);

    expect(scenarios.map((s) => s.id)).toEqual(['fx-good-close', 'fx-good-simple']);
    expect(lines(problems)).toEqual([
      'broken/bad-enum.yaml:4: language: Invalid option: expected one of "en"|"sv"|"da"|"nl" (got "fr")',
      'broken/bad-enum.yaml:26: hidden_facts.1.kind: Invalid option: expected one of "pain"|"current_state"|' +
        '"workaround"|"decision_group"|"budget"|"status_quo"|"timeline"|"internal_impact"|"other" (got "money")',
      'broken/close-without-summary.yaml:2: close_summary: a close drill (start: close) needs close_summary',
      'broken/deep-type.yaml:30: hidden_facts.1.keywords: Invalid input: expected array, received string',
      'broken/deep-type.yaml:31: hidden_facts.1.min_trust: Invalid input: expected number, received string',
      'broken/duplicate-id.yaml:2: id: duplicate scenario id "fx-good-simple" (already defined in ../good/good-simple.yaml)',
      'broken/empty.yaml:1: the file is empty; expected a scenario',
      'broken/missing-field.yaml:2: flat_no: required field is missing (expected string)',
      'broken/missing-field.yaml:8: persona.role: required field is missing (expected string)',
      'broken/unknown-field.yaml:24: hidden_facts.0.esential: unknown field (did you mean "essential"?)',
      'broken/wrong-earned-yes.yaml:39: earned_yes.kind: a complex sale is won with a next step: use "next_step"',
      'broken/yaml-syntax.yaml.txt:23: invalid YAML: Nested mappings are not allowed in compact mappings ' +
        '(put text that contains ": " in quotes)',
    ]);
  });

  it('keeps the first file of a duplicate id, in the order the paths were given', async () => {
    const { scenarios, problems } = await loadScenarioFiles(['broken/duplicate-id.yaml', 'good'], FIXTURES);
    expect(scenarios.map((s) => [s.id, path.relative(FIXTURES, s.source!)])).toEqual([
      ['fx-good-simple', 'broken/duplicate-id.yaml'],
      ['fx-good-close', 'good/good-close.yml'],
    ]);
    expect(lines(problems)).toEqual([
      'good/good-simple.yaml:2: id: duplicate scenario id "fx-good-simple" (already defined in ../broken/duplicate-id.yaml)',
    ]);
  });

  it('applies schema defaults and records the absolute source path', async () => {
    const { scenarios, problems } = await loadScenarioFiles([GOOD_SIMPLE]);
    expect(problems).toEqual([]);
    const [s] = scenarios;
    expect(s?.source).toBe(GOOD_SIMPLE);
    expect(s?.start).toBe('conversation');
    expect(s?.offline.trust_start).toBe(25);
    expect(s?.hidden_facts.map((f) => [f.id, f.min_trust, f.essential])).toEqual([
      ['market', 20, true],
      ['budget', 30, false],
    ]);
  });

  it('turns a missing path into a problem without stopping the other paths', async () => {
    const { scenarios, problems } = await loadScenarioFiles(['nope.yaml', 'good/good-simple.yaml'], FIXTURES);
    expect(scenarios.map((s) => s.id)).toEqual(['fx-good-simple']);
    expect(lines(problems)).toEqual(['nope.yaml: cannot read: no such file or directory']);
  });

  it('loads a file named twice (directly and through its directory) once', async () => {
    const { scenarios, problems } = await loadScenarioFiles(['good', 'good/good-simple.yaml'], FIXTURES);
    expect(problems).toEqual([]);
    expect(scenarios).toHaveLength(2);
  });

  describe('directories', () => {
    let dir = '';
    afterEach(async () => {
      if (dir) await rm(dir, { recursive: true, force: true });
    });

    it('reads only *.yaml and *.yml directly inside, sorted, and not sub-directories', async () => {
      dir = await mkdtemp(path.join(tmpdir(), 'sparring-scenarios-'));
      await mkdir(path.join(dir, 'nested'));
      await copyFile(GOOD_SIMPLE, path.join(dir, 'nested', 'b.yaml'));
      await copyFile(path.join(FIXTURES, 'good', 'good-close.yml'), path.join(dir, 'a.YML'));
      const { scenarios, problems } = await loadScenarioFiles([dir]);
      expect(problems).toEqual([]);
      expect(scenarios.map((s) => s.id)).toEqual(['fx-good-close']);
    });

    it('reports a directory without scenario files', async () => {
      dir = await mkdtemp(path.join(tmpdir(), 'sparring-scenarios-'));
      const { scenarios, problems } = await loadScenarioFiles([dir]);
      expect(scenarios).toEqual([]);
      expect(lines(problems, dir)).toEqual([`${dir}: no scenario files (*.yaml, *.yml) here`]);
    });
  });
});

describe('parseScenario', () => {
  it.each([
    ['', 'x.yaml:1: the file is empty; expected a scenario'],
    ['- a\n- b\n', 'x.yaml:1: Invalid input: expected object, received array'],
    ['just a sentence\n', 'x.yaml:1: Invalid input: expected object, received string'],
    ['id: a\nid: b\n', 'x.yaml:2: invalid YAML: Map keys must be unique (each field may appear only once)'],
    [
      'id: *nowhere\n',
      'x.yaml:1: invalid YAML: Unresolved alias (the anchor must be set before the alias): nowhere',
    ],
    ['\tid: x\n', 'x.yaml:1: invalid YAML: Tabs are not allowed as indentation (indent with spaces)'],
  ])('never throws on bad input: %j', (source, expected) => {
    const { scenario, problems } = parseScenario(source, 'x.yaml');
    expect(scenario).toBeNull();
    expect(lines(problems)[0]).toBe(expected);
  });

  it('reports all problems of a file, sorted by line, each at its field or nearest parent', () => {
    const source = [
      'id: Not Valid', // 1
      'title: ""', // 2
      'language: en', // 3
      'sale: simple', // 4
      'difficulty: 9', // 5
      'persona:', // 6
      '  name: Sam', // 7
      'hidden_facts:', // 8
      '  - id: a', // 9
      '    kind: pain', // 10
      '    keywords: []', // 11
    ].join('\n');
    const { scenario, problems } = parseScenario(source, 'x.yaml');
    expect(scenario).toBeNull();
    const out = lines(problems);
    expect(out.slice(0, 6)).toEqual([
      'x.yaml:1: id: use 3-64 lower-case letters, digits and dashes',
      'x.yaml:1: brief: required field is missing (expected string)',
      'x.yaml:1: situation: required field is missing (expected string)',
      'x.yaml:1: buying_process: required field is missing (expected string)',
      'x.yaml:1: objections: required field is missing (expected array)',
      'x.yaml:1: disguised_nos: required field is missing (expected array)',
    ]);
    expect(out).toContain('x.yaml:2: title: title must not be empty');
    expect(out).toContain('x.yaml:5: difficulty: Too big: expected number to be <=5');
    expect(out).toContain('x.yaml:6: persona.role: required field is missing (expected string)');
    expect(out).toContain('x.yaml:9: hidden_facts.0.fact: required field is missing (expected string)');
    expect(out).toContain('x.yaml:11: hidden_facts.0.keywords: give at least one keyword');
    expect(problems.map((p) => p.line)).toEqual([...problems.map((p) => p.line)].sort((a, b) => a - b));
  });

  it('points a problem in a block value at its key, not at the text below it', async () => {
    const { readFile } = await import('node:fs/promises');
    const source = (await readFile(GOOD_SIMPLE, 'utf8')).replace(
      'brief: You call Sam at a small bakery about card readers. She asked for a callback.',
      'brief: |\n  \n',
    );
    const { problems } = parseScenario(source, 'x.yaml');
    expect(lines(problems)).toEqual(['x.yaml:7: brief: brief must not be empty']);
  });
});

describe('formatProblem', () => {
  const base = { line: 3, path: 'persona.name', message: 'boom' };

  it('shortens a path inside cwd and keeps one outside it', () => {
    expect(formatProblem({ ...base, file: '/srv/app/scenarios/a.yaml' }, '/srv/app')).toBe(
      'scenarios/a.yaml:3: persona.name: boom',
    );
    expect(formatProblem({ ...base, file: '/etc/a.yaml' }, '/srv/app')).toBe(
      '/etc/a.yaml:3: persona.name: boom',
    );
    expect(formatProblem({ ...base, file: 'a.yaml' }, '/srv/app')).toBe('a.yaml:3: persona.name: boom');
  });

  it('leaves out the line for whole-file problems and the path for problems without a field', () => {
    expect(formatProblem({ file: 'a.yaml', line: 0, path: '', message: 'cannot read' }, '/')).toBe(
      'a.yaml: cannot read',
    );
    expect(formatProblem({ file: 'a.yaml', line: 4, path: '', message: 'invalid YAML' }, '/')).toBe(
      'a.yaml:4: invalid YAML',
    );
  });
});

describe('reserved ids', () => {
  it('refuses an id that /spar reads as a subcommand, on its line', async () => {
    const { readFile } = await import('node:fs/promises');
    const source = await readFile(
      path.join(path.dirname(fileURLToPath(import.meta.url)), '../../scenarios/en-florist-card-readers.yaml'),
      'utf8',
    );
    const renamed = source.replace(/^id: .*$/m, 'id: drill');
    const line = renamed.split('\n').findIndex((l) => l === 'id: drill') + 1;
    const { scenario, problems } = parseScenario(renamed, 'drill.yaml');
    expect(scenario).toBeNull();
    expect(problems).toEqual([
      { file: 'drill.yaml', line, path: 'id', message: '"drill" is a /spar subcommand; choose another id' },
    ]);
  });
});
