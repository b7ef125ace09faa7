import { type Buyer, initialState } from '../../src/buyer/types.js';
import type { Coach } from '../../src/coach/coach.js';
import type { Feedback } from '../../src/coach/feedback.js';
import { loadConfig } from '../../src/config.js';
import { AppError } from '../../src/errors.js';
import type { Logger } from '../../src/logger.js';
import { createPractice, type Practice, type PracticeDeps } from '../../src/practice/practice.js';
import { createCatalog } from '../../src/scenarios/catalog.js';
import { type Scenario, ScenarioSchema } from '../../src/scenarios/schema.js';
import {
  createSlackApp,
  createSlackDeliver,
  createTypingIndicator,
  initSlackApp,
  registerListeners,
} from '../../src/slack/app.js';
import { openDb } from '../../src/store/db.js';
import { createSessionStore, type SessionStore } from '../../src/store/sessions.js';
import { silentLogger } from '../helpers/db.js';
import { type FakeSlack, startFakeSlack } from '../helpers/fake-slack.js';
import { type SlackRequests, slackRequests } from '../helpers/slack-requests.js';

export const SIGNING_SECRET = 'test-secret';

const lines = {
  guarded: ['Depends.'],
  pitch: ['Mm.'],
  pressure: ['No rush.'],
  reflection: ['Exactly.'],
  off_topic: ['Pardon?'],
  impression: ['Not yet.'],
  wrap_up: 'I have to go.',
};

/** The fixture scenarios of these tests (not shipped): one conversation, one Swedish close drill. */
export const fixtureScenarios = (): Scenario[] => [
  ScenarioSchema.parse({
    id: 'en-fixture-vans',
    title: 'Vans & <trackers>',
    language: 'en',
    sale: 'complex',
    difficulty: 3,
    brief: 'Karen runs a van fleet. She gave you ten minutes.',
    persona: {
      name: 'Karen Holt',
      role: 'Ops manager',
      company: 'Holt Vans',
      personality: 'dry',
      cares_about: ['time'],
    },
    situation: 's',
    buying_process: 'b',
    hidden_facts: [
      { id: 'pilot', kind: 'workaround', fact: 'f', reveal_when: 'r', reveal_line: 'l', keywords: ['tried'] },
    ],
    objections: ['Why change?'],
    disguised_nos: ['We need to think about it.', 'Too expensive.'],
    flat_no: 'No.',
    earned_yes: { kind: 'next_step', description: 'trial', line: 'Set up the trial.' },
    opening: 'Karen here. Five minutes.',
    offline: { lines },
  }),
  ScenarioSchema.parse({
    id: 'sv-fixture-avslut',
    title: 'Avslut hos bageriet',
    language: 'sv',
    sale: 'simple',
    difficulty: 2,
    start: 'close',
    brief: 'Du har pratat med Eva i en halvtimme.',
    persona: {
      name: 'Eva Lind',
      role: 'ägare',
      company: 'Linds Bageri',
      personality: 'rak',
      cares_about: ['tid'],
    },
    situation: 's',
    buying_process: 'b',
    hidden_facts: [
      { id: 'tid', kind: 'pain', fact: 'f', reveal_when: 'r', reveal_line: 'l', keywords: ['travl'] },
    ],
    objections: ['Varför byta?'],
    disguised_nos: ['Vi får fundera.', 'För dyrt.'],
    flat_no: 'Nej.',
    earned_yes: { kind: 'order', description: 'ordern', line: 'Kör.' },
    opening: 'Ja, det låter väl rimligt. Vad händer nu?',
    close_summary: 'Eva vill slippa lönekörningen på söndagar.',
    offline: { lines },
  }),
];

export const sampleFeedback = (quotes: Array<{ turn: number; quote: string }> = []): Feedback => ({
  verdict: 'mixed',
  mode: 'offline',
  summary: 'You asked <good> questions & listened.',
  nextTime: 'Recap before you ask.',
  dimensions: [
    { id: 'discovery', score: 4, comment: 'Good questions.', evidence: quotes },
    { id: 'listening', score: 3, comment: '', evidence: [] },
    { id: 'handling_no', score: 2, comment: 'You argued.', evidence: [] },
    { id: 'close', score: 1, comment: 'No close.', evidence: [] },
  ],
  metrics: {
    repWordShare: 0.62,
    repQuestions: 3,
    discoveryQuestions: 2,
    longestRepTurnWords: 40,
    closeAttempts: 1,
    finalCloseType: 'next_step',
    recapBeforeClose: false,
    addedArgumentAfterClose: true,
    pitchedBeforeDiscovery: false,
    buyerFlatNo: false,
    disguisedNo: true,
  },
});

