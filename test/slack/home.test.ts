import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEFAULT_PRICES } from '../../src/config.js';
import { ACTION_IDS, VIEW_IDS } from '../../src/slack/action-ids.js';
import { MANAGERS_ONLY } from '../../src/slack/people.js';
import { estimateUsage } from '../../src/slack/usage.js';
import { type HomeData, homeView, verdictTrend } from '../../src/slack/views/home.js';
import type { Drill } from '../../src/store/drills.js';
import { type FakeSlackPlus, startFakeSlackPlus } from '../drills/fake-slack-plus.js';
import { ADMIN, MANAGER, REP, startTeamHarness, type TeamHarness } from '../drills/team-harness.js';
import { type Booted, boot, newStorage, type Storage } from '../e2e/boot.js';
import { buttonsOf, textOf } from '../helpers/fake-slack.js';

const at = (iso: string) => new Date(iso);

const repData = (): HomeData => ({
  mode: 'offline',
  recent: [
    {
      id: 's2',
      scenarioId: 'en-fixture-vans',
      title: 'Vans & <trackers>',
      userId: REP,
      status: 'active',
      verdict: null,
      drillId: null,
      channelId: 'DREP',
      threadTs: '1.2',
      createdAt: at('2025-03-21T09:00:00Z'),
    },
    {
      id: 's1',
      scenarioId: 'sv-fixture-avslut',
      title: 'Avslut hos bageriet',
      userId: REP,
      status: 'ended',
      verdict: 'connected',
      drillId: 'd1-20250317T0800Z',
      channelId: 'CTEAM',
      threadTs: '1.1',
      createdAt: at('2025-03-17T09:00:00Z'),
    },
  ],
  verdicts: ['connected', 'mixed', 'connected', 'script', 'script', 'script', 'mixed'],
  scenarios: [
    {
      id: 'en-fixture-vans',
      title: 'Vans & <trackers>',
      language: 'en',
      sale: 'complex',
      difficulty: 3,
      start: 'conversation',
      persona: 'Karen Holt, Ops manager at Holt Vans',
    },
  ],
  manager: null,
});

const drill: Drill = {
  id: 'dk7m2qx',
  teamId: 'T1',
  channelId: 'CTEAM',
  scenarioId: 'sv-fixture-avslut',
  weekday: 1,
  time: '09:00',
  timeZone: 'Europe/Stockholm',
  createdBy: MANAGER,
  createdAt: at('2025-03-01T09:00:00Z'),
  stoppedAt: null,
  stoppedBy: null,
  publicAttempts: false,
};

const managerData = (): HomeData => ({
  ...repData(),
  manager: {
    team: [{ ...repData().recent[1]!, userId: 'UOTHER' }],
    drills: [{ drill, title: 'Avslut hos bageriet', next: at('2025-03-24T08:00:00Z') }],
    stored: [
      {
        id: 'da-upload',
        title: 'Vaskeriet',
        revision: 2,
        updatedBy: MANAGER,
        updatedAt: at('2025-03-10T12:00:00Z'),
        retired: false,
      },
      {
        id: 'da-old',
        title: 'Gammel',
        revision: 1,
        updatedBy: MANAGER,
        updatedAt: at('2025-02-10T12:00:00Z'),
        retired: true,
      },
    ],
    usage: {
      since: at('2025-03-01T00:00:00Z'),
      ...estimateUsage(
        [
          {
            mode: 'llm',
            buyerModel: 'gpt-4.1-mini',
            coachModel: 'gpt-4.1-mini',
            sessions: 12,
            inputTokens: 2_400_000,
            cachedInputTokens: 1_800_000,
            outputTokens: 90_000,
            coach: { inputTokens: 300_000, cachedInputTokens: 0, outputTokens: 30_000 },
          },
          {
            mode: 'offline',
            buyerModel: null,
            coachModel: null,
            sessions: 3,
            inputTokens: 0,
            cachedInputTokens: 0,
            outputTokens: 0,
            coach: { inputTokens: 0, cachedInputTokens: 0, outputTokens: 0 },
          },
        ],
        DEFAULT_PRICES,
      ),
    },
  },
});

