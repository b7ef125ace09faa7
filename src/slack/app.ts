import { App, type CodedError } from '@slack/bolt';
import type { Config } from '../config.js';
import { AppError } from '../errors.js';
import type { Logger } from '../logger.js';
import { createBoltLogger } from './bolt-logger.js';

export { createSlackDeliver, createTypingIndicator } from './deliver.js';
export { registerListeners } from './listeners/index.js';

/**
 * Web API retries: a 429 waits its Retry-After and tries again, so a reply is delayed, not lost. Bounded well
 * below the session lease, so a dead Slack hands the work to the sweeper instead of holding a thread for minutes.
 */
const SLACK_RETRY = { retries: 4, factor: 2, minTimeout: 250, maxTimeout: 4000, randomize: true };

/**
 * The Bolt app: Socket Mode when an app-level token is set, otherwise HTTP mode with POST /slack/events
 * (events, commands, interactivity) and GET /healthz.
 */
export function createSlackApp(opts: { config: Config; logger: Logger }): App {
  const { botToken, signingSecret, appToken, apiUrl, port } = opts.config.slack;
  if (!botToken) throw new AppError('config_invalid', 'SLACK_BOT_TOKEN is not set.');
  const logger = createBoltLogger(opts.logger);
  const common = {
    token: botToken,
    logger,
    // Conversation state is not used; Bolt's default keeps it in memory per process.
    convoStore: false as const,
    clientOptions: { ...(apiUrl ? { slackApiUrl: apiUrl } : {}), retryConfig: SLACK_RETRY },
  };

  let app: App;
  if (appToken) {
    app = new App({ ...common, appToken, socketMode: true });
  } else {
    if (!signingSecret) {
      throw new AppError(
        'config_invalid',
        'HTTP mode needs SLACK_SIGNING_SECRET (or set SLACK_APP_TOKEN for Socket Mode).',
      );
    }
    app = new App({
      ...common,
      signingSecret,
      port,
      customRoutes: [
        {
          path: '/healthz',
          method: ['GET'],
          handler: (_req, res) => {
            res.writeHead(200, { 'content-type': 'application/json' });
            res.end('{"ok":true}');
          },
        },
      ],
    });
  }

  const log = opts.logger.child({ module: 'slack' });
  // Listeners answer AppErrors themselves; whatever reaches this point is a bug or an outage.
  app.error(async (error: CodedError) => {
    log.error({ err: error.original ?? error, code: error.code }, 'unhandled error in a Slack listener');
  });
  return app;
}