/** A buyer that answers "echo: <text>", fails while `failures` > 0, and says yes to "deal?". */
export function fakeBuyer() {
  const control = { failures: 0, delayMs: 0 };
  const buyer: Buyer = {
    mode: 'offline',
    open: (s) => ({ text: s.opening, state: initialState(s), raw: null, usage: null }),
    async reply(input) {
      if (control.delayMs) await new Promise((r) => setTimeout(r, control.delayMs));
      if (control.failures > 0) {
        control.failures -= 1;
        throw new AppError('llm_timeout', 'The model did not answer in time.');
      }
      const deal = input.repText.includes('deal?');
      return {
        text: deal ? 'Yes, set it up.' : `echo: ${input.repText}`,
        state: {
          ...input.state,
          outcome: deal ? 'next_step' : 'open',
          ended: deal,
          stage: deal ? 'ended' : 'discovery',
        },
        raw: null,
        usage: null,
      };
    },
  };
  return { buyer, control };
}

/** A coach that quotes the rep's first message and the buyer's opening, so evidence links can be checked. */
export const fakeCoach = (): Coach => ({
  mode: 'offline',
  async evaluate(transcript) {
    const quotes = [
      { turn: 0, quote: transcript.turns[0]?.text.slice(0, 10) ?? '' },
      ...(transcript.turns[1] ? [{ turn: 1, quote: transcript.turns[1].text.slice(0, 12) }] : []),
    ];
    return { feedback: sampleFeedback(quotes), usage: null };
  },
});

export type Harness = {
  slack: FakeSlack;
  send: SlackRequests;
  control: ReturnType<typeof fakeBuyer>['control'];
  baseUrl: string;
  store: ReturnType<typeof createSessionStore>;
  practice: Practice;
  close(): Promise<void>;
};

/** The Slack layer in HTTP mode over an in-memory store, a fake buyer and coach, and a fake Slack Web API. */
export async function startHarness(
  opts: {
    logger?: Logger;
    /** Wraps the store the app uses (e.g. to inject a failure); `store` on the harness stays the real one. */
    wrapStore?: (store: SessionStore) => SessionStore;
    ackWindowMs?: number;
    /** Options of the practice use cases (e.g. a short delivery backoff). */
    practice?: Pick<PracticeDeps, 'deliveryBackoffMs' | 'sweepConcurrency'>;
  } = {},
): Promise<Harness> {
  const logger = opts.logger ?? silentLogger;
  const slack = await startFakeSlack();
  const config = loadConfig({
    SLACK_BOT_TOKEN: 'xoxb-test',
    SLACK_SIGNING_SECRET: SIGNING_SECRET,
    SLACK_API_URL: slack.apiUrl,
    PORT: '0',
  });
  const db = await openDb({ dataDir: null, logger: silentLogger });
  const store = createSessionStore(db);
  const appStore = opts.wrapStore ? opts.wrapStore(store) : store;
  const catalog = createCatalog(fixtureScenarios());
  const { buyer, control } = fakeBuyer();
  const app = createSlackApp({
    config,
    logger,
    ...(opts.ackWindowMs ? { ackWindowMs: opts.ackWindowMs } : {}),
  });
  await initSlackApp(app, config);
  const practice = createPractice({
    store: appStore,
    catalog,
    buyer,
    coach: fakeCoach(),
    deliver: createSlackDeliver({ client: app.client, catalog, store: appStore, logger: silentLogger }),
    onWorking: createTypingIndicator({ client: app.client, logger: silentLogger }),
    logger: silentLogger,
    ...opts.practice,
  });
  registerListeners(app, { practice, store: appStore, catalog, config, logger, mode: 'offline' });
  const server = await app.start(0);
  const { port } = server.address() as { port: number };
  const baseUrl = `http://127.0.0.1:${port}`;
  return {
    slack,
    send: slackRequests({ baseUrl, signingSecret: SIGNING_SECRET }),
    control,
    baseUrl,
    store,
    practice,
    async close() {
      await app.stop();
      await db.close();
      await slack.close();
    },
  };
}
