import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { signature } from '../helpers/slack-requests.js';
import { SIGNING_SECRET, type Stack, startSession, startStack } from './stack.js';

const REP = 'UREPREPLAY';

/** Sends exactly these bytes with exactly these headers, as someone who captured a request would. */
async function sendRaw(baseUrl: string, r: { body: string; contentType: string; timestamp: number }) {
  const res = await fetch(`${baseUrl}/slack/events`, {
    method: 'POST',
    headers: {
      'content-type': r.contentType,
      'x-slack-request-timestamp': String(r.timestamp),
      'x-slack-signature': signature(SIGNING_SECRET, r.timestamp, r.body),
    },
    body: r.body,
  });
  await res.arrayBuffer();
  return res.status;
}

const FORM = 'application/x-www-form-urlencoded';
const now = () => Math.floor(Date.now() / 1000);

/**
 * Slack signs every request with its timestamp and refuses nothing itself: a request captured on the way (a
 * proxy's log, a leaked HAR file) could be sent again within Bolt's 5-minute window, and each copy would start a
 * session, press a button again, or save a scenario twice. Slack never retries commands and interactions, so a
 * second copy of one is refused; events are deduplicated by their id instead. A timestamp from the future is
 * refused like a stale one.
 */
describe('resilience: replayed and future-dated signed requests', () => {
  let stack: Stack;
  beforeAll(async () => {
    stack = await startStack({ kind: 'pglite' });
  }, 60_000);
  afterAll(async () => {
    await stack?.dispose();
  });

  it('refuses a byte-identical slash command, button and view submission sent a second time', async () => {
    const { slack } = stack;
    const timestamp = now();
    const command = new URLSearchParams({
      command: '/spar',
      text: 'en-florist-card-readers',
      user_id: REP,
      channel_id: 'CREPLAY1',
      team_id: 'T0001',
      response_url: slack.responseUrl(),
      trigger_id: 'trig.replay.1',
    }).toString();
    expect(await sendRaw(stack.baseUrl, { body: command, contentType: FORM, timestamp })).toBe(200);
    expect(await sendRaw(stack.baseUrl, { body: command, contentType: FORM, timestamp })).toBe(401);
    await slack.waitFor(() => slack.callsTo('chat.postMessage').find((c) => c.args.channel === 'CREPLAY1'));
    await new Promise((r) => setTimeout(r, 500));
    // One session, not two.
    expect(
      slack.callsTo('chat.postMessage').filter((c) => c.args.channel === 'CREPLAY1' && !c.args.thread_ts),
    ).toHaveLength(1);

    const { header } = await startSession(stack, {
      channel: 'CREPLAY2',
      user: REP,
      scenarioId: 'en-florist-card-readers',
    });
    const button = `payload=${encodeURIComponent(
      JSON.stringify({
        type: 'block_actions',
        user: { id: REP },
        team: { id: 'T0001' },
        channel: { id: 'CREPLAY2' },
        container: { type: 'message', message_ts: header.response.ts, channel_id: 'CREPLAY2' },
        message: { ts: header.response.ts },
        trigger_id: 'trig.replay.2',
        response_url: slack.responseUrl(),
        actions: [{ type: 'button', action_id: 'sparring_end', block_id: 'b', action_ts: '1.2' }],
      }),
    )}`;
    expect(await sendRaw(stack.baseUrl, { body: button, contentType: FORM, timestamp })).toBe(200);
    expect(await sendRaw(stack.baseUrl, { body: button, contentType: FORM, timestamp })).toBe(401);

    const view = `payload=${encodeURIComponent(
      JSON.stringify({
        type: 'view_submission',
        user: { id: REP },
        team: { id: 'T0001' },
        trigger_id: 'trig.replay.3',
        view: { id: 'VREPLAY', callback_id: 'sparring_nobody', state: { values: {} } },
      }),
    )}`;
    // Nobody handles this view (404); its replay is refused before anyone looks.
    expect(await sendRaw(stack.baseUrl, { body: view, contentType: FORM, timestamp })).toBe(404);
    expect(await sendRaw(stack.baseUrl, { body: view, contentType: FORM, timestamp })).toBe(401);

    // The same command signed a second later is a new request (Slack's own signature differs): accepted.
    const again = await sendRaw(stack.baseUrl, {
      body: command.replace('trig.replay.1', 'trig.replay.4'),
      contentType: FORM,
      timestamp: timestamp + 1,
    });
    expect(again).toBe(200);
  }, 60_000);

  it('refuses a timestamp more than five minutes in the future, and takes one a minute ahead', async () => {
    const body = new URLSearchParams({
      command: '/spar',
      text: 'list',
      user_id: REP,
      channel_id: 'CREPLAY3',
      team_id: 'T0001',
      response_url: stack.slack.responseUrl(),
      trigger_id: 'trig.future',
    }).toString();
    expect(await sendRaw(stack.baseUrl, { body, contentType: FORM, timestamp: now() + 600 })).toBe(401);
    expect(await sendRaw(stack.baseUrl, { body, contentType: FORM, timestamp: now() + 86_400 })).toBe(401);
    // Clocks drift a little: a minute ahead is still Slack.
    expect(await sendRaw(stack.baseUrl, { body, contentType: FORM, timestamp: now() + 60 })).toBe(200);
  });
});
