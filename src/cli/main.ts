import { parseArgs } from 'node:util';
import { loadConfig, loadDotEnv } from '../config.js';
import { isEntryPoint } from '../entry.js';
import { isAppError } from '../errors.js';
import type { Llm } from '../llm/types.js';
import { createLogger, type Logger } from '../logger.js';
import { runCoach, runEval } from './coach.js';
import { runExport } from './export.js';
import type { CliIo, ExitCode } from './io.js';
import { createPracticeLogger } from './logs.js';
import { runPractice } from './practice.js';
import { runScenarios } from './scenarios.js';

/** A shipped scenario the usage text names as an example (a test checks that it exists). */
export const EXAMPLE_SCENARIO = 'en-florist-card-readers';

export const USAGE = `Usage: npm run -s sparring -- <command>

Commands:
  practice <scenario-id> [--offline] [--json]   role-play in the terminal; /done ends with feedback,
                                                /help lists the commands (scenarios list: the ids)
  coach <transcript.json|-> [--json]            feedback on a transcript (interchange format)
  eval <labelled.jsonl> [--json]                agreement of the coach with human labels
  scenarios lint [paths…]                       validate scenario files (exit 1 on problems)
  scenarios list [--json]                       the scenario catalogue
  export [--user U] [--since DATE] [--labelled] stored sessions as JSON lines with their feedback;
                                                --labelled: corrected sessions, for eval

Options:
  --offline   scripted buyer and metrics-only coach; automatic when neither OPENAI_API_KEY
              nor OPENAI_BASE_URL is set
  --json      machine-readable output on stdout
`;

export type CliContext = {
  /** Tests pass a fake model and logger; otherwise they come from the configuration. */
  llm?: Llm;
  logger?: Logger;
};

/** Runs one CLI command in-process and returns its exit code; nothing here calls process.exit. */
export async function runCli(argv: readonly string[], io: CliIo, ctx: CliContext = {}): Promise<ExitCode> {
  let parsed: ReturnType<typeof parse>;
  try {
    parsed = parse(argv);
  } catch (err) {
    io.stderr(`${(err as Error).message}\n\n${USAGE}`);
    return 2;
  }
  const { values, positionals } = parsed;
  const [command, ...rest] = positionals;
  if (values.help || !command || command === 'help') {
    (command || values.help ? io.stdout : io.stderr)(USAGE);
    return command || values.help ? 0 : 2;
  }

  try {
    const config = loadConfig(io.env);
    // The CLI keeps its logs quiet unless asked: its output is the conversation. A terminal session writes its
    // warnings to a log file, so that no JSON lands between the buyer's lines.
    const logger =
      ctx.logger ??
      (io.env.LOG_LEVEL
        ? createLogger(config.logLevel)
        : command === 'practice'
          ? createPracticeLogger(config, io.cwd)
          : createLogger('warn'));
    const common = { config, logger, llm: ctx.llm };
    const offline = values.offline ?? false;
    const json = values.json ?? false;
    switch (command) {
      case 'practice':
        if (rest.length !== 1)
          return usage(io, `practice needs one scenario id, e.g. \`practice ${EXAMPLE_SCENARIO}\``);
        return await runPractice({ scenarioId: rest[0]!, offline, json }, io, common);
      case 'coach':
        if (rest.length !== 1) return usage(io, 'coach needs one transcript file (or - for stdin)');
        return await runCoach({ file: rest[0]!, json, offline }, io, common);
      case 'eval':
        if (rest.length !== 1) return usage(io, 'eval needs one labelled .jsonl file');
        return await runEval({ file: rest[0]!, json, offline }, io, common);
      case 'export':
        if (rest.length !== 0) return usage(io, 'export takes only options: --user U --since DATE');
        return await runExport(
          { user: values.user, since: values.since, labelled: values.labelled },
          io,
          common,
        );
      case 'scenarios':
        return await runScenarios([...rest, ...(json ? ['--json'] : [])], io, {
          scenariosDir: config.scenariosDir,
        });
      default:
        return usage(io, `Unknown command "${command}".`);
    }
  } catch (err) {
    if (isAppError(err)) {
      io.stderr(`${err.message}\n`);
      return 1;
    }
    throw err;
  }
}

const parse = (argv: readonly string[]) =>
  parseArgs({
    args: [...argv],
    allowPositionals: true,
    strict: true,
    options: {
      offline: { type: 'boolean' },
      json: { type: 'boolean' },
      help: { type: 'boolean', short: 'h' },
      user: { type: 'string' },
      since: { type: 'string' },
      labelled: { type: 'boolean' },
    },
  });

function usage(io: CliIo, problem: string): ExitCode {
  io.stderr(`${problem}\n\n${USAGE}`);
  return 2;
}

if (isEntryPoint(import.meta.url)) {
  loadDotEnv();
  const io: CliIo = {
    stdin: process.stdin,
    stdout: (s) => process.stdout.write(s),
    stderr: (s) => process.stderr.write(s),
    env: process.env,
    cwd: process.cwd(),
    // Whether the rep types at a terminal; practice checks its output stream too before editing lines.
    isTty: Boolean(process.stdin.isTTY),
    streams: { stdout: process.stdout, stderr: process.stderr },
  };
  runCli(process.argv.slice(2), io).then(
    (code) => {
      process.exitCode = code;
    },
    (err) => {
      process.stderr.write(
        `Unexpected error: ${err instanceof Error ? (err.stack ?? err.message) : String(err)}\n`,
      );
      process.exitCode = 1;
    },
  );
}
