import { describe, expect, it } from 'vitest';
import { MESSAGES } from '../../src/i18n/messages.js';
import { summarize } from '../../src/scenarios/catalog.js';
import { feedbackCard } from '../../src/slack/blocks/feedback.js';
import { helpBlocks } from '../../src/slack/blocks/help.js';
import {
  scenarioListBlocks,
  scenarioPickerBlocks,
  unknownScenarioBlocks,
} from '../../src/slack/blocks/picker.js';
import {
  buyerReplyBlocks,
  failureBlocks,
  openingBlocks,
  sessionStartBlocks,
} from '../../src/slack/blocks/session.js';
import { MAX_BLOCKS, SECTION_TEXT_LIMIT } from '../../src/slack/text.js';
import { fixtureScenarios, sampleFeedback } from './harness.js';

const [vans, drill] = fixtureScenarios().map(summarize) as [
  ReturnType<typeof summarize>,
  ReturnType<typeof summarize>,
];

/** Every mrkdwn/plain text in the blocks, to check Slack's per-text limits. */
const texts = (blocks: unknown): string[] => {
  const out: string[] = [];
  const walk = (v: unknown) => {
    if (Array.isArray(v)) v.forEach(walk);
    else if (v && typeof v === 'object') {
      const o = v as Record<string, unknown>;
      if (typeof o.text === 'string') out.push(o.text);
      Object.values(o).forEach(walk);
    }
  };
  walk(blocks);
  return out;
};

/** Only mrkdwn is parsed for markup; plain_text (buttons, headers) is shown as typed. */
const mrkdwnTexts = (blocks: unknown): string[] => {
  const out: string[] = [];
  const walk = (v: unknown) => {
    if (Array.isArray(v)) v.forEach(walk);
    else if (v && typeof v === 'object') {
      const o = v as Record<string, unknown>;
      if (o.type === 'mrkdwn' && typeof o.text === 'string') out.push(o.text);
      Object.values(o).forEach(walk);
    }
  };
  walk(blocks);
  return out;
};