describe('App Home views', () => {
  it('shows a rep their sessions, their trend and the catalogue with Start buttons', () => {
    expect(homeView(repData())).toMatchInlineSnapshot(`
      {
        "blocks": [
          {
            "text": {
              "emoji": true,
              "text": "Sparring",
              "type": "plain_text",
            },
            "type": "header",
          },
          {
            "text": {
              "text": "Practise a sales conversation on a skeptical buyer, then get coached: *did you connect, or run the script?* A session started here runs in your direct messages with Sparring; \`/spar\` starts one in any channel.",
              "type": "mrkdwn",
            },
            "type": "section",
          },
          {
            "type": "divider",
          },
          {
            "text": {
              "text": "*Your practice*",
              "type": "mrkdwn",
            },
            "type": "section",
          },
          {
            "elements": [
              {
                "text": "🔴 🔴 🟢 🟡 🟢  Connected in *2 of your last 5* (0 of the 2 before) :arrow_upper_right:",
                "type": "mrkdwn",
              },
            ],
            "type": "context",
          },
          {
            "text": {
              "text": "• *Vans &amp; &lt;trackers&gt;* · 💬 in progress · <!date^1742547600^{date_short_pretty}|2025-03-21 09:00 UTC>
      • *Avslut hos bageriet* in <#CTEAM> · 🟢 connected · team drill · <!date^1742202000^{date_short_pretty}|2025-03-17 09:00 UTC>",
              "type": "mrkdwn",
            },
            "type": "section",
          },
          {
            "type": "divider",
          },
          {
            "text": {
              "text": "*Scenarios*",
              "type": "mrkdwn",
            },
            "type": "section",
          },
          {
            "accessory": {
              "action_id": "sparring_home_start",
              "text": {
                "emoji": true,
                "text": "Start",
                "type": "plain_text",
              },
              "type": "button",
              "value": "en-fixture-vans",
            },
            "text": {
              "text": "*Vans &amp; &lt;trackers&gt;*
      🇬🇧 English · complex sale · difficulty 3/5 · \`en-fixture-vans\`",
              "type": "mrkdwn",
            },
            "type": "section",
          },
          {
            "elements": [
              {
                "text": "Offline mode: a scripted buyer plays the scenario and the coach judges from the metrics alone.",
                "type": "mrkdwn",
              },
            ],
            "type": "context",
          },
        ],
        "type": "home",
      }
    `);
  });

  it("shows a manager this month's model-coach failures in model mode (and offline only when there were any)", () => {
    const texts = (d: HomeData) => JSON.stringify(homeView(d).blocks);
    const base = managerData();
    const withFailures = (mode: HomeData['mode'], coachFallbacks: number): HomeData => ({
      ...base,
      mode,
      manager: { ...base.manager!, usage: { ...base.manager!.usage, coachFallbacks } },
    });
    expect(texts(withFailures('llm', 2))).toContain(
      "Model coach failures: 2 sessions this month got the offline coach's feedback instead.",
    );
    expect(texts(withFailures('llm', 0))).toContain('Model coach failures: 0 sessions');
    expect(texts(withFailures('offline', 0))).not.toContain('Model coach failures');
  });

  it('shows a manager the team, the drills with Stop, the Slack scenarios with Retire, and usage with cost', () => {
    const view = homeView(managerData());
    const rep = homeView(repData());
    // Everything a rep sees comes first, unchanged.
    expect(view.blocks.slice(0, rep.blocks.length)).toEqual(rep.blocks);
    expect(view.blocks.slice(rep.blocks.length)).toMatchInlineSnapshot(`
      [
        {
          "type": "divider",
        },
        {
          "text": {
            "emoji": true,
            "text": "Team",
            "type": "plain_text",
          },
          "type": "header",
        },
        {
          "text": {
            "text": "*Recent activity*",
            "type": "mrkdwn",
          },
          "type": "section",
        },
        {
          "accessory": {
            "action_id": "sparring_verdict_correct",
            "text": {
              "emoji": true,
              "text": "Correct",
              "type": "plain_text",
            },
            "type": "button",
            "value": "s1",
          },
          "text": {
            "text": "• <@UOTHER> · *Avslut hos bageriet* in <#CTEAM> · 🟢 connected · team drill · <!date^1742202000^{date_short_pretty}|2025-03-17 09:00 UTC>",
            "type": "mrkdwn",
          },
          "type": "section",
        },
        {
          "text": {
            "text": "*Weekly drills*",
            "type": "mrkdwn",
          },
          "type": "section",
        },
        {
          "accessory": {
            "action_id": "sparring_drill_stop",
            "confirm": {
              "confirm": {
                "text": "Stop the drill",
                "type": "plain_text",
              },
              "deny": {
                "text": "Cancel",
                "type": "plain_text",
              },
              "style": "danger",
              "text": {
                "text": "The weekly drill stops for the whole channel; no new runs are posted.",
                "type": "mrkdwn",
              },
              "title": {
                "text": "Stop this drill?",
                "type": "plain_text",
              },
            },
            "style": "danger",
            "text": {
              "emoji": true,
              "text": "Stop",
              "type": "plain_text",
            },
            "type": "button",
            "value": "dk7m2qx",
          },
          "text": {
            "text": "\`dk7m2qx\` *Avslut hos bageriet* in <#CTEAM> · every Monday at 09:00 (Europe/Stockholm) · next <!date^1742803200^{date_short_pretty} {time}|2025-03-24 08:00 UTC>",
            "type": "mrkdwn",
          },
          "type": "section",
        },
        {
          "elements": [
            {
              "action_id": "sparring_drill_schedule_open",
              "style": "primary",
              "text": {
                "emoji": true,
                "text": "Schedule a drill",
                "type": "plain_text",
              },
              "type": "button",
            },
            {
              "action_id": "sparring_scenario_new",
              "text": {
                "emoji": true,
                "text": "New scenario",
                "type": "plain_text",
              },
              "type": "button",
            },
          ],
          "type": "actions",
        },
        {
          "text": {
            "text": "*Scenarios written in Slack*",
            "type": "mrkdwn",
          },
          "type": "section",
        },
        {
          "accessory": {
            "action_id": "sparring_scenario_retire",
            "confirm": {
              "confirm": {
                "text": "Retire it",
                "type": "plain_text",
              },
              "deny": {
                "text": "Cancel",
                "type": "plain_text",
              },
              "style": "danger",
              "text": {
                "text": "Nobody can start it any more; sessions already on it are kept.",
                "type": "mrkdwn",
              },
              "title": {
                "text": "Retire this scenario?",
                "type": "plain_text",
              },
            },
            "text": {
              "emoji": true,
              "text": "Retire",
              "type": "plain_text",
            },
            "type": "button",
            "value": "da-upload",
          },
          "text": {
            "text": "*Vaskeriet*
      \`da-upload\` · revision 2 by <@UMGR> · <!date^1741608000^{date_short_pretty}|2025-03-10 12:00 UTC>",
            "type": "mrkdwn",
          },
          "type": "section",
        },
        {
          "text": {
            "text": "~Gammel~ (retired)
      \`da-old\` · revision 1 by <@UMGR> · <!date^1739188800^{date_short_pretty}|2025-02-10 12:00 UTC>",
            "type": "mrkdwn",
          },
          "type": "section",
        },
        {
          "elements": [
            {
              "text": "Add or replace a scenario by sending me its YAML file in a direct message; it is checked like \`scenarios lint\`. Scenario files in the repository cannot be replaced here.",
              "type": "mrkdwn",
            },
          ],
          "type": "context",
        },
        {
          "text": {
            "text": "*Usage since <!date^1740787200^{date_short}|2025-03-01 00:00 UTC>*",
            "type": "mrkdwn",
          },
          "type": "section",
        },
        {
          "text": {
            "text": "• *gpt-4.1-mini*: 12 sessions · 2.4M input (1.8M cached) · 90.0k output · $0.56
      • *offline (no model)*: 3 sessions · 0 input (0 cached) · 0 output · no cost
      *Total*: 15 sessions · 2.4M input (1.8M cached) · 90.0k output · $0.56",
            "type": "mrkdwn",
          },
          "type": "section",
        },
        {
          "elements": [
            {
              "text": "Costs are estimates in USD from the configured price per 1M tokens.",
              "type": "mrkdwn",
            },
          ],
          "type": "context",
        },
      ]
    `);
  });

  it('sums up the verdict trend over the last five against the five before', () => {
    expect(verdictTrend([])).toBeNull();
    expect(verdictTrend(['connected', 'script'])).toBe('🔴 🟢  Connected in *1 of your last 2*');
    expect(verdictTrend(['script', 'script', 'script', 'script', 'script', 'connected'])).toContain(
      '(1 of the 1 before) :arrow_lower_right:',
    );
  });

  it('stays within Slack’s 100 blocks with a long catalogue', () => {
    const many = repData();
    many.scenarios = Array.from({ length: 80 }, (_, i) => ({ ...many.scenarios[0]!, id: `en-many-${i}` }));
    const view = homeView({ ...managerData(), scenarios: many.scenarios });
    expect(view.blocks.length).toBeLessThanOrEqual(100);
    expect(textOf({ blocks: view.blocks })).toContain('…and 50 more');
  });
});

