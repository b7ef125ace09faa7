import readline from 'node:readline';
import { type Config, isOffline } from '../config.js';
import { createBrains, createCore, loadCatalog } from '../core.js';
import type { OutboxItem, Session } from '../domain/session.js';
import { AppError, isAppError } from '../errors.js';
import { fill, type Messages, messages } from '../i18n/messages.js';
import type { Llm } from '../llm/types.js';
import type { Logger } from '../logger.js';
import { MAX_REP_TEXT } from '../practice/practice.js';
import type { Scenario } from '../scenarios/schema.js';
import { readTerminalInput } from './commands.js';
import { formatFeedback } from './format.js';
import type { CliIo, ExitCode } from './io.js';
import { openPracticeStore } from './store.js';

export type PracticeOptions = { scenarioId: string; offline: boolean; json: boolean };

type Reason = keyof Messages['failureReason'];

/** Why the buyer could not answer, in the rep's language: the error code's reason, never the adapter's English. */
const failureReason = (t: Messages, code: string): string =>
  t.failureReason[code in t.failureReason ? (code as Reason) : 'other'];

/** Terminal role-play: the buyer opens, the rep types, `/done` ends with the feedback. Works with piped stdin. */
export async function runPractice(
  opts: PracticeOptions,
  io: CliIo,
  ctx: { config: Config; logger: Logger; llm?: Llm },
): Promise<ExitCode> {
  const { config, logger } = ctx;
  const offline = opts.offline || isOffline(config);
  // With --json, stdout carries exactly one JSON object; the conversation goes to stderr.
  const say = opts.json ? io.stderr : io.stdout;

  const { catalog } = await loadCatalog(config, logger, io.cwd);
  let scenario: Scenario;
  try {
    scenario = catalog.require(opts.scenarioId);
  } catch (err) {
    if (isAppError(err, 'scenario_not_found')) {
      io.stderr(`${err.message}\n`);
      return 1;
    }
    throw err;
  }
  const t = messages(scenario.language);
  const brains = await createBrains({ config, logger, offline, llm: ctx.llm });
  // Saved where the app saves its sessions, so `export` finds terminal practice too (surface 'cli').
  const { db, stored } = await openPracticeStore(config, logger, io.cwd);
  // Where the line editor echoes what the rep types: the conversation's stream. Without one (in-process, or output
  // redirected to a file) the terminal's own line discipline echoes, and readline must not take the terminal raw.
  const echo = opts.json ? io.streams?.stderr : io.streams?.stdout;
  const terminal = io.isTty && echo?.isTTY === true;

  const speaker = `${scenario.persona.name} (${scenario.persona.role}, ${scenario.persona.company})`;
  let outcome: Session['state']['outcome'] | null = null;
  let feedback: import('../coach/feedback.js').Feedback | null = null;
  // False when the session ended before the rep wrote anything: nothing to judge, and that is no failure.
  let judged = true;

  const deliver = async (session: Session, item: OutboxItem): Promise<string | null> => {
    const p = item.payload;
    switch (p.kind) {
      case 'header':
        // Slack's session message; the terminal's introduction comes with the opening.
        break;
      case 'opening':
        if (session.mode === 'offline') say(`── ${t.offlineBanner} ──\n`);
        say(`${fill(t.cliIntro, { title: scenario.title })}\n\n${scenario.brief.trim()}\n\n`);
        if (p.summary) say(`${t.closeDrillIntro}\n${p.summary.trim()}\n\n`);
        say(`${speaker}: ${p.text}\n`);
        break;
      case 'reply':
        say(`${scenario.persona.name}: ${p.text}\n`);
        break;
      case 'failure':
        // One line in the scenario's language; the details (status, stack) are in the log.
        say(`(${fill(t.cliBuyerFailed, { reason: failureReason(t, p.code) })})\n`);
        break;
      case 'notice':
        if (p.code === 'nothing_to_judge') judged = false;
        say(`(${p.code === 'nothing_to_judge' ? t.nothingToJudge : t.ignoredAfterEnd})\n`);
        break;
      case 'feedback':
        outcome = p.outcome;
        feedback = p.feedback;
        break;
    }
    return null;
  };

  // In a terminal, show that the buyer is "typing" while a model answers (offline replies are instant).
  const onWorking =
    terminal && brains.mode === 'llm'
      ? async () => {
          say(`${scenario.persona.name} …\n`);
        }
      : undefined;
  const { practice } = createCore({ config, logger, db, brains, catalog, deliver, onWorking });
  const session = await practice.start({ scenarioId: scenario.id, surface: 'cli', userId: 'terminal' });
  if (!stored) say(`(${t.cliNotStored})\n`);
  await practice.run(session.id);

  const rl = readline.createInterface({
    input: io.stdin,
    output: terminal ? echo : undefined,
    terminal,
    prompt: '> ',
    crlfDelay: Number.POSITIVE_INFINITY,
  });
  let interrupted = false;
  rl.on('SIGINT', () => {
    interrupted = true;
    rl.close();
  });
  const prompt = () => {
    if (terminal) rl.prompt();
  };

  let quit = false;
  try {
    prompt();
    for await (const line of rl) {
      const text = line.trim();
      const input = readTerminalInput(line);
      // Piped input is not echoed by any terminal: show it, so the conversation reads as one.
      if (!io.isTty) say(`> ${text}\n`);
      if (input.kind === 'done') break;
      if (input.kind === 'quit') {
        quit = true;
        break;
      }
      if (input.kind === 'help') {
        say(`${t.cliHelp}\n`);
      } else if (input.kind === 'unknown') {
        const hint = input.suggestion
          ? fill(t.cliDidYouMean, { command: input.suggestion })
          : t.cliCommandList;
        say(`(${fill(t.cliUnknownCommand, { command: input.command })} ${hint})\n`);
      } else if (input.kind === 'retry') {
        if ((await practice.retry(session.id)) === 0) say(`(${t.cliNothingToRetry})\n`);
        else await practice.run(session.id);
      } else {
        try {
          await practice.submit(session.id, { text: line });
          await practice.run(session.id);
        } catch (err) {
          if (isAppError(err, 'text_empty')) say(`(${t.textEmpty})\n`);
          else if (isAppError(err, 'text_too_long'))
            say(`(${fill(t.textTooLong, { length: line.trim().length, max: MAX_REP_TEXT })})\n`);
          else throw err;
        }
      }
      if ((await practice.get(session.id))?.status === 'ended') break;
      prompt();
    }
  } finally {
    rl.close();
  }

  if (interrupted) {
    say('\n');
    await db.close();
    return 130;
  }
  if (!quit && (await practice.get(session.id))?.status === 'active') {
    say(`\n${t.coaching}\n`);
    await practice.requestEnd(session.id);
    await practice.run(session.id);
  }
  const transcript = await practice.transcript(session.id);
  if (feedback)
    say(`\n${formatFeedback(feedback, { language: scenario.language, turns: transcript.turns, outcome })}\n`);
  // How the conversation ended (yes | next_step | no | open), beside the transcript and the feedback.
  if (opts.json) io.stdout(`${JSON.stringify({ transcript, feedback, outcome: outcome ?? 'open' })}\n`);
  await db.close();
  if (!feedback && !quit && judged)
    throw new AppError('llm_unavailable', 'The session ended without feedback.');
  return 0;
}
