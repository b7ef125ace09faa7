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
  LOG_LEVEL: withDefault(z.enum(['trace', 'debug', 'info', 'warn', 'error', 'fatal', 'silent']), 'info'),
});

/** The whole configuration, read once from the environment and validated. */
export type Config = {
  slack: {
    botToken?: string;
    signingSecret?: string;
    appToken?: string;
    apiUrl?: string;
    port: number;
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
