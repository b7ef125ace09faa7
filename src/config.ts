import { z } from 'zod';
import { AppError } from './errors.js';

// An empty value in .env means "not set", not "set to the empty string".
const optional = <T extends z.ZodType>(schema: T) =>
  z.preprocess((v) => (typeof v === 'string' && v.trim() === '' ? undefined : v), schema.optional());

const withDefault = <T extends z.ZodType>(schema: T, fallback: z.input<T>) =>
  z.preprocess(
    (v) => (typeof v === 'string' && v.trim() === '' ? undefined : v),
    schema.default(fallback as never),
  );

const EnvSchema = z.object({
  SLACK_BOT_TOKEN: optional(z.string().startsWith('xoxb-', 'a bot token starts with "xoxb-"')),
  SLACK_SIGNING_SECRET: optional(z.string().min(8, 'looks too short for a signing secret')),
  SLACK_APP_TOKEN: optional(z.string().startsWith('xapp-', 'an app-level token starts with "xapp-"')),
  PORT: withDefault(z.coerce.number().int().min(0).max(65535), 3000),
  HOST: optional(
    z
      .string()
      .regex(/^[A-Za-z0-9.:_%[\]-]+$/, 'must be an address to listen on, such as 127.0.0.1, ::1 or 0.0.0.0'),
  ),
  SLACK_API_URL: optional(z.url('must be a URL such as https://slack.com/api/')),
  OPENAI_API_KEY: optional(z.string()),
  OPENAI_BASE_URL: optional(z.url('must be a URL such as http://localhost:11434/v1')),
  OPENAI_MODEL: withDefault(z.string(), 'gpt-4.1-mini'),
  OPENAI_COACH_MODEL: optional(z.string()),
  OPENAI_TIMEOUT_MS: withDefault(z.coerce.number().int().min(1000).max(600_000), 45_000),
  OPENAI_MAX_RETRIES: withDefault(z.coerce.number().int().min(0).max(10), 2),
  DATABASE_URL: optional(
    z.string().regex(/^postgres(ql)?:\/\//, 'must be a postgres:// or postgresql:// connection string'),
  ),
  SPARRING_DATA_DIR: withDefault(z.string(), './data'),
  SPARRING_SCENARIOS_DIR: withDefault(z.string(), './scenarios'),
  SPARRING_PROMPTS_DIR: withDefault(z.string(), './prompts'),
  SPARRING_MANAGERS: withDefault(z.string(), ''),
  SPARRING_RETENTION_DAYS: optional(z.coerce.number().int().min(1)),
  SPARRING_PRICES: optional(
    z
      .string()
      .transform((text, ctx) => {
        try {
          return JSON.parse(text) as unknown;
        } catch {
          ctx.addIssue({
            code: 'custom',
            message: 'must be JSON such as {"gpt-4.1-mini":{"input":0.4,"cachedInput":0.1,"output":1.6}}',
          });
          return z.NEVER;
        }
      })
      .pipe(
        z.record(
          z.string().min(1),
          z.strictObject({
            input: z.number().min(0),
            cachedInput: z.number().min(0).optional(),
            output: z.number().min(0),
          }),
          'must map model names to {"input","cachedInput","output"} in USD per 1M tokens',
        ),
      ),
  ),
  LOG_LEVEL: withDefault(z.enum(['trace', 'debug', 'info', 'warn', 'error', 'fatal', 'silent']), 'info'),
});

/** What a model costs, in USD per 1M tokens. */
export type ModelPrice = { input: number; cachedInput: number; output: number };

/**
 * Built-in list prices (USD per 1M tokens: input, cached input, output) for a few OpenAI models, for the usage
 * estimate on App Home. SPARRING_PRICES adds models or overrides these; a model missing from both has no estimate.
 */
export const DEFAULT_PRICES: Readonly<Record<string, ModelPrice>> = {
  'gpt-4.1': { input: 2, cachedInput: 0.5, output: 8 },
  'gpt-4.1-mini': { input: 0.4, cachedInput: 0.1, output: 1.6 },
  'gpt-4.1-nano': { input: 0.1, cachedInput: 0.025, output: 0.4 },
  'gpt-4o': { input: 2.5, cachedInput: 1.25, output: 10 },
  'gpt-4o-mini': { input: 0.15, cachedInput: 0.075, output: 0.6 },
  'o4-mini': { input: 1.1, cachedInput: 0.275, output: 4.4 },
  'gpt-5': { input: 1.25, cachedInput: 0.125, output: 10 },
  'gpt-5-mini': { input: 0.25, cachedInput: 0.025, output: 2 },
  'gpt-5-nano': { input: 0.05, cachedInput: 0.005, output: 0.4 },
};

/** The whole configuration, read once from the environment and validated. */
export type Config = {
  slack: {
    botToken?: string;
    signingSecret?: string;
    appToken?: string;
    apiUrl?: string;
    port: number;
    /** HTTP mode: the address to listen on; unset, every interface (as Node does). */
    host?: string;
  };
  llm: {
    apiKey?: string;
    baseUrl?: string;
    model: string;
    coachModel: string;
    timeoutMs: number;
    maxRetries: number;
  };
  store: { databaseUrl?: string; dataDir: string; retentionDays?: number };
  scenariosDir: string;
  promptsDir: string;
  managers: string[];
  /** Model name → price; the built-in defaults merged with SPARRING_PRICES. */
  prices: Record<string, ModelPrice>;
  logLevel: z.infer<typeof EnvSchema>['LOG_LEVEL'];
};

export type Env = Record<string, string | undefined>;

/** Parses the environment; throws one AppError that lists every problem at once. */
export function loadConfig(env: Env = process.env): Config {
  const parsed = EnvSchema.safeParse(env);
  if (!parsed.success) {
    const problems = parsed.error.issues.map((i) => `  ${i.path.join('.')}: ${i.message}`);
    throw new AppError('config_invalid', `Invalid configuration:\n${problems.join('\n')}`);
  }
  const e = parsed.data;
  return {
    slack: {
      botToken: e.SLACK_BOT_TOKEN,
      signingSecret: e.SLACK_SIGNING_SECRET,
      appToken: e.SLACK_APP_TOKEN,
      apiUrl: e.SLACK_API_URL,
      port: e.PORT,
      host: e.HOST,
    },
    llm: {
      apiKey: e.OPENAI_API_KEY,
      baseUrl: e.OPENAI_BASE_URL,
      model: e.OPENAI_MODEL,
      coachModel: e.OPENAI_COACH_MODEL ?? e.OPENAI_MODEL,
      timeoutMs: e.OPENAI_TIMEOUT_MS,
      maxRetries: e.OPENAI_MAX_RETRIES,
    },
    store: {
      databaseUrl: e.DATABASE_URL,
      dataDir: e.SPARRING_DATA_DIR,
      retentionDays: e.SPARRING_RETENTION_DAYS,
    },
    scenariosDir: e.SPARRING_SCENARIOS_DIR,
    promptsDir: e.SPARRING_PROMPTS_DIR,
    managers: e.SPARRING_MANAGERS.split(/[\s,]+/).filter(Boolean),
    prices: {
      ...DEFAULT_PRICES,
      ...Object.fromEntries(
        Object.entries(e.SPARRING_PRICES ?? {}).map(([model, p]) => [
          model,
          // Without a cached price, cached tokens cost what other input costs: an estimate that never undercounts.
          { input: p.input, cachedInput: p.cachedInput ?? p.input, output: p.output },
        ]),
      ),
    },
    logLevel: e.LOG_LEVEL,
  };
}

/** Offline mode is automatic when no model server is configured at all. */
export const isOffline = (config: Config): boolean => !config.llm.apiKey && !config.llm.baseUrl;

export type SlackMode = 'socket' | 'http';

/** Socket Mode when an app-level token is set; otherwise HTTP mode. */
export const slackMode = (config: Config): SlackMode => (config.slack.appToken ? 'socket' : 'http');

/** What is missing to run the Slack app, as variable names with a reason; empty when it can start. */
export function missingSlackSettings(config: Config): string[] {
  const missing: string[] = [];
  if (!config.slack.botToken)
    missing.push('SLACK_BOT_TOKEN (the bot token, xoxb-…, from "OAuth & Permissions")');
  if (!config.slack.appToken && !config.slack.signingSecret) {
    missing.push(
      'SLACK_APP_TOKEN (xapp-…, for Socket Mode) or SLACK_SIGNING_SECRET (for HTTP mode on PORT, from "Basic Information")',
    );
  }
  return missing;
}

/**
 * Loads `.env` from `cwd` into process.env when the file exists; variables already set win.
 * Only the entry points call this; everything else receives an Env.
 */
export function loadDotEnv(cwd: string = process.cwd()): void {
  const file = `${cwd}/.env`;
  try {
    process.loadEnvFile(file);
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== 'ENOENT') throw err;
  }
}