describe('Block Kit builders', () => {
  it('scenarioPickerBlocks: one Start button per scenario, facts in English', () => {
    expect(scenarioPickerBlocks([vans, drill])).toMatchInlineSnapshot(`
      [
        {
          "text": {
            "text": "*Pick a buyer to practise on.* Each session runs in its own thread.",
            "type": "mrkdwn",
          },
          "type": "section",
        },
        {
          "elements": [
            {
              "text": "🇬🇧 *English*",
              "type": "mrkdwn",
            },
          ],
          "type": "context",
        },
        {
          "accessory": {
            "action_id": "sparring_start",
            "style": "primary",
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
      🇬🇧 English · complex sale · difficulty 3/5
      Karen Holt, Ops manager at Holt Vans · \`en-fixture-vans\`",
            "type": "mrkdwn",
          },
          "type": "section",
        },
        {
          "elements": [
            {
              "text": "🇸🇪 *Swedish* · 🎯 close drills",
              "type": "mrkdwn",
            },
          ],
          "type": "context",
        },
        {
          "accessory": {
            "action_id": "sparring_start",
            "text": {
              "emoji": true,
              "text": "Start",
              "type": "plain_text",
            },
            "type": "button",
            "value": "sv-fixture-avslut",
          },
          "text": {
            "text": "*Avslut hos bageriet*
      🇸🇪 Swedish · simple sale · difficulty 2/5 · 🎯 close drill
      Eva Lind, ägare på Linds Bageri · \`sv-fixture-avslut\`",
            "type": "mrkdwn",
          },
          "type": "section",
        },
        {
          "elements": [
            {
              "text": "\`/spar help\` explains how a session works.",
              "type": "mrkdwn",
            },
          ],
          "type": "context",
        },
      ]
    `);
  });

  it('scenarioPickerBlocks stays within 50 blocks and says how many are not shown', () => {
    const many = Array.from({ length: 60 }, (_, i) => ({ ...vans, id: `en-many-${i}` }));
    const blocks = scenarioPickerBlocks(many);
    expect(blocks.length).toBeLessThanOrEqual(MAX_BLOCKS);
    // The intro, one language line, 46 scenarios, then the two closing lines.
    expect(texts(blocks).at(-2)).toContain('…and 14 more');
  });

  it('scenarioListBlocks and unknownScenarioBlocks list the ids', () => {
    expect(scenarioListBlocks([vans, drill])).toMatchInlineSnapshot(`
      [
        {
          "text": {
            "text": "*2 scenarios.* Start one with \`/spar &lt;id&gt;\`.",
            "type": "mrkdwn",
          },
          "type": "section",
        },
        {
          "text": {
            "text": "• \`en-fixture-vans\` Vans &amp; &lt;trackers&gt; (🇬🇧 English · complex sale · difficulty 3/5)
      • \`sv-fixture-avslut\` Avslut hos bageriet (🇸🇪 Swedish · simple sale · difficulty 2/5 · 🎯 close drill)",
            "type": "mrkdwn",
          },
          "type": "section",
        },
      ]
    `);
    expect(unknownScenarioBlocks('<b>', [vans])).toMatchInlineSnapshot(`
      [
        {
          "text": {
            "text": "There is no scenario \`&lt;b&gt;\`. These are the ones I know:",
            "type": "mrkdwn",
          },
          "type": "section",
        },
        {
          "text": {
            "text": "• \`en-fixture-vans\` Vans &amp; &lt;trackers&gt; (🇬🇧 English · complex sale · difficulty 3/5)",
            "type": "mrkdwn",
          },
          "type": "section",
        },
        {
          "elements": [
            {
              "text": "\`/spar\` alone shows them with Start buttons.",
              "type": "mrkdwn",
            },
          ],
          "type": "context",
        },
      ]
    `);
    expect(scenarioPickerBlocks([])).toMatchInlineSnapshot(`
      [
        {
          "text": {
            "text": "No scenarios are loaded. Add scenario files to the \`scenarios/\` folder and restart Sparring (\`npm run -s sparring -- scenarios lint\` checks them).",
            "type": "mrkdwn",
          },
          "type": "section",
        },
      ]
    `);
  });

  it('helpBlocks says what it is, how to practise and end, the commands, and the offline note', () => {
    expect(helpBlocks({ mode: 'offline' })).toMatchInlineSnapshot(`
      [
        {
          "text": {
            "emoji": true,
            "text": "Sparring: practise on a skeptical buyer",
            "type": "plain_text",
          },
          "type": "header",
        },
        {
          "text": {
            "text": "Sparring plays a B2B buyer from a scenario: busy, skeptical and fair. You practise the conversation and the close in a Slack thread, and a coach then tells you one thing above all: *did you connect with this buyer, or did you just run the script?*",
            "type": "mrkdwn",
          },
          "type": "section",
        },
        {
          "text": {
            "text": "*How to practise*
      1. Type \`/spar\` and press *Start* on a scenario (or \`/spar &lt;id&gt;\`). In a channel, the session is visible and runs in its own thread; in a direct message with Sparring it stays between you.
      2. The buyer opens in the thread. Reply *in that thread*; only your messages are answered.
      3. Find out how they buy before you pitch, reflect what you hear, and close when you have earned it.",
            "type": "mrkdwn",
          },
          "type": "section",
        },
        {
          "text": {
            "text": "*How a session ends*
      Press *End &amp; get feedback* on the session message, or let the buyer make the decision. The feedback card shows the verdict, a score per dimension with quotes from your thread, the numbers, and one thing to try next time. *Try again* starts the same scenario in a new thread.",
            "type": "mrkdwn",
          },
          "type": "section",
        },
        {
          "text": {
            "text": "*Commands*
      • \`/spar\`: pick a scenario
      • \`/spar &lt;id&gt;\`: start that scenario here
      • \`/spar list\`: every scenario with its id
      • \`/spar help\`: this message
      • \`@Sparring &lt;id&gt;\` in a channel: start a session in the thread of your mention",
            "type": "mrkdwn",
          },
          "type": "section",
        },
        {
          "text": {
            "text": "*For managers*
      • \`/spar drill &lt;id&gt; every &lt;weekday&gt; &lt;HH:MM&gt;\`: a weekly drill in this channel, in your time zone
      • \`/spar drill list\`, \`/spar drill results\`, \`/spar drill stop &lt;id&gt;\`
      • \`/spar scenario new\`: write a scenario in a form; or send a scenario \`.yaml\` file to Sparring in a direct message
      • \`/spar scenario retire &lt;id&gt;\`: hide a scenario from the pickers
      • App Home: your recent sessions and the catalogue; for managers also the team, drills and usage",
            "type": "mrkdwn",
          },
          "type": "section",
        },
        {
          "type": "divider",
        },
        {
          "elements": [
            {
              "text": "Offline mode: no model is configured, so a scripted buyer follows the scenario’s own lines and the coach judges from the metrics alone.",
              "type": "mrkdwn",
            },
          ],
          "type": "context",
        },
      ]
    `);
    expect(texts(helpBlocks({ mode: 'llm' })).join('\n')).not.toContain('Offline mode');
  });

  it('sessionStartBlocks: the visible session message with End, in the scenario’s language', () => {
    expect(sessionStartBlocks({ t: MESSAGES.en, userId: 'U1', scenario: vans })).toMatchInlineSnapshot(`
      [
        {
          "accessory": {
            "action_id": "sparring_end",
            "text": {
              "emoji": true,
              "text": "End & get feedback",
              "type": "plain_text",
            },
            "type": "button",
          },
          "text": {
            "text": "<@U1> is practising *Vans &amp; &lt;trackers&gt;* · 🇬🇧 English · complex sale · difficulty 3/5",
            "type": "mrkdwn",
          },
          "type": "section",
        },
      ]
    `);
    expect(sessionStartBlocks({ t: MESSAGES.sv, userId: 'U1', scenario: drill })).toMatchInlineSnapshot(`
      [
        {
          "accessory": {
            "action_id": "sparring_end",
            "text": {
              "emoji": true,
              "text": "Avsluta och få feedback",
              "type": "plain_text",
            },
            "type": "button",
          },
          "text": {
            "text": "<@U1> övar på *Avslut hos bageriet* · 🇸🇪 svenska · enkel försäljning · svårighetsgrad 2/5 · 🎯 avslutsövning",
            "type": "mrkdwn",
          },
          "type": "section",
        },
      ]
    `);
  });

  it('openingBlocks: offline label, brief, close-drill summary, then the buyer', () => {
    expect(
      openingBlocks({
        t: MESSAGES.sv,
        mode: 'offline',
        brief: 'Du har pratat med Eva.',
        buyer: { name: 'Eva Lind', role: 'ägare', company: 'Linds Bageri' },
        summary: 'Eva vill slippa söndagar.\nOch <inga> fler mejl.',
        text: 'Vad händer nu?',
      }),
    ).toMatchInlineSnapshot(`
      [
        {
          "elements": [
            {
              "text": ":electric_plug: Offlineläge: ingen modell är konfigurerad, så en skriptad köpare spelar scenariot och coachen använder bara mätvärden.",
              "type": "mrkdwn",
            },
          ],
          "type": "context",
        },
        {
          "text": {
            "text": "Du har pratat med Eva.",
            "type": "mrkdwn",
          },
          "type": "section",
        },
        {
          "text": {
            "text": "*Avslutsövning. Samtalet hittills, med köparens egna ord:*
      >Eva vill slippa söndagar.
      >Och &lt;inga&gt; fler mejl.",
            "type": "mrkdwn",
          },
          "type": "section",
        },
        {
          "text": {
            "text": "*Eva Lind* (ägare, Linds Bageri): Vad händer nu?",
            "type": "mrkdwn",
          },
          "type": "section",
        },
        {
          "elements": [
            {
              "text": "Svara i den här tråden för att prata med Eva Lind. Tryck på ”Avsluta och få feedback” när du är klar.",
              "type": "mrkdwn",
            },
          ],
          "type": "context",
        },
      ]
    `);
  });

  it('buyerReplyBlocks escapes the buyer’s words and splits long replies within the section limit', () => {
    expect(buyerReplyBlocks({ name: 'Karen', text: 'Fine <b> & "ok"' })).toMatchInlineSnapshot(`
      [
        {
          "text": {
            "text": "*Karen:* Fine &lt;b&gt; &amp; "ok"",
            "type": "mrkdwn",
          },
          "type": "section",
        },
      ]
    `);
    const long = buyerReplyBlocks({ name: 'Karen', text: `${'word '.repeat(700)}& <end>` });
    expect(long.length).toBe(2);
    for (const t of texts(long)) expect(t.length).toBeLessThanOrEqual(SECTION_TEXT_LIMIT);
    expect(texts(long).join(' ')).toContain('&amp; &lt;end&gt;');
  });

  it('failureBlocks: a localized reason and a Retry button carrying the session id', () => {
    expect(failureBlocks({ t: MESSAGES.da, code: 'llm_timeout', sessionId: 's-1' })).toMatchInlineSnapshot(`
      [
        {
          "text": {
            "text": ":warning: Køberen kunne ikke svare (modellen var for længe om det). Din besked er gemt; prøv igen, når du er klar.",
            "type": "mrkdwn",
          },
          "type": "section",
        },
        {
          "elements": [
            {
              "action_id": "sparring_retry",
              "style": "primary",
              "text": {
                "emoji": true,
                "text": "Prøv igen",
                "type": "plain_text",
              },
              "type": "button",
              "value": "s-1",
            },
          ],
          "type": "actions",
        },
      ]
    `);
    expect(texts(failureBlocks({ t: MESSAGES.nl, code: 'internal', sessionId: 's-1' }))[0]).toContain(
      'er ging iets mis',
    );
  });

  it('feedbackCard: verdict, outcome, scores with linked and plain quotes, metrics, next time, Try again', () => {
    const feedback = sampleFeedback([
      { turn: 1, quote: 'How do <you> plan & dispatch?' },
      { turn: 2, quote: 'A spreadsheet' },
    ]);
    expect(
      feedbackCard({
        t: MESSAGES.en,
        feedback,
        outcome: 'open',
        scenarioId: 'en-fixture-vans',
        buyerName: 'Karen Holt',
        roles: ['buyer', 'rep', 'buyer'],
        links: new Map([[1, 'https://test.slack.com/archives/C1/p1']]),
      }),
    ).toMatchInlineSnapshot(`
      [
        {
          "text": {
            "emoji": true,
            "text": "Feedback: Mixed: some connection, some script",
            "type": "plain_text",
          },
          "type": "header",
        },
        {
          "elements": [
            {
              "text": "Offline coach: judged from the metrics alone.",
              "type": "mrkdwn",
            },
          ],
          "type": "context",
        },
        {
          "text": {
            "text": "*No decision: the conversation ended open.*",
            "type": "mrkdwn",
          },
          "type": "section",
        },
        {
          "text": {
            "text": "You asked &lt;good&gt; questions &amp; listened.",
            "type": "mrkdwn",
          },
          "type": "section",
        },
        {
          "type": "divider",
        },
        {
          "text": {
            "text": "*Discovery*  ●●●●○ 4/5
      Good questions.
      >“How do &lt;you&gt; plan &amp; dispatch?”
      — <https://test.slack.com/archives/C1/p1|You>
      >“A spreadsheet”
      — Karen Holt",
            "type": "mrkdwn",
          },
          "type": "section",
        },
        {
          "text": {
            "text": "*Listening and reflecting*  ●●●○○ 3/5",
            "type": "mrkdwn",
          },
          "type": "section",
        },
        {
          "text": {
            "text": "*Handling the no*  ●●○○○ 2/5
      You argued.",
            "type": "mrkdwn",
          },
          "type": "section",
        },
        {
          "text": {
            "text": "*The close*  ●○○○○ 1/5
      No close.",
            "type": "mrkdwn",
          },
          "type": "section",
        },
        {
          "type": "divider",
        },
        {
          "fields": [
            {
              "text": "Your share of the words
      *62%*",
              "type": "mrkdwn",
            },
            {
              "text": "Questions (discovery)
      *3 (2)*",
              "type": "mrkdwn",
            },
            {
              "text": "Close attempts
      *1*",
              "type": "mrkdwn",
            },
            {
              "text": "Last close
      *a next step*",
              "type": "mrkdwn",
            },
            {
              "text": "Recap before the close
      *no*",
              "type": "mrkdwn",
            },
            {
              "text": "Added an argument after the close
      *yes*",
              "type": "mrkdwn",
            },
            {
              "text": "Pitched before discovery
      *no*",
              "type": "mrkdwn",
            },
            {
              "text": "Buyer’s no (flat / disguised)
      *no / yes*",
              "type": "mrkdwn",
            },
          ],
          "text": {
            "text": "*Metrics*",
            "type": "mrkdwn",
          },
          "type": "section",
        },
        {
          "text": {
            "text": ":dart: *Next time:* Recap before you ask.",
            "type": "mrkdwn",
          },
          "type": "section",
        },
        {
          "elements": [
            {
              "action_id": "sparring_try_again",
              "style": "primary",
              "text": {
                "emoji": true,
                "text": "Try again",
                "type": "plain_text",
              },
              "type": "button",
              "value": "en-fixture-vans",
            },
          ],
          "type": "actions",
        },
      ]
    `);
  });

  it('feedbackCard says, in the scenario language and under the verdict, that the model coach failed', () => {
    const card = (fallback: boolean) =>
      feedbackCard({
        t: MESSAGES.sv,
        feedback: {
          ...sampleFeedback([]),
          mode: 'offline',
          ...(fallback
            ? { fallback: { code: 'llm_timeout', reason: 'The model server did not answer in time' } }
            : {}),
        },
        outcome: null,
        scenarioId: 'x',
        buyerName: null,
        roles: [],
        links: new Map(),
      });
    const withFallback = texts(card(true));
    expect(withFallback[1]).toContain('Modellcoachen misslyckades');
    expect(withFallback).not.toContain(MESSAGES.sv.coachOffline);
    // Plain offline mode keeps its own line and says nothing about a failure.
    expect(texts(card(false)).join('\n')).not.toContain('misslyckades');
    expect(texts(card(false))).toContain(MESSAGES.sv.coachOffline);
  });

  it('feedbackCard stays within Slack’s limits with very long coach output', () => {
    const feedback = sampleFeedback(Array.from({ length: 20 }, () => ({ turn: 1, quote: 'q'.repeat(4000) })));
    feedback.summary = 'S '.repeat(5000);
    feedback.dimensions[0]!.comment = '<c> '.repeat(2000);
    const blocks = feedbackCard({
      t: MESSAGES.nl,
      feedback,
      outcome: null,
      scenarioId: 'x',
      buyerName: null,
      roles: ['buyer', 'rep'],
      links: new Map(),
    });
    expect(blocks.length).toBeLessThanOrEqual(MAX_BLOCKS);
    for (const t of texts(blocks)) expect(t.length).toBeLessThanOrEqual(SECTION_TEXT_LIMIT);
    // Escaping never leaves a cut entity behind.
    expect(texts(blocks).join('\n')).not.toMatch(/&(?:a|am|l|g|lt|gt)?(?![a-z]*;)(?=\s|$)/);
  });
});

