import { GENERIC_REPS, type PanelRep, type PanelRun, panelFailures, runPanel } from '../authoring/panel.js';
import { createCatalog, type ScenarioSummary } from '../scenarios/catalog.js';
import { formatProblem, loadScenarioFiles, type ScenarioProblem } from '../scenarios/loader.js';
import type { CliIo, ExitCode } from './io.js';

const USAGE = `Usage:
  sparring scenarios lint [paths...]   check scenario files or directories (default: the scenarios directory)
  sparring scenarios list [--json]     list the valid scenarios
  sparring scenarios test [ids...] [--json]
                                       play the test panel against each buyer offline: generic reps that
                                       never listen must lose, the scenario's own test_rep must win
`;

const plural = (n: number, word: string) => `${n} ${word}${n === 1 ? '' : 's'}`;

/** `scenarios lint|list`: args are what follows `scenarios` on the command line. */
export async function runScenarios(
  args: readonly string[],
  io: CliIo,
  opts: { scenariosDir: string },
): Promise<ExitCode> {
  const [command, ...rest] = args;
  if (command === '--help' || command === '-h' || command === 'help') {
    io.stdout(USAGE);
    return 0;
  }
  if (command === 'lint') {
    const unknown = rest.find((a) => a.startsWith('-'));
    if (unknown) return usageError(io, `unknown option for lint: ${unknown}`);
    return lint(rest.length > 0 ? rest : [opts.scenariosDir], io);
  }
  if (command === 'list') {
    const unknown = rest.find((a) => a !== '--json');
    if (unknown) return usageError(io, `unexpected argument for list: ${unknown}`);
    return list(rest.includes('--json'), io, opts.scenariosDir);
  }
  if (command === 'test') {
    const unknown = rest.find((a) => a.startsWith('-') && a !== '--json');
    if (unknown) return usageError(io, `unknown option for test: ${unknown}`);
    return test(
      rest.filter((a) => a !== '--json'),
      rest.includes('--json'),
      io,
      opts.scenariosDir,
    );
  }
  return usageError(io, command === undefined ? 'missing subcommand' : `unknown subcommand: ${command}`);
}

async function test(
  ids: readonly string[],
  json: boolean,
  io: CliIo,
  scenariosDir: string,
): Promise<ExitCode> {
  const { scenarios, problems } = await loadScenarioFiles([scenariosDir], io.cwd);
  if (problems.length > 0) io.stderr(formatAll(problems, io.cwd));
  const missing = ids.filter((id) => !scenarios.some((s) => s.id === id));
  if (missing.length > 0) {
    io.stderr(`scenarios: no scenario with id ${missing.join(', ')}\n`);
    return 2;
  }
  const chosen = ids.length > 0 ? scenarios.filter((s) => ids.includes(s.id)) : scenarios;
  const results = [];
  for (const scenario of chosen) {
    const runs = await runPanel(scenario);
    results.push({ scenario: scenario.id, hasTestRep: scenario.test_rep !== undefined, runs });
  }
  const failures = results.flatMap((r) => panelFailures(r.runs));
  if (json) {
    const out = results.map((r) => ({
      scenario: r.scenario,
      runs: r.runs.map(({ transcript: _t, ...run }) => run),
    }));
    io.stdout(`${JSON.stringify({ results: out, failures: failures.length }, null, 2)}\n`);
  } else {
    io.stdout(matrix(results));
    const untested = results.filter((r) => !r.hasTestRep).map((r) => r.scenario);
    if (untested.length > 0) {
      io.stdout(`No test_rep (the good rep is not checked): ${untested.join(', ')}\n`);
    }
    io.stdout(
      failures.length === 0
        ? `${plural(results.length, 'scenario')}: every generic rep lost, every test_rep won.\n`
        : `${plural(failures.length, 'failure')}: ${failures.map((f) => `${f.scenario} ${f.rep} ${f.won ? 'won' : 'lost'}`).join('; ')}\n`,
    );
  }
  return failures.length === 0 ? 0 : 1;
}

/** One row per scenario, one column per rep: the outcome and the coach's verdict. */
function matrix(results: ReadonlyArray<{ scenario: string; runs: readonly PanelRun[] }>): string {
  const reps: PanelRep[] = [...GENERIC_REPS, 'test_rep'];
  const cell = (run: PanelRun | undefined) => (run ? `${run.won ? 'WON' : run.outcome} ${run.verdict}` : '-');
  const header = ['scenario', ...reps];
  const rows = results.map((r) => [
    r.scenario,
    ...reps.map((rep) => cell(r.runs.find((x) => x.rep === rep))),
  ]);
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((row) => row[i]!.length)));
  const render = (cells: readonly string[]) =>
    cells
      .map((c, i) => c.padEnd(widths[i]!))
      .join('  ')
      .trimEnd();
  const wins = reps.map((rep) => {
    const runs = results.flatMap((r) => r.runs.filter((x) => x.rep === rep));
    return `${runs.filter((x) => x.won).length}/${runs.length} won, ${runs.filter((x) => x.verdict === 'connected').length} connected`;
  });
  return `${[header, ...rows, ['total', ...wins]].map(render).join('\n')}\n`;
}

function usageError(io: CliIo, why: string): ExitCode {
  io.stderr(`scenarios: ${why}\n${USAGE}`);
  return 2;
}

async function lint(paths: readonly string[], io: CliIo): Promise<ExitCode> {
  const { scenarios, problems } = await loadScenarioFiles(paths, io.cwd);
  const ok = plural(scenarios.length, 'scenario');
  if (problems.length === 0) {
    io.stdout(`${ok} OK\n`);
    return 0;
  }
  io.stdout(formatAll(problems, io.cwd));
  const files = new Set(problems.map((p) => p.file)).size;
  io.stdout(`${plural(problems.length, 'problem')} in ${plural(files, 'file')}; ${ok} OK\n`);
  return 1;
}

async function list(json: boolean, io: CliIo, scenariosDir: string): Promise<ExitCode> {
  const { scenarios, problems } = await loadScenarioFiles([scenariosDir], io.cwd);
  // Problems go to stderr so that `list --json` output stays parseable while still being visible.
  if (problems.length > 0) io.stderr(formatAll(problems, io.cwd));
  const summaries = createCatalog(scenarios).summaries();
  io.stdout(json ? `${JSON.stringify(summaries, null, 2)}\n` : table(summaries));
  return summaries.length === 0 && problems.length > 0 ? 1 : 0;
}

const formatAll = (problems: readonly ScenarioProblem[], cwd: string) =>
  problems.map((p) => `${formatProblem(p, cwd)}\n`).join('');

function table(summaries: readonly ScenarioSummary[]): string {
  if (summaries.length === 0) return 'No scenarios.\n';
  const header = ['id', 'language', 'sale', 'difficulty', 'start', 'title'];
  const rows = summaries.map((s) => [s.id, s.language, s.sale, String(s.difficulty), s.start, s.title]);
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i]!.length)));
  const render = (cells: readonly string[]) =>
    cells
      .map((c, i) => (i === cells.length - 1 ? c : c.padEnd(widths[i]!)))
      .join('  ')
      .trimEnd();
  return `${[header, ...rows].map(render).join('\n')}\n`;
}
