import { createCatalog, type ScenarioSummary } from '../scenarios/catalog.js';
import { formatProblem, loadScenarioFiles, type ScenarioProblem } from '../scenarios/loader.js';
import type { CliIo, ExitCode } from './io.js';

const USAGE = `Usage:
  sparring scenarios lint [paths...]   check scenario files or directories (default: the scenarios directory)
  sparring scenarios list [--json]     list the valid scenarios
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
  return usageError(io, command === undefined ? 'missing subcommand' : `unknown subcommand: ${command}`);
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
