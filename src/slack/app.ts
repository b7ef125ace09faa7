import type { Server as HttpsServer } from 'node:https';
import type { ListenOptions } from 'node:net';
import {
  App,
  type CodedError,
  HTTPModuleFunctions,
  HTTPReceiver,
  ReceiverInconsistentStateError,
  SocketModeReceiver,
} from '@slack/bolt';
import type { Config } from '../config.js';
import { AppError } from '../errors.js';
import { keepAliveFetch } from '../http.js';
import type { Logger } from '../logger.js';
import { createBoltLogger } from './bolt-logger.js';
import {
  holdEventAcks,
  httpProcessEventErrorHandler,
  socketProcessEventErrorHandler,
} from './event-intake.js';
import { serveFromThread, type ThreadServer } from './http-acceptor.js';
import { healthHandler, requestGuard } from './middleware/request-guard.js';

export { createSlackDeliver, createTypingIndicator } from './deliver.js';
export { registerListeners } from './listeners/index.js';

/**
 * Web API retries: a 429 waits its Retry-After and tries again, so a reply is delayed, not lost. Bounded well
 * below the session lease, so a dead Slack hands the work to the sweeper instead of holding a thread for minutes.
 */
const SLACK_RETRY = { retries: 4, factor: 2, minTimeout: 250, maxTimeout: 4000, randomize: true };

/** Verifies the bot token with Slack (auth.test); a wrong token or an unreachable Slack is a clear AppError. */
export async function initSlackApp(app: App, config: Config): Promise<void> {
  try {
    await app.init();
  } catch (err) {
    const code = (err as { data?: { error?: string } }).data?.error;
    if (
      code === 'invalid_auth' ||
      code === 'not_authed' ||
      code === 'account_inactive' ||
      code === 'token_revoked'
    ) {
      throw new AppError(
        'config_invalid',
        `Slack rejected SLACK_BOT_TOKEN (${code}). Copy the bot token again from "OAuth & Permissions".`,
        {
          cause: err,
        },
      );
    }
    throw new AppError(
      'slack_unavailable',
      `Cannot reach Slack at ${config.slack.apiUrl ?? 'https://slack.com/api/'} to verify SLACK_BOT_TOKEN: ${(err as Error).message}`,
      { cause: err },
    );
  }
}

/**
 * The Bolt app: Socket Mode when an app-level token is set, otherwise HTTP mode with POST /slack/events
 * (events, commands, interactivity) and GET /healthz.
 */
export function createSlackApp(opts: {
  config: Config;
  logger: Logger;
  /** How long an event's acknowledgement may wait for the store (2.5 s, inside Slack's 3 s); tests shorten it. */
  ackWindowMs?: number;
  /**
   * HTTP mode: records a signed command's or interaction's signature and says whether it is new; a replay of a
   * byte-identical request is refused. Shared by every instance (the store), so any of them recognises it.
   */
  claimSignature?: (signature: string) => Promise<boolean>;
  /** HTTP mode: GET /healthz answers 503 when this fails or takes longer than `healthTimeoutMs`. */
  healthCheck?: () => Promise<void>;
  healthTimeoutMs?: number;
}): App {
  const hold = { maxHoldMs: opts.ackWindowMs ?? 2500 };
  const { botToken, signingSecret, appToken, apiUrl, port } = opts.config.slack;
  if (!botToken) throw new AppError('config_invalid', 'SLACK_BOT_TOKEN is not set.');
  const logger = createBoltLogger(opts.logger);
  const common = {
    token: botToken,
    logger,
    // Conversation state is not used; Bolt's default keeps it in memory per process.
    convoStore: false as const,
    // Bolt would verify the token in the constructor and crash on an unhandled rejection if it is wrong;
    // initSlackApp does it instead, with a clear error.
    deferInitialization: true,
    clientOptions: {
      ...(apiUrl ? { slackApiUrl: apiUrl } : {}),
      retryConfig: SLACK_RETRY,
      fetch: keepAliveFetch,
    },
  };

  let app: App;
  if (appToken) {
    // Receivers hand every event to the app through holdEventAcks: Slack's acknowledgement waits for the store.
    const receiver = new (class extends SocketModeReceiver {
      override init(a: App) {
        super.init(holdEventAcks(a, hold));
      }
    })({
      appToken,
      logger,
      processEventErrorHandler: socketProcessEventErrorHandler(opts.logger),
      // apps.connections.open goes to SLACK_API_URL too (GovSlack, a local test server), like the Web API calls.
      ...(apiUrl ? { installerOptions: { clientOptions: { slackApiUrl: apiUrl } } } : {}),
    });
    app = new App({ ...common, receiver, socketMode: true });
  } else {
    if (!signingSecret) {
      throw new AppError(
        'config_invalid',
        'HTTP mode needs SLACK_SIGNING_SECRET (or set SLACK_APP_TOKEN for Socket Mode).',
      );
    }
    const guard = requestGuard({
      signingSecret,
      claimSignature: opts.claimSignature,
      logger: opts.logger.child({ module: 'slack' }),
    });
    const receiver = new (class extends HTTPReceiver {
      private served: ThreadServer | null = null;

      override init(a: App) {
        super.init(holdEventAcks(a, hold));
        // Checks Bolt does not make, before Bolt sees the request (see requestGuard).
        const boltListener = this.requestListener;
        this.requestListener = (req, res) => guard(req, res, () => boltListener(req, res));
      }

      /** Bolt's server, with its listening socket in a thread of its own (see src/slack/http-acceptor.ts). */
      // Bolt types the result by the options it is given (an https.Server for TLS ones); this is always the
      // plain http.Server of serveFromThread.
      override async start(listen: number | string | ListenOptions): Promise<HttpsServer> {
        if (this.served) throw new ReceiverInconsistentStateError('The receiver is already started.');
        const at = typeof listen === 'object' ? listen : { port: Number(listen) };
        this.served = await serveFromThread(
          { port: at.port ?? port, ...(at.host ? { host: at.host } : {}) },
          (req, res) => {
            try {
              this.requestListener(req, res);
            } catch (error) {
              // As Bolt's own server does: an unknown path (404) or a listener that failed to start (500).
              HTTPModuleFunctions.defaultDispatchErrorHandler({
                error: error as Error,
                logger,
                request: req,
                response: res,
              });
            }
          },
        );
        return this.served.server as HttpsServer;
      }

      override async stop(): Promise<void> {
        const served = this.served;
        if (!served) throw new ReceiverInconsistentStateError('The receiver is not started.');
        this.served = null;
        await served.close();
      }
    })({
      signingSecret,
      // requestGuard has verified every request to /slack/events before Bolt sees it.
      signatureVerification: false,
      port,
      logger,
      processEventErrorHandler: httpProcessEventErrorHandler(opts.logger),
      customRoutes: [
        {
          path: '/healthz',
          method: ['GET'],
          handler: healthHandler(opts.healthCheck, opts.healthTimeoutMs ?? 1000, opts.logger),
        },
      ],
    });
    app = new App({ ...common, receiver });
  }

  const log = opts.logger.child({ module: 'slack' });
  // Listeners answer AppErrors themselves; whatever reaches this point is a bug or an outage.
  app.error(async (error: CodedError) => {
    log.error({ err: error.original ?? error, code: error.code }, 'unhandled error in a Slack listener');
  });
  return app;
}
