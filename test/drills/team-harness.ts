import type { Coach } from '../../src/coach/coach.js';
import type { Feedback, Verdict } from '../../src/coach/feedback.js';
import { loadConfig } from '../../src/config.js';
import type { Logger } from '../../src/logger.js';
import { createPractice } from '../../src/practice/practice.js';
import { createLiveCatalog, type LiveCatalog } from '../../src/scenarios/live-catalog.js';
import {
  createSlackApp,
  createSlackDeliver,
  createTypingIndicator,
  initSlackApp,
  registerListeners,
} from '../../src/slack/app.js';
import { createTeamFeatures, type TeamFeatures } from '../../src/slack/team.js';
import type { Db } from '../../src/store/db.js';
import { createScenarioStore } from '../../src/store/scenarios.js';
import { createSessionStore } from '../../src/store/sessions.js';
import { freshDb, silentLogger } from '../helpers/db.js';
import { TEAM_ID } from '../helpers/fake-slack.js';
import { type SlackRequests, slackRequests } from '../helpers/slack-requests.js';
import { fakeBuyer, fixtureScenarios, SIGNING_SECRET, sampleFeedback } from '../slack/harness.js';
import { type FakeSlackPlus, startFakeSlackPlus } from './fake-slack-plus.js';

export const MANAGER = 'UMGR';
export const ADMIN = 'UADMIN';
export const REP = 'UREP';

/**
 * A coach whose verdict is in the rep's first message ("connect", "script", anything else mixed), with the
 * metrics of `sampleFeedback` (a close on a next step, no recap, an argument after it): drills get varied
 * verdicts and a known most common gap.
 */
export const verdictCoach = (): Coach => ({
  mode: 'offline',
  async evaluate(transcript) {
    const first = transcript.turns.find((t) => t.role === 'rep')?.text ?? '';
    const verdict: Verdict = first.includes('connect')
      ? 'connected'
      : first.includes('script')
        ? 'script'
        : 'mixed';
    const feedback: Feedback = { ...sampleFeedback(), verdict };
    return { feedback, usage: null };
  },
});

export type TeamHarness = {
  slack: FakeSlackPlus;
  send: SlackRequests;
  clock: { now: Date };
  team: TeamFeatures;
  catalog: LiveCatalog;
  db: Db;
  store: ReturnType<typeof createSessionStore>;
  /** A view_submission of `callbackId` with these `view.state.values`; resolves with Slack's HTTP answer. */
  submitView(
    callbackId: string,
    userId: string,
    values: Record<string, Record<string, unknown>>,
    privateMetadata?: string,
  ): Promise<{ status: number; body: string }>;
  /** A button click in App Home or in a modal (no channel, no message). */
  clickInView(
    actionId: string,
    userId: string,
    value?: string,
    viewType?: 'home' | 'modal',
  ): Promise<{ status: number }>;
  /** A file shared in the app's direct messages. */
  shareFile(userId: string, file: { id: string; name: string }): Promise<{ status: number }>;
  close(): Promise<void>;
};

/** The practice listeners plus the team features, in HTTP mode, on a fake clock and the extended fake Slack. */
export async function startTeamHarness(
  opts: { backend?: 'pglite' | 'postgres'; logger?: Logger; now?: Date } = {},
): Promise<TeamHarness> {
  const logger = opts.logger ?? silentLogger;
  const slack = await startFakeSlackPlus();
  const config = loadConfig({
    SLACK_BOT_TOKEN: 'xoxb-test',
    SLACK_SIGNING_SECRET: SIGNING_SECRET,
    SLACK_API_URL: slack.apiUrl,
    PORT: '0',
    SPARRING_MANAGERS: MANAGER,
  });
  const clock = { now: opts.now ?? new Date('2025-03-20T10:00:00Z') };
  const { db, drop } = await freshDb(opts.backend ?? 'pglite');
  const store = createSessionStore(db);
  const catalog = await createLiveCatalog({
    files: fixtureScenarios(),
    source: createScenarioStore(db),
    logger,
  });
  const { buyer } = fakeBuyer();
  const app = createSlackApp({ config, logger });
  await initSlackApp(app, config);
  const practice = createPractice({
    store,
    catalog,
    buyer,
    coach: verdictCoach(),
    deliver: createSlackDeliver({ client: app.client, catalog, store, logger }),
    onWorking: createTypingIndicator({ client: app.client, logger }),
    logger,
  });
  registerListeners(app, { practice, store, catalog, config, logger, mode: 'offline' });
  const team = createTeamFeatures({
    app,
    db,
    practice,
    store,
    catalog,
    config,
    logger,
    mode: 'offline',
    now: () => clock.now,
  });
  const server = await app.start(0);
  const baseUrl = `http://127.0.0.1:${(server.address() as { port: number }).port}`;
  const send = slackRequests({ baseUrl, signingSecret: SIGNING_SECRET });
  const form = (payload: unknown) =>
    send.post(
      new URLSearchParams({ payload: JSON.stringify(payload) }).toString(),
      'application/x-www-form-urlencoded',
    );
  let seq = 0;

  return {
    slack,
    send,
    clock,
    team,
    catalog,
    db,
    store,
    submitView: (callbackId, userId, values, privateMetadata = '') =>
      form({
        type: 'view_submission',
        team: { id: TEAM_ID, domain: 'test' },
        user: { id: userId, team_id: TEAM_ID },
        api_app_id: 'A0001',
        token: 'legacy',
        trigger_id: `trig.${++seq}`,
        view: {
          id: `V${++seq}`,
          type: 'modal',
          callback_id: callbackId,
          private_metadata: privateMetadata,
          state: { values },
        },
      }),
    clickInView: (actionId, userId, value, viewType = 'home') =>
      form({
        type: 'block_actions',
        team: { id: TEAM_ID, domain: 'test' },
        user: { id: userId, team_id: TEAM_ID },
        api_app_id: 'A0001',
        token: 'legacy',
        trigger_id: `trig.${++seq}`,
        container: { type: 'view', view_id: `V${seq}` },
        view: { id: `V${seq}`, type: viewType, callback_id: '', state: { values: {} } },
        actions: [
          {
            type: 'button',
            action_id: actionId,
            block_id: 'b1',
            ...(value === undefined ? {} : { value }),
            action_ts: String(Date.now() / 1000),
          },
        ],
      }),
    shareFile: (userId, file) =>
      send.event({
        type: 'message',
        subtype: 'file_share',
        channel: `D${userId}`,
        channel_type: 'im',
        user: userId,
        text: '',
        ts: `1800000001.${String(++seq).padStart(6, '0')}`,
        files: [{ id: file.id, name: file.name }],
      }),
    async close() {
      await team.stop();
      await app.stop();
      await drop();
      await slack.close();
    },
  };
}
