import { EventEmitter } from 'node:events';
import path from 'node:path';
import {
  type Config,
  type Env,
  isOffline,
  loadConfig,
  loadDotEnv,
  missingSlackSettings,
  slackMode,
} from './config.js';
import { createBrains, createCore, loadCatalog } from './core.js';
import { isEntryPoint } from './entry.js';
import { isAppError } from './errors.js';
import type { Llm } from './llm/types.js';
import { asyncStderr, createLogger, type Logger } from './logger.js';
import { createHousekeeping } from './practice/housekeeping.js';
import type { Deliver } from './practice/practice.js';
import { createLiveCatalog } from './scenarios/live-catalog.js';
import {
  createSlackApp,
  createSlackDeliver,
  createTypingIndicator,
  initSlackApp,
  registerListeners,
} from './slack/app.js';
import { createTeamFeatures } from './slack/team.js';
import { openDb } from './store/db.js';
import { createScenarioStore } from './store/scenarios.js';

export type RunningApp = {
  /** The HTTP port in HTTP mode (useful with PORT=0), null in Socket Mode. */
  port: number | null;
  mode: 'socket' | 'http';
  stop(): Promise<void>;
};

export type StartOptions = {
  env?: Env;
  cwd?: string;
  logger?: Logger;
  /** Tests pass a fake model; otherwise the configured OpenAI-compatible server is used. */
  llm?: Llm;
  /** Sweeper period for work left behind (crash, failed delivery); 0 disables it. */
  sweepMs?: number;
  leaseMs?: number;
  instanceId?: string;
  /**
   * The app can take no more requests (HTTP mode's acceptor thread stopped): it is logged at fatal, then this is
   * called. `npm start` stops the app and exits with 1, so that a supervisor starts it again.
   */
  onFatal?: (err: Error) => void;
};

/** The message `npm start` prints when Slack is not configured: what is missing, and what works without it. */
export function missingSettingsMessage(missing: readonly string[]): string {
  return [
    'Sparring cannot start the Slack app: these settings are missing.',
    ...missing.map((m) => `  - ${m}`),
    '',
    'Put them in the environment or in a .env file (see .env.example and README "Install in your workspace").',
    'To practise without Slack, and without any keys (offline mode):',
    '  npm run -s sparring -- practice <scenario-id>',
    '  npm run -s sparring -- scenarios list',
  ].join('\n');
}

