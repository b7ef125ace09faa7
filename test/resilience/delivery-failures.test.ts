import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { textOf } from '../helpers/fake-slack.js';
import { type Harness, startHarness } from '../slack/harness.js';

const REP = 'UREPDELIVERY';

/**
 * Slack refuses a post for good (the app left the channel, the channel was archived, the message is too long).
 * Such a message is recorded as undeliverable on its outbox item, the rep is told where Slack still lets the app
 * say something, and it is not tried again: the session goes on, and the sweeper is not kept busy by it. A
 * `channel_not_found` right after a channel appears may be Slack catching up, so it is believed on the third try.
 */
describe('resilience: permanent and transient Slack errors when posting', () => {
  let h: Harness;
  let seq = 0;

  beforeAll(async () => {
    // A short backoff, so that "tried again later" is observable within the test.
    h = await startHarness({ practice: { deliveryBackoffMs: () => 50 } });
  });
  afterAll(async () => {
    await h?.close();
  });

  const postsTo = (channel: string, threadTs?: string) =>
    h.slack.calls.filter(
      (c) =>
        c.method === 'chat.postMessage' &&
        c.args.channel === channel &&
        (threadTs === undefined || c.args.thread_ts === threadTs),
    );
  const start = async () => {
    const channel = `CDLV${++seq}`;
    await h.send.command({
      text: 'en-fixture-vans',
      userId: REP,
      channelId: channel,
      responseUrl: h.slack.responseUrl(),
    });
    const header = await h.slack.waitFor(() => postsTo(channel).find((c) => !c.args.thread_ts));
    const threadTs = String(header.response.ts);
    await h.slack.waitFor(() => postsTo(channel, threadTs)[0]);
    const session = (await h.store.findByThread(channel, threadTs))!;
    return { channel, threadTs, sessionId: session.id };
  };
  const say = (channel: string, threadTs: string, text: string) =>
    h.send.message({
      user: REP,
      channel,
      text,
      ts: `1800000100.${String(++seq).padStart(6, '0')}`,
      threadTs,
    });
  /** Sweeps as the app's timer would, a few times, with time for a backoff to run out in between. */
  const sweepSeveralTimes = async (n = 4) => {
    for (let i = 0; i < n; i++) {
      await new Promise((r) => setTimeout(r, 80));
      await h.practice.sweep();
    }
  };

  it('records a message Slack refuses as too long, says so in the thread, never retries it, and goes on', async () => {
    const { channel, threadTs, sessionId } = await start();
    const stop = h.slack.failWhere(
      'chat.postMessage',
      'msg_too_long',
      (a) => a.thread_ts === threadTs && String(a.text).includes('echo: a very long question'),
    );
    expect((await say(channel, threadTs, 'a very long question')).status).toBe(200);
    // For the rep alone: ephemeral in the channel's thread (issue 12).
    const note = await h.slack.waitFor(() =>
      h.slack
        .callsTo('chat.postEphemeral')
        .find((c) => c.args.thread_ts === threadTs && textOf(c.args).includes('could not be posted here')),
    );
    expect(note.args.channel).toBe(channel);
    // The note is posted while the delivery fails; the record is written right after, by the drain.
    const failed = await vi.waitFor(
      async () => {
        const rows = await h.store.failedDeliveries(sessionId);
        if (rows.length === 0) throw new Error('not recorded yet');
        return rows;
      },
      { timeout: 5000, interval: 20 },
    );
    expect(failed.map((f) => [f.payload.kind, f.error])).toEqual([
      ['reply', expect.stringContaining('msg_too_long')],
    ]);
    await sweepSeveralTimes();
    const tries = postsTo(channel, threadTs).filter((c) =>
      String(c.args.text).includes('echo: a very long question'),
    );
    expect(tries).toHaveLength(1);
    stop();
    // The session is not blocked: the next message is answered.
    await say(channel, threadTs, 'and the next one?');
    await h.slack.waitFor(() =>
      h.slack
        .callsTo('chat.postMessage')
        .find((c) => c.args.thread_ts === threadTs && textOf(c.args).includes('echo: and the next one?')),
    );
  });

  it('tells the rep in a DM when the app may not post in the channel, once, and stops trying', async () => {
    const { channel, threadTs, sessionId } = await start();
    const stop = h.slack.failWhere('chat.postMessage', 'not_in_channel', (a) => a.channel === channel);
    try {
      await say(channel, threadTs, 'are you there?');
      const dm = await h.slack.waitFor(() =>
        h.slack
          .callsTo('chat.postMessage')
          .find((c) => c.args.channel === REP && textOf(c.args).includes(`<#${channel}>`)),
      );
      expect(textOf(dm.args)).toContain('Invite Sparring to the channel');
      await say(channel, threadTs, 'hello?');
    } catch (err) {
      stop();
      throw err;
    }
    await h.slack.waitFor(
      () => postsTo(channel, threadTs).filter((c) => c.response.ok === false).length >= 2,
    );
    // Both failures recorded by the drain (the post fails first, the record follows), then swept again.
    await vi.waitFor(
      async () => {
        if ((await h.store.failedDeliveries(sessionId)).length < 2) throw new Error('not recorded yet');
      },
      { timeout: 5000, interval: 20 },
    );
    await sweepSeveralTimes();
    // One try per message, no more; one DM for the session.
    expect(postsTo(channel, threadTs).filter((c) => c.response.ok === false)).toHaveLength(2);
    expect(h.slack.callsTo('chat.postMessage').filter((c) => c.args.channel === REP)).toHaveLength(1);
    expect((await h.store.failedDeliveries(sessionId)).map((f) => f.error)).toEqual([
      expect.stringContaining('not_in_channel'),
      expect.stringContaining('not_in_channel'),
    ]);
    expect(await h.store.needingWork()).not.toContain(sessionId);
    stop();
  });

  it('retries channel_not_found with backoff and believes it on the third try', async () => {
    const { channel, threadTs, sessionId } = await start();
    const stop = h.slack.failWhere('chat.postMessage', 'channel_not_found', (a) => a.channel === channel);
    await say(channel, threadTs, 'still there?');
    await h.slack.waitFor(() => postsTo(channel, threadTs).length >= 2);
    // Each sweep after the backoff tries once more, until the third failure is believed.
    for (let i = 0; i < 6 && (await h.store.failedDeliveries(sessionId)).length === 0; i++)
      await sweepSeveralTimes(1);
    expect((await h.store.failedDeliveries(sessionId)).map((f) => f.error)).toEqual([
      expect.stringContaining('channel_not_found'),
    ]);
    await sweepSeveralTimes();
    expect(postsTo(channel, threadTs).filter((c) => c.response.ok === false)).toHaveLength(3);
    stop();
  });

  it('delivers a message whose post failed transiently once Slack is back', async () => {
    const { channel, threadTs } = await start();
    const stop = h.slack.failWhere('chat.postMessage', 'internal_error', (a) => a.channel === channel);
    await say(channel, threadTs, 'what about Saturdays?');
    await h.slack.waitFor(() => postsTo(channel, threadTs).some((c) => c.response.ok === false));
    stop();
    await sweepSeveralTimes(2);
    const ok = await h.slack.waitFor(() =>
      h.slack
        .callsTo('chat.postMessage')
        .find((c) => c.args.thread_ts === threadTs && textOf(c.args).includes('echo: what about Saturdays?')),
    );
    expect(ok.args.channel).toBe(channel);
  });

  it('posts the session message of a mention once Slack is back, and the opening only after it', async () => {
    const channel = `CDLV${++seq}`;
    const ts = `1800000100.${String(++seq).padStart(6, '0')}`;
    const stop = h.slack.failWhere('chat.postMessage', 'internal_error', (a) => a.channel === channel);
    const res = await h.send.mention({ user: REP, channel, text: '<@UBOT> en-fixture-vans', ts });
    // Stored before Slack is answered: a failing Web API does not hold the acknowledgement up.
    expect(res.status).toBe(200);
    await h.slack.waitFor(() => postsTo(channel, ts).some((c) => c.response.ok === false));
    stop();
    await sweepSeveralTimes(2);
    const [header, opening] = await h.slack.waitFor(() => {
      const posted = postsTo(channel, ts).filter((c) => c.response.ok === true);
      return posted.length >= 2 ? posted : undefined;
    });
    expect(textOf(header!.args)).toContain(`<@${REP}> is practising`);
    expect(textOf(opening!.args)).toContain('Karen here. Five minutes.');
    // Only the session message was tried while Slack failed: the opening waited behind it.
    const refused = postsTo(channel, ts).filter((c) => c.response.ok === false);
    expect(refused.map((c) => textOf(c.args).includes('is practising'))).toEqual(refused.map(() => true));
  });
});
