import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { LANGUAGES } from '../../src/domain/language.js';
import { MESSAGES, messages } from '../../src/i18n/messages.js';
import { ACTION_IDS } from '../../src/slack/action-ids.js';
import { drillListBlocks, drillStopButton } from '../../src/slack/blocks/drill.js';
import type { Drill } from '../../src/store/drills.js';
import { MANAGER, REP, startTeamHarness, type TeamHarness } from '../drills/team-harness.js';

const drill = (id: string): Drill => ({
  id,
  teamId: null,
  channelId: 'CTEAM',
  scenarioId: 'en-fixture-vans',
  weekday: 1,
  time: '09:00',
  timeZone: 'Europe/Stockholm',
  createdBy: MANAGER,
  createdAt: new Date('2025-03-01T00:00:00Z'),
  stoppedAt: null,
  stoppedBy: null,
  publicAttempts: false,
});
const line = (id: string) => ({ drill: drill(id), title: 'Vans', next: new Date('2025-03-24T08:00:00Z') });

/** Every button in some blocks, as Slack receives them. */
const buttons = (blocks: unknown): Array<Record<string, unknown>> => {
  const found: Array<Record<string, unknown>> = [];
  const walk = (v: unknown) => {
    if (Array.isArray(v)) v.forEach(walk);
    else if (v && typeof v === 'object') {
      const o = v as Record<string, unknown>;
      if (o.type === 'button') found.push(o);
      Object.values(o).forEach(walk);
    }
  };
  walk(blocks);
  return found;
};

describe('the drill Stop button', () => {
  it('asks for confirmation first', () => {
    expect(drillStopButton('dk7m2qx')).toMatchInlineSnapshot(`
      {
        "action_id": "sparring_drill_stop",
        "confirm": {
          "confirm": {
            "text": "Stop the drill",
            "type": "plain_text",
          },
          "deny": {
            "text": "Keep it",
            "type": "plain_text",
          },
          "style": "danger",
          "text": {
            "text": "No new weekly posts will be made. The results of its open week are posted in the channel.",
            "type": "plain_text",
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
      }
    `);
  });

  it.each(LANGUAGES)('has a confirm dialog within Slack’s limits in %s', (lang) => {
    const { confirm } = drillStopButton('dk7m2qx', messages(lang)) as unknown as {
      confirm: Record<string, { text: string }>;
    };
    expect(confirm.title!.text.length).toBeLessThanOrEqual(100);
    expect(confirm.text!.text.length).toBeLessThanOrEqual(300);
    expect(confirm.confirm!.text.length).toBeLessThanOrEqual(30);
    expect(confirm.deny!.text.length).toBeLessThanOrEqual(30);
    if (lang !== 'en') expect(confirm.title!.text).not.toBe(MESSAGES.en.stopDrillConfirm.title);
  });

  it('is on every drill of a manager’s `/spar drill list`, and on no one else’s', () => {
    const forManager = buttons(drillListBlocks([line('daaaaaa'), line('dbbbbbb')], { stop: true }));
    expect(forManager.map((b) => [b.action_id, b.value])).toEqual([
      [ACTION_IDS.drillStop, 'daaaaaa'],
      [ACTION_IDS.drillStop, 'dbbbbbb'],
    ]);
    expect(forManager.every((b) => typeof b.confirm === 'object')).toBe(true);
    expect(buttons(drillListBlocks([line('daaaaaa')]))).toEqual([]);
  });

  it('every destructive button in the drill blocks has a confirm dialog', () => {
    const all = buttons(drillListBlocks([line('daaaaaa')], { stop: true }));
    const destructive = all.filter((b) => b.style === 'danger' || b.action_id === ACTION_IDS.drillStop);
    expect(destructive.length).toBeGreaterThan(0);
    for (const b of destructive) expect(b.confirm).toBeDefined();
  });
});

describe('/spar drill list in Slack', () => {
  let h: TeamHarness;
  beforeAll(async () => {
    h = await startTeamHarness();
    h.slack.users.set(MANAGER, { id: MANAGER, tz: 'Europe/Stockholm' });
    h.slack.users.set(REP, { id: REP, tz: 'Europe/Stockholm' });
  });
  afterAll(async () => {
    await h?.close();
  });

  const list = async (userId: string, id: string) => {
    await h.send.command({
      text: 'drill list',
      userId,
      channelId: 'CLIST',
      responseUrl: h.slack.responseUrl(id),
    });
    const answer = await h.slack.waitFor(() =>
      h.slack.callsTo('response_url').find((c) => c.args.url === `/respond/${id}`),
    );
    return buttons(answer.args.blocks);
  };

  it('shows managers a confirmed Stop, reps none', async () => {
    await h.send.command({
      text: 'drill en-fixture-vans every monday 09:00',
      userId: MANAGER,
      channelId: 'CLIST',
      responseUrl: h.slack.responseUrl('sched'),
    });
    await h.slack.waitFor(() => h.slack.callsTo('response_url').find((c) => c.args.url === '/respond/sched'));
    const managers = await list(MANAGER, 'lm');
    expect(managers).toHaveLength(1);
    expect(managers[0]).toMatchObject({ action_id: ACTION_IDS.drillStop, confirm: { style: 'danger' } });
    expect(await list(REP, 'lr')).toEqual([]);
  });
});
