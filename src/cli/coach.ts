import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { evaluate, formatEvalReport, parseLabelledJsonl } from '../coach/eval.js';
import { type Config, isOffline } from '../config.js';
import { createBrains, loadCatalog } from '../core.js';
import { LANGUAGES } from '../domain/language.js';
import { type Transcript, TranscriptSchema } from '../domain/transcript.js';
import { AppError } from '../errors.js';
import type { Llm } from '../llm/types.js';
import type { Logger } from '../logger.js';
import type { Scenario } from '../scenarios/schema.js';
import { formatFeedback } from './format.js';
import type { CliIo, ExitCode } from './io.js';

type Ctx = { config: Config; logger: Logger; llm?: Llm };

async function readInput(file: string, io: CliIo): Promise<string> {
  if (file === '-') {
    const chunks: Buffer[] = [];
    for await (const chunk of io.stdin) chunks.push(Buffer.from(chunk));
    return Buffer.concat(chunks).toString('utf8');
  }
  try {
    return await readFile(path.resolve(io.cwd, file), 'utf8');
  } catch (err) {
    throw new AppError(
      'transcript_invalid',
      `${file}: cannot read the file (${(err as NodeJS.ErrnoException).code ?? err})`,
      {
        cause: err,
      },
    );
  }
}

/** Parses an interchange-format transcript; errors name the file and the field. */
export function parseTranscript(text: string, file: string): Transcript {
  let data: unknown;
  try {
    data = JSON.parse(text);
  } catch (err) {
    throw new AppError('transcript_invalid', `${file}: not valid JSON (${(err as Error).message})`);
  }
  const parsed = TranscriptSchema.safeParse(data);
  if (!parsed.success) {
    const problems = parsed.error.issues.map(
      (i) => `${file}: ${i.path.join('.') || '(top level)'}: ${i.message}`,
    );
    throw new AppError('transcript_invalid', problems.join('\n'));
  }
  return parsed.data;
}

/**
 * The scenario each transcript was practised on, from the catalogue, so that a close drill is coached with its
 * summary; the catalogue is only read when some transcript names a scenario. An unknown id coaches without one.
 */
async function scenariosFor(
  transcripts: readonly Transcript[],
  io: CliIo,
  ctx: Ctx,
): Promise<(Scenario | undefined)[]> {
  if (!transcripts.some((t) => t.scenario)) return transcripts.map(() => undefined);
  const { catalog } = await loadCatalog(ctx.config, ctx.logger, io.cwd);
  return transcripts.map((t) => (t.scenario ? catalog.get(t.scenario) : undefined));
}

/** The languages of these transcripts that Sparring has no rules for, with how many transcripts are in each. */
export function unknownLanguages(transcripts: readonly Pick<Transcript, 'language'>[]): Map<string, number> {
  const unknown = new Map<string, number>();
  for (const { language } of transcripts) {
    if (!language || (LANGUAGES as readonly string[]).includes(language.toLowerCase().slice(0, 2))) continue;
    unknown.set(language, (unknown.get(language) ?? 0) + 1);
  }
  return unknown;
}

/**
 * A transcript in a language without rules is still coached (the format allows any language code), with the
 * English ones: said on stderr, so that the coach JSON on stdout stays as it is.
 */
function warnUnknownLanguages(transcripts: readonly Transcript[], file: string, io: CliIo): void {
  const unknown = unknownLanguages(transcripts);
  if (unknown.size === 0) return;
  if (file === '-') file = 'stdin';
  const known = LANGUAGES.join(', ');
  if (transcripts.length === 1) {
    const [language] = unknown.keys();
    io.stderr(
      `warning: ${file}: language "${language}" is not one Sparring knows (${known}); the transcript was read with the English rules.\n`,
    );
    return;
  }
  const n = [...unknown.values()].reduce((a, b) => a + b, 0);
  const each = [...unknown].map(([language, count]) => `"${language}": ${count}`).join(', ');
  io.stderr(
    `warning: ${file}: ${n} transcript${n === 1 ? '' : 's'} in a language Sparring does not know (${each}; it knows ${known}); ${n === 1 ? 'it was' : 'they were'} read with the English rules.\n`,
  );
}

/** `coach <transcript.json> [--json]`: feedback on one transcript. */
export async function runCoach(
  opts: { file: string; json: boolean; offline: boolean },
  io: CliIo,
  ctx: Ctx,
): Promise<ExitCode> {
  const transcript = parseTranscript(await readInput(opts.file, io), opts.file);
  warnUnknownLanguages([transcript], opts.file, io);
  const brains = await createBrains({ ...ctx, offline: opts.offline || isOffline(ctx.config) });
  const [scenario] = await scenariosFor([transcript], io, ctx);
  const { feedback } = await brains.coach.evaluate(transcript, scenario);
  io.stdout(
    opts.json
      ? `${JSON.stringify(feedback, null, 2)}\n`
      : `${formatFeedback(feedback, { language: transcript.language, turns: transcript.turns })}\n`,
  );
  return 0;
}

/** `eval <labelled.jsonl> [--json]`: how well the coach agrees with human labels. */
export async function runEval(
  opts: { file: string; json: boolean; offline: boolean },
  io: CliIo,
  ctx: Ctx,
): Promise<ExitCode> {
  const rows = parseLabelledJsonl(await readInput(opts.file, io), opts.file);
  warnUnknownLanguages(rows, opts.file, io);
  const brains = await createBrains({ ...ctx, offline: opts.offline || isOffline(ctx.config) });
  const scenarios = await scenariosFor(rows, io, ctx);
  const feedbacks = [];
  for (const [i, row] of rows.entries()) {
    feedbacks.push((await brains.coach.evaluate(row, scenarios[i])).feedback);
  }
  const report = evaluate(rows, feedbacks);
  io.stdout(
    opts.json
      ? `${JSON.stringify({ mode: brains.mode, ...report }, null, 2)}\n`
      : `${formatEvalReport(report)}\n`,
  );
  return 0;
}