/** Starts Sparring in Slack: the store, the scenarios, the buyer and coach, and Bolt in Socket or HTTP mode. */
export async function startApp(opts: StartOptions = {}): Promise<RunningApp> {
  const config: Config = loadConfig(opts.env ?? process.env);
  const cwd = opts.cwd ?? process.cwd();
  const logger = opts.logger ?? createLogger(config.logLevel, undefined);
  const log = logger.child({ module: 'main' });
  const offline = isOffline(config);
  const mode = slackMode(config);

  const db = await openDb({
    databaseUrl: config.store.databaseUrl,
    dataDir: path.resolve(cwd, config.store.dataDir),
    logger,
    purpose: 'the Slack app',
  });
  const { catalog: files } = await loadCatalog(
    { ...config, scenariosDir: path.resolve(cwd, config.scenariosDir) },
    logger,
    cwd,
  );
  // The files plus the scenarios written in Slack, reloaded when another instance stores one.
  const catalog = await createLiveCatalog({ files: files.all(), source: createScenarioStore(db), logger });
  const brains = await createBrains({
    config: { ...config, promptsDir: path.resolve(cwd, config.promptsDir) },
    logger,
    offline,
    llm: opts.llm,
  });

  // The store is built with the practice use cases below, on Bolt's client; requests only arrive after start.
  let sessionStore: ReturnType<typeof createCore>['store'] | null = null;
  const storeNow = () => {
    if (!sessionStore) throw new Error('the store is not ready yet');
    return sessionStore;
  };
  const app = createSlackApp({
    config,
    logger,
    claimSignature: (signature) => storeNow().claimRequest(signature),
    healthCheck: () => storeNow().ping(),
  });
  try {
    await initSlackApp(app, config);
  } catch (err) {
    await db.close();
    throw err;
  }
  // Bolt owns the Web API client; delivery needs it, and the listeners need the practice built on delivery.
  let deliver: Deliver = async () => null;
  const { practice, store } = createCore({
    config,
    logger,
    db,
    brains,
    catalog,
    deliver: (session, item) => deliver(session, item),
    onWorking: createTypingIndicator({ client: app.client, logger }),
    instanceId: opts.instanceId,
    leaseMs: opts.leaseMs,
  });
  sessionStore = store;
  deliver = createSlackDeliver({ client: app.client, catalog, store, logger });
  const slackDeps = { practice, store, catalog, config, logger, mode: brains.mode };
  registerListeners(app, { ...slackDeps, eventTakeOverMs: opts.leaseMs });
  const team = createTeamFeatures({ ...slackDeps, app, db, instanceId: opts.instanceId });

  if (db.kind === 'pglite') {
    // One process per embedded store: whatever a crashed run of it held is free again.
    await store.clearLeases();
    const released = await store.releaseUnstoredEvents();
    if (released > 0) {
      logger.info({ events: released }, 'Slack events a stopped run had not stored are open to redelivery');
    }
  }
  const port = mode === 'http' ? config.slack.port : null;
  const host = config.slack.host;
  const server = port === null ? await app.start() : await app.start(host ? { port, host } : port);
  const address = server && typeof server === 'object' && 'address' in server ? server.address() : null;
  const boundPort = address && typeof address === 'object' ? address.port : port;
  if (port !== null && server instanceof EventEmitter) {
    server.on('error', (err: Error) => {
      log.fatal({ err }, 'the HTTP server can take no more requests');
      opts.onFatal?.(err);
    });
  }

  const sweepMs = opts.sweepMs ?? 10_000;
  const sweep = () => practice.sweep().catch((err) => log.warn({ err }, 'sweep failed'));
  void sweep();
  const timer = sweepMs > 0 ? setInterval(sweep, sweepMs) : null;
  timer?.unref();

  const housekeeping = createHousekeeping({ store, retentionDays: config.store.retentionDays, logger });
  const tidy = () => housekeeping.run().catch((err) => log.warn({ err }, 'housekeeping failed'));
  void tidy();
  const hourly = setInterval(tidy, 3_600_000);
  hourly.unref();
  // Weekly drills (a tick now, then every 30 s) and the catalog refresh (every 5 s).
  team.start();

  log.info(
    { mode, port: boundPort, llm: brains.mode, store: db.kind, scenarios: catalog.all().length },
    'sparring started',
  );
  return {
    port: boundPort,
    mode,
    async stop() {
      if (timer) clearInterval(timer);
      clearInterval(hourly);
      await team.stop();
      await app.stop().catch((err: unknown) => log.warn({ err }, 'stopping bolt failed'));
      // Finish what is in flight (a reply being posted), so a restart does not post it a second time.
      await practice.idle(10_000);
      await db.close();
    },
  };
}

async function main(): Promise<void> {
  let config: Config;
  try {
    loadDotEnv();
    config = loadConfig(process.env);
  } catch (err) {
    process.stderr.write(`${isAppError(err) ? err.message : String(err)}\n`);
    process.exit(1);
  }
  const missing = missingSlackSettings(config);
  if (missing.length > 0) {
    process.stderr.write(`${missingSettingsMessage(missing)}\n`);
    process.exit(1);
  }
  const logger = createLogger(config.logLevel, asyncStderr());
  // Bolt's HTTP receiver has promises of its own that nobody awaits (a signed body of JSON null rejected one; the
  // request guard now answers that 400 first): such a failure concerns one request, so it is logged and the app
  // keeps serving the others.
  process.on('unhandledRejection', (reason) => {
    logger.error({ err: reason, module: 'main' }, 'unhandled rejection');
  });
  let running: RunningApp | undefined;
  let stopping = false;
  const shutdown = (why: string, code: number) => {
    if (stopping) return;
    stopping = true;
    process.stderr.write(`${why}: stopping Sparring…\n`);
    if (!running) process.exit(code);
    running.stop().then(
      () => process.exit(code),
      () => process.exit(1),
    );
  };
  // When the app can take no more requests, it stops as on SIGTERM (what is in flight finished, leases given
  // back) and exits with 1, so that a supervisor starts it again.
  running = await startApp({ logger, onFatal: () => shutdown('the HTTP server failed', 1) });
  process.once('SIGINT', () => shutdown('SIGINT', 0));
  process.once('SIGTERM', () => shutdown('SIGTERM', 0));
}

if (isEntryPoint(import.meta.url)) {
  main().catch((err) => {
    process.stderr.write(
      `Sparring failed to start: ${isAppError(err) ? err.message : (err?.stack ?? err)}\n`,
    );
    process.exit(1);
  });
}
