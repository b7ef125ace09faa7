import { describe, expect, it } from 'vitest';
import { drillReport } from '../../src/drills/summary.js';
import { messages } from '../../src/i18n/messages.js';
import { drillListBlocks, drillPostBlocks, drillSummaryBlocks } from '../../src/slack/blocks/drill.js';
import { sampleFeedback } from './harness.js';

const at = (iso: string) => new Date(iso);
const coached = (userId: string, verdict: 'connected' | 'mixed' | 'script', minute: number) => ({
  userId,
  createdAt: at(`2025-03-24T09:${String(minute).padStart(2, '0')}:00Z`),
  feedback: { ...sampleFeedback(), verdict },
});

describe('drill blocks', () => {
  it('posts the drill in the scenario’s language with one "Start my attempt" button', () => {
    expect(
      drillPostBlocks({
        t: messages('sv'),
        scenario: {
          id: 'sv-fixture-avslut',
          title: 'Avslut & <bageriet>',
          language: 'sv',
          sale: 'simple',
          difficulty: 2,
          start: 'close',
          persona: 'Eva Lind, ägare på Linds Bageri',
        },
        brief: 'Du har pratat med Eva\ni en halvtimme.',
        runId: 'dk7m2qx-20250324T0800Z',
        closesAt: at('2025-03-31T07:00:00Z'),
      }),
    ).toMatchInlineSnapshot(`
      [
        {
          "text": {
            "emoji": true,
            "text": "🏋️ Veckans teamövning: Avslut & <bageriet>",
            "type": "plain_text",
          },
          "type": "header",
        },
        {
          "text": {
            "text": "Den här veckan övar alla på samma köpare. Tryck på knappen så får du en egen tråd att öva i. Resultatet läggs upp här när övningen stänger (<!date^1743404400^{date_long_pretty} {time}|2025-03-31 07:00 UTC>).",
            "type": "mrkdwn",
          },
          "type": "section",
        },
        {
          "text": {
            "text": ">Du har pratat med Eva
      >i en halvtimme.",
            "type": "mrkdwn",
          },
          "type": "section",
        },
        {
          "elements": [
            {
              "text": "Eva Lind, ägare på Linds Bageri · 🇸🇪 svenska · enkel försäljning · svårighetsgrad 2/5 · 🎯 avslutsövning",
              "type": "mrkdwn",
            },
          ],
          "type": "context",
        },
        {
          "elements": [
            {
              "action_id": "sparring_drill_attempt",
              "style": "primary",
              "text": {
                "emoji": true,
                "text": "Starta mitt försök",
                "type": "plain_text",
              },
              "type": "button",
              "value": "dk7m2qx-20250324T0800Z",
            },
          ],
          "type": "actions",
        },
      ]
    `);
  });

  it('sums up a run with the change since the previous one, in Dutch', () => {
    const report = drillReport(
      [
        coached('U1', 'connected', 1),
        coached('U2', 'script', 2),
        { userId: 'U3', createdAt: at('2025-03-24T09:03:00Z'), feedback: null },
      ],
      [coached('U1', 'script', 1)],
    );
    expect(
      drillSummaryBlocks({ t: messages('nl'), title: 'Netcongestie & zonnepanelen', report }),
    ).toMatchInlineSnapshot(`
      [
        {
          "text": {
            "emoji": true,
            "text": "📊 Resultaten van de teamoefening: Netcongestie & zonnepanelen",
            "type": "plain_text",
          },
          "type": "header",
        },
        {
          "text": {
            "text": "Deden mee (3): <@U1>, <@U2>, <@U3>",
            "type": "mrkdwn",
          },
          "type": "section",
        },
        {
          "text": {
            "text": "*Oordelen:* echt contact *1* · gemengd *0* · script afgedraaid *1* · niet afgerond *1*
      :mag: Meest voorkomende valkuil: *geen samenvatting vóór de afsluiting* (2 van 2)
      :chart_with_downwards_trend: Zwakste punt: *De afsluiting* (gemiddeld 1.0/5)",
            "type": "mrkdwn",
          },
          "type": "section",
        },
        {
          "text": {
            "text": "*Sinds de vorige oefening*
      • deelnemers: 3 (vorige keer 1)
      • echt contact: 50% (vorige keer 0%)
      • geen samenvatting vóór de afsluiting: 100% (vorige keer 100%)
      • De afsluiting: 1.0/5 (vorige keer 1.0)",
            "type": "mrkdwn",
          },
          "type": "section",
        },
      ]
    `);
  });

  it('says when nobody took part, and that a first run has nothing to compare with', () => {
    const blocks = drillSummaryBlocks({ t: messages('en'), title: 'Vans', report: drillReport([], null) });
    expect(blocks.map((b) => JSON.stringify(b))).toEqual([
      expect.stringContaining('📊 Team drill results: Vans'),
      expect.stringContaining('Nobody took part in this drill.'),
      expect.stringContaining('This is the first run of this drill'),
    ]);
  });

  it('lists drills in English for `/spar drill list`', () => {
    const blocks = drillListBlocks([
      {
        drill: {
          id: 'dk7m2qx',
          teamId: null,
          channelId: 'CTEAM',
          scenarioId: 'x',
          weekday: 5,
          time: '16:30',
          timeZone: 'America/New_York',
          createdBy: 'U',
          createdAt: at('2025-03-01T00:00:00Z'),
          stoppedAt: null,
          stoppedBy: null,
          publicAttempts: false,
        },
        title: 'A & B',
        next: at('2025-03-21T20:30:00Z'),
      },
    ]);
    expect(JSON.stringify(blocks)).toContain(
      '• `dk7m2qx` *A &amp; B* in <#CTEAM> · every Friday at 16:30 (America/New_York) · next <!date^1742589000^{date_short_pretty} {time}|2025-03-21 20:30 UTC>',
    );
  });
});
