import path from 'node:path';
import { createLlmBuyer } from './buyer/llm-buyer.js';
import { createOfflineBuyer } from './buyer/offline-buyer.js';
import type { Buyer } from './buyer/types.js';
import { type Coach, createCoach } from './coach/coach.js';
import { createLlmRubric } from './coach/llm-coach.js';
import type { Config } from './config.js';
import { createOpenAiLlm } from './llm/openai.js';
import { loadPrompts, PROMPT_VARIABLES } from './llm/prompts.js';
import type { Llm } from './llm/types.js';
import type { Logger } from './logger.js';
import { createPractice, type Deliver, type PracticeDeps } from './practice/practice.js';
import { createCatalog, type ScenarioCatalog } from './scenarios/catalog.js';
import { formatProblem, loadScenarioFiles, type ScenarioProblem } from './scenarios/loader.js';
import type { Db } from './store/db.js';
import { createSessionStore } from './store/sessions.js';

/** The buyer and the coach for one mode; offline needs no model, no key and no network. */
export type Brains = { mode: 'llm' | 'offline'; buyer: Buyer; coach: Coach; llm: Llm | null };

export async function createBrains(opts: {
  config: Config;
  logger: Logger;
  offline: boolean;
  /** Tests pass a fake; otherwise the OpenAI-compatible adapter is built from the config. */
  llm?: Llm;
}): Promise<Brains> {
  const { config, logger, offline } = opts;
  if (offline) {
    return {
      mode: 'offline',
      buyer: createOfflineBuyer(),
      coach: createCoach({ rubric: null, logger }),
      llm: null,
    };
  }
  // Prompts are checked at start, so a broken placeholder fails here rather than in a rep's thread.
  const prompts = await loadPrompts(config.promptsDir, PROMPT_VARIABLES);
  const llm = opts.llm ?? createOpenAiLlm({ config: config.llm, logger });
  return {
    mode: 'llm',
    buyer: createLlmBuyer({ llm, prompts, logger }),
    coach: createCoach({
      rubric: createLlmRubric({ llm, prompts, logger }),
      logger,
      fallbackToOffline: true,
    }),
    llm,
  };
}

/** Loads every scenario file; a broken file is logged with its problems and the others still load. */
export async function loadCatalog(
  config: Config,
  logger: Logger,
  cwd = process.cwd(),
): Promise<{ catalog: ScenarioCatalog; problems: ScenarioProblem[] }> {
  const { scenarios, problems } = await loadScenarioFiles([path.resolve(cwd, config.scenariosDir)], cwd);
  const log = logger.child({ module: 'scenarios' });
  for (const p of problems) log.warn({ file: p.file, line: p.line, field: p.path }, formatProblem(p));
  log.info({ scenarios: scenarios.length, problems: problems.length }, 'scenarios loaded');
  return { catalog: createCatalog(scenarios), problems };
}

export type CoreOptions = {
  config: Config;
  logger: Logger;
  db: Db;
  brains: Brains;
  catalog: ScenarioCatalog;
  deliver: Deliver;
} & Pick<PracticeDeps, 'onWorking' | 'instanceId' | 'leaseMs'>;

/** Wires the practice use cases over a store, a catalog and a pair of brains. */
export function createCore(opts: CoreOptions) {
  const store = createSessionStore(opts.db);
  const practice = createPractice({
    store,
    catalog: opts.catalog,
    buyer: opts.brains.buyer,
    coach: opts.brains.coach,
    deliver: opts.deliver,
    logger: opts.logger,
    onWorking: opts.onWorking,
    instanceId: opts.instanceId,
    leaseMs: opts.leaseMs,
    models:
      opts.brains.mode === 'llm' ? { buyer: opts.config.llm.model, coach: opts.config.llm.coachModel } : {},
  });
  return { store, practice };
}