describe('escaping in every builder', () => {
  const hostile = 'Hi <!channel> & <@U999> <https://evil.test|click> >_<';
  /** A raw "&" that starts no entity, or a "<" that opens anything but our own links and mentions. */
  const rawMarkup = /&(?!(?:amp|lt|gt);)|<(?!@U1>|https:\/\/test\.slack\.com\/)/;

  it('never lets scenario, buyer, rep or coach text become Slack markup', () => {
    const evil = { ...vans, title: hostile, persona: hostile };
    const feedback = sampleFeedback([{ turn: 1, quote: hostile }]);
    feedback.summary = hostile;
    feedback.nextTime = hostile;
    feedback.dimensions[1]!.comment = hostile;
    const all = [
      ...scenarioPickerBlocks([evil]),
      ...scenarioListBlocks([evil]),
      ...unknownScenarioBlocks(hostile, [evil]),
      ...sessionStartBlocks({ t: MESSAGES.en, userId: 'U1', scenario: evil }),
      ...openingBlocks({
        t: MESSAGES.en,
        mode: 'offline',
        brief: hostile,
        buyer: { name: hostile, role: hostile, company: hostile },
        summary: hostile,
        text: hostile,
      }),
      ...buyerReplyBlocks({ name: hostile, text: hostile }),
      ...feedbackCard({
        t: MESSAGES.en,
        feedback,
        outcome: 'no',
        scenarioId: 'x',
        buyerName: hostile,
        roles: ['buyer', 'rep'],
        links: new Map([[1, 'https://test.slack.com/archives/C1/p1']]),
      }),
    ];
    expect(mrkdwnTexts(all).length).toBeGreaterThan(20);
    const offending = mrkdwnTexts(all).filter((t) => rawMarkup.test(t));
    expect(offending).toEqual([]);
    // The check itself catches what it should.
    expect(rawMarkup.test('a <!channel>')).toBe(true);
    expect(rawMarkup.test('a & b')).toBe(true);
  });
});