describe('App Home in Slack', () => {
  let h: TeamHarness;

  beforeAll(async () => {
    h = await startTeamHarness();
    h.slack.users.set(MANAGER, { id: MANAGER, tz: 'Europe/Stockholm' });
    h.slack.users.set(ADMIN, { id: ADMIN, tz: 'Europe/Copenhagen', is_owner: true });
    h.slack.users.set(REP, { id: REP, tz: 'Europe/Stockholm' });
  });
  afterAll(async () => {
    await h?.close();
  });

  const published = (user: string) => h.slack.callsTo('views.publish').filter((c) => c.args.user_id === user);
  const openHome = async (user: string) => {
    const before = published(user).length;
    await h.send.event({ type: 'app_home_opened', user, channel: `D${user}`, tab: 'home' });
    const call = await h.slack.waitFor(() => published(user)[before], { what: `${user}'s App Home` });
    return call.args.view as { type: string; blocks: unknown[] };
  };

  it('publishes the rep view to reps and the manager view to managers and owners', async () => {
    const rep = await openHome(REP);
    expect(rep.type).toBe('home');
    expect(textOf(rep)).toContain('*Your practice*');
    expect(textOf(rep)).not.toContain('Weekly drills');
    expect(buttonsOf(rep).map((b) => b.actionId)).toEqual([ACTION_IDS.homeStart, ACTION_IDS.homeStart]);
    for (const user of [MANAGER, ADMIN]) {
      const view = await openHome(user);
      expect(textOf(view)).toContain('*Weekly drills*');
      expect(textOf(view)).toContain('*Usage since');
    }
    // The Messages tab is the DM: nothing to publish.
    await h.send.event({ type: 'app_home_opened', user: REP, channel: `D${REP}`, tab: 'messages' });
    await new Promise((r) => setTimeout(r, 100));
    expect(published(REP)).toHaveLength(1);
  });

  it('starts a session from App Home in the rep’s direct messages', async () => {
    await h.clickInView(ACTION_IDS.homeStart, REP, 'en-fixture-vans');
    const header = await h.slack.waitFor(
      () =>
        h.slack.callsTo('chat.postMessage').find((c) => c.args.channel === `D${REP}` && !c.args.thread_ts),
      { what: 'the session message' },
    );
    expect(header.args.text).toContain('<@UREP> is practising *Vans &amp; &lt;trackers&gt;*');
    expect(h.slack.callsTo('conversations.open').at(-1)?.args.users).toBe(REP);
  });

  it('schedules a drill from its modal, shows problems on the inputs, and stops it from App Home', async () => {
    await h.clickInView(ACTION_IDS.drillScheduleOpen, REP);
    const refused = await h.slack.waitFor(() =>
      h.slack
        .callsTo('chat.postMessage')
        .find((c) => c.args.channel === REP && c.args.text === MANAGERS_ONLY),
    );
    expect(refused).toBeTruthy();

    await h.clickInView(ACTION_IDS.drillScheduleOpen, MANAGER);
    const opened = await h.slack.waitFor(() => h.slack.callsTo('views.open')[0], { what: 'the drill modal' });
    expect(textOf(opened.args.view as Record<string, unknown>)).toContain(
      'In your Slack time zone, Europe/Stockholm.',
    );

    const values = (channel: string | null) => ({
      channel: { value: { type: 'conversations_select', selected_conversation: channel } },
      scenario: { value: { type: 'static_select', selected_option: { value: 'en-fixture-vans' } } },
      weekday: { value: { type: 'static_select', selected_option: { value: '3' } } },
      time: { value: { type: 'timepicker', selected_time: '10:15' } },
    });
    const missing = JSON.parse((await h.submitView(VIEW_IDS.drill, MANAGER, values(null))).body);
    expect(missing).toEqual({ response_action: 'errors', errors: { channel: 'Choose the team channel.' } });

    h.slack.failOnce('chat.postMessage', 'not_in_channel');
    const outside = JSON.parse((await h.submitView(VIEW_IDS.drill, MANAGER, values('CNOBOT'))).body);
    expect(outside.errors.channel).toContain('/invite @Sparring');

    const ok = await h.submitView(VIEW_IDS.drill, MANAGER, values('CHOME'));
    expect(ok.body).toBe('');
    const [scheduled] = await h.team.deps.drills.active({ channelId: 'CHOME' });
    expect(scheduled).toMatchObject({
      weekday: 3,
      time: '10:15',
      timeZone: 'Europe/Stockholm',
      createdBy: MANAGER,
    });
    const viewOf = (c: { args: Record<string, unknown> }) => c.args.view as Record<string, unknown>;
    const home = await h.slack.waitFor(() =>
      published(MANAGER).find((c) => textOf(viewOf(c)).includes(scheduled!.id)),
    );
    expect(buttonsOf(viewOf(home))).toContainEqual({ actionId: ACTION_IDS.drillStop, value: scheduled!.id });

    const before = published(MANAGER).length;
    await h.clickInView(ACTION_IDS.drillStop, MANAGER, scheduled!.id);
    const after = await h.slack.waitFor(() => published(MANAGER)[before], {
      what: 'App Home after the stop',
    });
    expect(textOf(viewOf(after))).not.toContain(scheduled!.id);
    expect(await h.team.deps.drills.active({ channelId: 'CHOME' })).toEqual([]);
  });
});

