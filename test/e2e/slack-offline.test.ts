import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ACTION_IDS } from '../../src/slack/action-ids.js';
import { backends } from '../helpers/db.js';
import { buttonsOf, type FakeSlack, startFakeSlack, textOf } from '../helpers/fake-slack.js';
import { signature } from '../helpers/slack-requests.js';
import { type Booted, boot, ids, newStorage, SIGNING_SECRET, type Storage, threads } from './boot.js';

const REP = 'UREP1';
const SCENARIO = 'en-florist-card-readers';

describe.each(backends)('Sparring in Slack, offline mode, end to end (%s)', (kind) => {
  let slack: FakeSlack;
  let storage: Storage;
  let booted: Booted;
  let t: ReturnType<typeof threads>;

  beforeAll(async () => {
    slack = await startFakeSlack();
    storage = await newStorage(kind);
    booted = await boot({ slack, storage });
    t = threads(slack);
  });
  afterAll(async () => {
    await booted?.app.stop();
    await slack?.close();
    await storage?.dispose();
  });

  it('answers GET /healthz with 200', async () => {
    const res = await fetch(`${booted.baseUrl}/healthz`);
    expect(res.status).toBe(200);
  });

  it('refuses a bad signature and a stale timestamp with 401, and accepts a good one', async () => {
    const channel = ids.channel();
    const command = (o: { secret?: string; timestamp?: number }) =>
      booted.send.command(
        { text: 'list', userId: REP, channelId: channel, responseUrl: slack.responseUrl() },
        o,
      );
    expect((await command({ secret: 'wrong-secret' })).status).toBe(401);
    expect((await command({ timestamp: Math.floor(Date.now() / 1000) - 60 * 10 })).status).toBe(401);
    const ok = await command({});
    expect(ok.status).toBe(200);
    expect(textOf(ok.json() as Record<string, unknown>)).toContain(SCENARIO);
    // A body changed after signing is refused too.
    const body = 'command=%2Fspar&text=list';
    const ts = Math.floor(Date.now() / 1000);
    const res = await fetch(`${booted.baseUrl}/slack/events`, {
      method: 'POST',
      headers: {
        'content-type': 'application/x-www-form-urlencoded',
        'x-slack-request-timestamp': String(ts),
        'x-slack-signature': signature(SIGNING_SECRET, ts, `${body}&user_id=UEVIL`),
      },
      body,
    });
    expect(res.status).toBe(401);
  });

  it('runs a whole session on a shipped scenario: opening, replies in order, End, feedback card', async () => {
    const channel = ids.channel();
    const { header, threadTs, opening } = await t.start(booted.send, {
      scenarioId: SCENARIO,
      channel,
      user: REP,
    });
    expect(header.args.text).toContain(
      `<@${REP}> is practising *The florist whose card reader drops out at weddings*`,
    );
    expect(buttonsOf(header.args)).toEqual([{ actionId: ACTION_IDS.end }]);
    const openingText = textOf(opening.args);
    expect(openingText).toContain('Offline mode');
    expect(openingText).toContain('*Dawn Price* (owner, Petals &amp; Stems)');

    const lines = [
      'Hi Dawn, thanks for asking us to call. Where does taking card payments get difficult for you?',
      'That sounds painful. How do you manage at the market today when the signal drops?',
      'What do you pay for the terminals you rent now?',
    ];
    const sent: Array<{ ts: string; at: number }> = [];
    for (const [i, text] of lines.entries()) {
      const ts = ids.ts();
      sent.push({ ts, at: Date.now() });
      await booted.send.message({ user: REP, channel, text, ts, threadTs });
      const replies = await t.replies(channel, threadTs, i + 1);
      expect(replies[i]!.at).toBeGreaterThanOrEqual(sent[i]!.at);
      expect(textOf(replies[i]!.args)).toMatch(/^\*Dawn Price:\* \S/);
    }
    // Offline answers are instant: the buyer is shown writing only after 600 ms without an answer (the thread
    // status, or where Slack refuses it the 💭 reaction), so a reaction is rare here; any added was taken away.
    for (const { ts } of sent) {
      if (slack.callsTo('reactions.add').some((c) => c.args.timestamp === ts)) {
        await slack.waitFor(() => slack.callsTo('reactions.remove').some((c) => c.args.timestamp === ts));
      }
    }

    await booted.send.action({
      actionId: ACTION_IDS.end,
      userId: REP,
      channelId: channel,
      messageTs: threadTs,
      responseUrl: slack.responseUrl(),
    });
    const card = await slack.waitFor(
      () => t.inThread(channel, threadTs).find((c) => String(c.args.text).startsWith('Feedback: ')),
      { what: 'the feedback card' },
    );
    const text = textOf(card.args);
    expect(text).toMatch(
      /Feedback: (You connected with the buyer|You ran the script|Mixed: some connection, some script)/,
    );
    expect(text).toContain('*Discovery*');
    expect(text).toContain('Your share of the words');
    expect(text).toContain('Questions (discovery)');
    expect(text).toContain('*Next time:*');
    expect(text).toContain('Offline coach: judged from the metrics alone.');
    // Try again, then the rep's 👍 / 👎 on the verdict, both carrying the session.
    const [tryAgain, ...fair] = buttonsOf(card.args);
    expect(tryAgain).toEqual({ actionId: ACTION_IDS.tryAgain, value: SCENARIO });
    expect(fair.map((b) => b.actionId)).toEqual([ACTION_IDS.verdictFair, ACTION_IDS.verdictUnfair]);
    expect(fair[0]?.value).toBeTruthy();
    expect(fair[1]?.value).toBe(fair[0]?.value);
    // The coach quotes the rep; each quote links to the quoted message in this thread.
    const links = [...text.matchAll(/<(https:\/\/[^|>]+)\|([^>]+)>/g)];
    expect(links.length).toBeGreaterThan(0);
    for (const [, url, who] of links) {
      expect(url).toMatch(new RegExp(`/archives/${channel}/p\\d+$`));
      if (who === 'You') expect(sent.map((m) => m.ts.replace('.', ''))).toContain(url!.split('/p').at(-1));
    }
    expect(t.inThread(channel, threadTs).every((c) => c.args.channel === channel)).toBe(true);

    // After the end, a message gets a short notice, to the rep alone, and no buyer.
    await booted.send.message({ user: REP, channel, text: 'Are you still there?', ts: ids.ts(), threadTs });
    const notice = await slack.waitFor(() =>
      slack
        .callsTo('chat.postEphemeral')
        .find((c) => c.args.thread_ts === threadTs && textOf(c.args).includes('has ended')),
    );
    expect(notice.args.user).toBe(REP);
    expect(textOf(notice.args)).toContain('This practice session has ended.');
  });

  it('answers a message once when Slack delivers its event twice, or retries it', async () => {
    const channel = ids.channel();
    const { threadTs } = await t.start(booted.send, { scenarioId: SCENARIO, channel, user: REP });
    const message = {
      user: REP,
      channel,
      text: 'What does a typical Saturday look like for you?',
      ts: ids.ts(),
      threadTs,
    };
    const eventId = `EvE2E${Date.now()}`;
    const first = await booted.send.message(message, { eventId });
    const again = await booted.send.message(message, { eventId });
    const retried = await booted.send.message(message, { eventId, retryNum: 1 });
    expect([first.status, again.status, retried.status]).toEqual([200, 200, 200]);
    await t.replies(channel, threadTs, 1);
    // A later message is answered; by then any duplicate answer would have been posted before it.
    await booted.send.message({ user: REP, channel, text: 'And on weekdays?', ts: ids.ts(), threadTs });
    await t.replies(channel, threadTs, 2);
    await new Promise((r) => setTimeout(r, 300));
    expect(t.inThread(channel, threadTs).slice(1)).toHaveLength(2);
    expect(
      slack.callsTo('reactions.add').filter((c) => c.args.timestamp === message.ts).length,
    ).toBeLessThanOrEqual(1);
  });

  it('still delivers the reply when Slack answers chat.postMessage with 429 and Retry-After', async () => {
    const channel = ids.channel();
    const { threadTs } = await t.start(booted.send, { scenarioId: SCENARIO, channel, user: REP });
    slack.rateLimitOnce('chat.postMessage', 1);
    const sentAt = Date.now();
    await booted.send.message({
      user: REP,
      channel,
      text: 'Where do you sell, besides the shops?',
      ts: ids.ts(),
      threadTs,
    });
    const [reply] = await t.replies(channel, threadTs, 1);
    const limited = slack.calls.find(
      (c) => c.method === 'chat.postMessage' && c.status === 429 && c.at >= sentAt,
    );
    expect(limited?.args.thread_ts).toBe(threadTs);
    // Retry-After was honoured: the accepted post came at least a second after the refused one.
    expect(reply!.at - limited!.at).toBeGreaterThanOrEqual(950);
    expect(reply!.args.blocks).toEqual(limited!.args.blocks);
  });

  it('ignores a colleague writing in the rep’s thread', async () => {
    const channel = ids.channel();
    const { threadTs } = await t.start(booted.send, { scenarioId: SCENARIO, channel, user: REP });
    await booted.send.message({ user: 'UCOLLEAGUE', channel, text: 'Good luck!', ts: ids.ts(), threadTs });
    await booted.send.message({
      user: REP,
      channel,
      text: 'Where does it go wrong for you?',
      ts: ids.ts(),
      threadTs,
    });
    await t.replies(channel, threadTs, 1);
    await new Promise((r) => setTimeout(r, 300));
    expect(t.inThread(channel, threadTs).slice(1)).toHaveLength(1);
  });
});
