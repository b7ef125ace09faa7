import path from 'node:path';
import type { Config } from '../config.js';
import { AppError } from '../errors.js';
import type { Logger } from '../logger.js';
import { toTranscript } from '../practice/practice.js';
import { openDb } from '../store/db.js';
import { createSessionStore } from '../store/sessions.js';
import { createVerdictStore } from '../store/verdicts.js';
import type { CliIo, ExitCode } from './io.js';
import { requireExistingStore } from './store.js';

/**
 * `export [--user U] [--since DATE] [--labelled]`: every stored session as one JSON line in the interchange
 * format, with its feedback and outcome. With `--labelled`, only the sessions a manager corrected, in the
 * labelled format of transcripts/README.md (`labels`: the manager's latest verdict and the label fields they
 * checked), so that `eval` measures the coach against the team's own judgements. Reads DATABASE_URL, or the embedded store in SPARRING_DATA_DIR: an embedded store has one
 * process at a time, so while the app holds it, export refuses with the app's pid (openDb's lock).
 */
export async function runExport(
  opts: { user?: string; since?: string; labelled?: boolean },
  io: CliIo,
  ctx: { config: Config; logger: Logger },
): Promise<ExitCode> {
  // Only reads: a mistyped data directory is an error, not a new empty store.
  await requireExistingStore(ctx.config, io.cwd);
  let since: Date | undefined;
  if (opts.since) {
    since = new Date(opts.since);
    if (Number.isNaN(since.getTime())) {
      throw new AppError('invalid_input', `--since: "${opts.since}" is not a date (use e.g. 2026-11-01).`);
    }
  }
  const db = await openDb({
    databaseUrl: ctx.config.store.databaseUrl,
    dataDir: path.resolve(io.cwd, ctx.config.store.dataDir),
    logger: ctx.logger,
    purpose: 'sparring export',
  });
  try {
    const store = createSessionStore(db);
    if (opts.labelled) {
      const corrections = await createVerdictStore(db).latestCorrections({ userId: opts.user, since });
      let written = 0;
      for (const c of corrections) {
        const session = await store.get(c.sessionId);
        if (!session) continue;
        const line = {
          id: session.id,
          ...toTranscript(session, await store.turns(session.id)),
          labels: { ...c.labels, verdict: c.verdict },
          correctedBy: c.managerId,
          correctedAt: c.createdAt.toISOString(),
          ...(c.note ? { note: c.note } : {}),
          coachVerdict: (await store.feedback(session.id))?.verdict ?? null,
        };
        io.stdout(`${JSON.stringify(line)}\n`);
        written++;
      }
      io.stderr(`${written} corrected sessions exported (labelled)\n`);
      return 0;
    }
    const sessions = await store.list({ userId: opts.user, since, limit: 1_000_000 });
    for (const session of sessions.reverse()) {
      const line = {
        id: session.id,
        ...toTranscript(session, await store.turns(session.id)),
        user: session.userId,
        channel: session.channelId,
        surface: session.surface,
        mode: session.mode,
        status: session.status,
        outcome: session.state.outcome,
        createdAt: session.createdAt.toISOString(),
        endedAt: session.endedAt?.toISOString() ?? null,
        usage: session.usage,
        feedback: await store.feedback(session.id),
      };
      io.stdout(`${JSON.stringify(line)}\n`);
    }
    io.stderr(`${sessions.length} session${sessions.length === 1 ? '' : 's'} exported\n`);
    return 0;
  } finally {
    await db.close();
  }
}