describe('App Home through startApp (the wiring in src/main.ts)', () => {
  let slack: FakeSlackPlus;
  let storage: Storage;
  let booted: Booted;

  beforeAll(async () => {
    slack = await startFakeSlackPlus();
    slack.users.set('UMAIN', { id: 'UMAIN', tz: 'Europe/Amsterdam' });
    storage = await newStorage('pglite');
    booted = await boot({ slack, storage, env: { SPARRING_MANAGERS: 'UMAIN' } });
  });
  afterAll(async () => {
    await booted?.app.stop();
    await slack?.close();
    await storage?.dispose();
  });

  it('publishes App Home with the shipped catalogue and answers `/spar drill list`', async () => {
    await booted.send.event({ type: 'app_home_opened', user: 'UMAIN', channel: 'DUMAIN', tab: 'home' });
    const call = await slack.waitFor(() => slack.callsTo('views.publish')[0], { what: 'App Home' });
    const view = call.args.view as Record<string, unknown>;
    expect(buttonsOf(view).filter((b) => b.actionId === ACTION_IDS.homeStart)).toHaveLength(12);
    expect(textOf(view)).toContain('*Weekly drills*');

    await booted.send.command({
      text: 'drill list',
      userId: 'UMAIN',
      channelId: 'CMAIN',
      responseUrl: slack.responseUrl('main'),
    });
    const answer = await slack.waitFor(() =>
      slack.callsTo('response_url').find((c) => c.args.url === '/respond/main'),
    );
    expect(textOf(answer.args)).toContain('No weekly drills are scheduled');
  });
});
