import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { ACTION_IDS } from '../../src/slack/action-ids.js';
import { THINKING_REACTION } from '../../src/slack/deliver.js';
import { buttonsOf, type SlackCall, textOf } from '../helpers/fake-slack.js';
import { type Harness, startHarness } from './harness.js';

const REP = 'UREP';
const OTHER = 'UOTHER';

/** One app for the whole file; every test works in a channel of its own. */
describe('Slack listeners (fake buyer and coach)', () => {
  let h: Harness;
  let channelSeq = 0;
  let msgSeq = 0;
  const newChannel = () => `C${String(++channelSeq).padStart(4, '0')}`;
  const newTs = () => `1800000000.${String(++msgSeq).padStart(6, '0')}`;

  beforeAll(async () => {
    h = await startHarness();
  });
  afterAll(async () => {
    await h.close();
  });

  const posts = (channel: string) =>
    h.slack.callsTo('chat.postMessage').filter((c) => c.args.channel === channel);
  const inThread = (channel: string, threadTs: string) =>
    posts(channel).filter((c) => c.args.thread_ts === threadTs);
  const ephemerals = (channel: string) =>
    h.slack.callsTo('chat.postEphemeral').filter((c) => c.args.channel === channel);
  const tsOf = (call: SlackCall) => String(call.response.ts);

  /** `/spar <id>` in a fresh channel; resolves once the opening is in the thread. */
  const startSession = async (scenarioId = 'en-fixture-vans') => {
    const channel = newChannel();
    const res = await h.send.command({
      text: scenarioId,
      userId: REP,
      channelId: channel,
      responseUrl: h.slack.responseUrl(),
    });
    expect(res.status).toBe(200);
    expect(res.body).toBe('');
    const header = await h.slack.waitFor(() => posts(channel).find((c) => !c.args.thread_ts), {
      what: 'session message',
    });
    const threadTs = tsOf(header);
    const opening = await h.slack.waitFor(() => inThread(channel, threadTs)[0], { what: 'opening' });
    return { channel, header, threadTs, opening };
  };

  const say = (
    channel: string,
    threadTs: string,
    text: string,
    user = REP,
    extra: { subtype?: string } = {},
  ) => {
    const ts = newTs();
    return h.send.message({ user, channel, text, ts, threadTs, ...extra }).then((res) => ({ res, ts }));
  };

  /** The rep's `@Sparring en-fixture-vans`. */
  const VANS_MENTION = '<@UBOT> en-fixture-vans';

  const waitForReplies = (channel: string, threadTs: string, n: number) =>
    h.slack.waitFor(
      () => {
        const replies = inThread(channel, threadTs).slice(1);
        return replies.length >= n ? replies : undefined;
      },
      { what: `${n} thread replies` },
    );

  it('answers /spar with an ephemeral picker, after the acknowledgement (it asks for the locale)', async () => {
    const channel = newChannel();
    const res = await h.send.command({
      text: '',
      userId: REP,
      channelId: channel,
      responseUrl: h.slack.responseUrl('spar-picker'),
    });
    expect(res.body).toBe('');
    const answer = await h.slack.waitFor(() =>
      h.slack.callsTo('response_url').find((c) => c.args.url === '/respond/spar-picker'),
    );
    const body = answer.args;
    expect(body.response_type).toBe('ephemeral');
    expect(buttonsOf(body)).toEqual([
      { actionId: ACTION_IDS.start, value: 'en-fixture-vans' },
      { actionId: ACTION_IDS.start, value: 'sv-fixture-avslut' },
    ]);
    expect(textOf(body)).toContain('🇸🇪 Swedish · simple sale · difficulty 2/5 · 🎯 close drill');
    expect(posts(channel)).toEqual([]);
  });

  it('answers /spar help, /spar list and an unknown id ephemerally', async () => {
    const channel = newChannel();
    const ask = async (text: string) =>
      (
        await h.send.command({ text, userId: REP, channelId: channel, responseUrl: h.slack.responseUrl() })
      ).json() as Record<string, unknown>;
    const help = await ask('help');
    expect(help.response_type).toBe('ephemeral');
    expect(textOf(help)).toContain('*How a session ends*');
    expect(textOf(help)).toContain('Offline mode');
    const list = await ask('LIST');
    expect(textOf(list)).toContain('`en-fixture-vans` Vans &amp; &lt;trackers&gt;');
    const unknown = await ask('no-such-thing');
    expect(unknown.response_type).toBe('ephemeral');
    expect(textOf(unknown)).toContain('There is no scenario `no-such-thing`');
    expect(textOf(unknown)).toContain('`sv-fixture-avslut`');
    expect(posts(channel)).toEqual([]);
  });

  it('starts a session: a visible message with End, and the buyer’s opening in its thread', async () => {
    const { header, opening } = await startSession();
    expect(header.args.text).toBe(
      '<@UREP> is practising *Vans &amp; &lt;trackers&gt;* · 🇬🇧 English · complex sale · difficulty 3/5',
    );
    expect(buttonsOf(header.args)).toEqual([{ actionId: ACTION_IDS.end }]);
    const text = textOf(opening.args);
    // Offline mode is said once, up front; then the brief, then the buyer.
    expect(text.indexOf('Offline mode')).toBeLessThan(text.indexOf('Karen runs a van fleet'));
    expect(text).toContain('*Karen Holt* (Ops manager, Holt Vans): Karen here. Five minutes.');
    expect(opening.args.text).toBe('Karen here. Five minutes.');
  });

  it('starts a close drill in the scenario’s language, with the summary before the buyer', async () => {
    const { header, opening } = await startSession('sv-fixture-avslut');
    expect(header.args.text).toBe(
      '<@UREP> övar på *Avslut hos bageriet* · 🇸🇪 svenska · enkel försäljning · svårighetsgrad 2/5 · 🎯 avslutsövning',
    );
    const text = textOf(opening.args);
    expect(text).toContain('Offlineläge');
    expect(text.indexOf('Eva vill slippa')).toBeGreaterThan(text.indexOf('Avslutsövning. Samtalet hittills'));
    expect(text.indexOf('Eva vill slippa')).toBeLessThan(text.indexOf('Vad händer nu?'));
  });

  it('passes the rep’s thread messages to the buyer, shows it writing, and posts the reply in the thread', async () => {
    const { channel, threadTs } = await startSession();
    // A buyer slower than the 600 ms after which the rep is shown that it is thinking.
    h.control.delayMs = 1500;
    const { ts } = await say(
      channel,
      threadTs,
      'Tell me &lt;more&gt; &amp; see <https://x.test/a|this page>',
    );
    const [reply] = await waitForReplies(channel, threadTs, 1).finally(() => {
      h.control.delayMs = 0;
    });
    // Slack's encoding is undone for the buyer, and the buyer's words are escaped again for Slack.
    expect(textOf(reply!.args)).toBe('*Karen Holt:* echo: Tell me &lt;more&gt; &amp; see this page');
    // Shown on the thread's status line, which Slack clears when the reply is posted: no reaction, no clearing.
    const status = h.slack
      .callsTo('assistant.threads.setStatus')
      .filter((c) => c.args.thread_ts === threadTs);
    expect(status.map((c) => c.args)).toEqual([
      { channel_id: channel, thread_ts: threadTs, status: 'is typing…' },
    ]);
    expect(status[0]!.at).toBeLessThanOrEqual(reply!.at);
    expect(h.slack.callsTo('reactions.add').filter((c) => c.args.timestamp === ts)).toEqual([]);
  });

  it('where Slack refuses the thread status, shows the 💭 reaction on the rep’s message and takes it down', async () => {
    const { channel, threadTs } = await startSession();
    const stop = h.slack.failWhere('assistant.threads.setStatus', 'channel_type_not_supported', () => true);
    h.control.delayMs = 1500;
    const { ts } = await say(channel, threadTs, 'What does a normal week look like?');
    const [reply] = await waitForReplies(channel, threadTs, 1).finally(() => {
      h.control.delayMs = 0;
      stop();
    });
    const added = h.slack.callsTo('reactions.add').find((c) => c.args.timestamp === ts);
    expect(added?.args).toMatchObject({ channel, name: THINKING_REACTION });
    const removed = await h.slack.waitFor(() =>
      h.slack.callsTo('reactions.remove').find((c) => c.args.timestamp === ts),
    );
    expect(removed.at).toBeGreaterThanOrEqual(reply!.at);
    expect(added!.at).toBeLessThanOrEqual(reply!.at);
  });

  it('gives the buyer a message that mentions the app without the mention; other mentions stay', async () => {
    const { channel, threadTs } = await startSession();
    await say(channel, threadTs, '<@UBOT> what does Saturday look like for <@UCOLLEAGUE|sam>?');
    const [reply] = await waitForReplies(channel, threadTs, 1);
    expect(textOf(reply!.args)).toBe('*Karen Holt:* echo: what does Saturday look like for sam?');
  });

  it('ignores bystanders, edits, deletions, bots and threads without a session', async () => {
    const { channel, threadTs } = await startSession();
    await say(channel, threadTs, 'I am just watching', OTHER);
    await say(channel, threadTs, 'edited', REP, { subtype: 'message_changed' });
    await say(channel, threadTs, 'gone', REP, { subtype: 'message_deleted' });
    await say(channel, threadTs, 'joined', REP, { subtype: 'channel_join' });
    await h.send.event({
      type: 'message',
      subtype: 'bot_message',
      bot_id: 'BOTHER',
      channel,
      text: 'beep',
      ts: newTs(),
      thread_ts: threadTs,
    });
    await say(channel, '1799999999.000001', 'a thread that is not a session');
    await say(channel, threadTs, 'Only this one');
    const replies = await waitForReplies(channel, threadTs, 1);
    await new Promise((r) => setTimeout(r, 200));
    expect(
      inThread(channel, threadTs)
        .slice(1)
        .map((c) => textOf(c.args)),
    ).toEqual(['*Karen Holt:* echo: Only this one']);
    expect(replies).toHaveLength(1);
    expect(posts(channel).filter((c) => c.args.thread_ts === '1799999999.000001')).toEqual([]);
  });

  it('refuses empty and oversized messages in the thread, for the rep alone, storing nothing', async () => {
    const { channel, threadTs } = await startSession();
    await say(channel, threadTs, '\u0007\u0007');
    await say(channel, threadTs, 'x'.repeat(4001));
    const notices = await h.slack.waitFor(() => {
      const notes = ephemerals(channel).filter((c) => c.args.thread_ts === threadTs && c.args.user === REP);
      return notes.length >= 2 ? notes : undefined;
    });
    expect(inThread(channel, threadTs).slice(1)).toEqual([]);
    expect(textOf(notices[0]!.args)).toContain('That message is empty; nothing was sent to the buyer.');
    expect(textOf(notices[1]!.args)).toContain(
      'That message has 4001 characters; the buyer reads at most 4000.',
    );
    const session = await h.store.findByThread(channel, threadTs);
    expect(await h.store.inbox(session!.id)).toEqual([]);
  });

  it('ends with the button: only the rep may, the coach’s card follows in the thread, later messages get a notice', async () => {
    const { channel, threadTs, header } = await startSession();
    const { ts: repTs } = await say(channel, threadTs, 'What slows your mornings down?');
    await waitForReplies(channel, threadTs, 1);

    const click = (userId: string) =>
      h.send.action({
        actionId: ACTION_IDS.end,
        userId,
        channelId: channel,
        messageTs: tsOf(header),
        responseUrl: h.slack.responseUrl(),
      });
    expect((await click(OTHER)).status).toBe(200);
    const refusal = await h.slack.waitFor(() => ephemerals(channel).find((c) => c.args.user === OTHER));
    expect(refusal.args.text).toBe('Only <@UREP> can do that: it is their practice session.');

    await click(REP);
    const card = await h.slack.waitFor(() =>
      inThread(channel, threadTs).find(
        (c) => c.args.text === 'Feedback: Mixed: some connection, some script',
      ),
    );
    const coaching = ephemerals(channel).find((c) => c.args.user === REP);
    expect(coaching?.args.text).toBe('The coach is reading the conversation…');
    const text = textOf(card.args);
    expect(text).toContain('You asked &lt;good&gt; questions &amp; listened.');
    expect(text).toContain('*Discovery*  ●●●●○ 4/5');
    // Evidence links to the quoted messages: the opening (a delivered ref) and the rep's own message (its ts).
    const opening = inThread(channel, threadTs)[0]!;
    expect(text).toContain(
      `>“Karen here”\n— <https://test.slack.com/archives/${channel}/p${tsOf(opening).replace('.', '')}|Karen Holt>`,
    );
    expect(text).toContain(
      `>“What slows y”\n— <https://test.slack.com/archives/${channel}/p${repTs.replace('.', '')}|You>`,
    );
    expect(text).toContain(':dart: *Next time:* Recap before you ask.');
    // Try again, then the rep's 👍 / 👎 on the verdict, both carrying the session.
    const [tryAgain, ...fair] = buttonsOf(card.args);
    expect(tryAgain).toEqual({ actionId: ACTION_IDS.tryAgain, value: 'en-fixture-vans' });
    expect(fair.map((b) => b.actionId)).toEqual([ACTION_IDS.verdictFair, ACTION_IDS.verdictUnfair]);
    expect(fair[0]?.value).toBeTruthy();
    expect(fair[1]?.value).toBe(fair[0]?.value);

    await say(channel, threadTs, 'One more thing?');
    const notice = await h.slack.waitFor(() =>
      ephemerals(channel).find((c) => c.args.thread_ts === threadTs && textOf(c.args).includes('has ended')),
    );
    expect(notice.args.user).toBe(REP);
    expect(textOf(notice.args)).toContain('This practice session has ended. Start a new one to try again.');

    await click(REP);
    await h.slack.waitFor(() =>
      ephemerals(channel).find(
        (c) => c.args.text === 'This practice session has ended. Start a new one to try again.',
      ),
    );
    expect(inThread(channel, threadTs).filter((c) => c.args.text === card.args.text)).toHaveLength(1);
  });

  it('falls back to plain quotes when a permalink cannot be fetched', async () => {
    const { channel, threadTs, header } = await startSession();
    // A session with nothing from the rep gets no card ("not enough to judge"): say one thing first.
    await say(channel, threadTs, 'How do you plan the jobs today?');
    await waitForReplies(channel, threadTs, 1);
    h.slack.failOnce('chat.getPermalink', 'message_not_found');
    h.slack.failOnce('chat.getPermalink', 'message_not_found');
    await h.send.action({
      actionId: ACTION_IDS.end,
      userId: REP,
      channelId: channel,
      messageTs: tsOf(header),
      responseUrl: h.slack.responseUrl(),
    });
    const card = await h.slack.waitFor(() =>
      inThread(channel, threadTs).find((c) => String(c.args.text).startsWith('Feedback')),
    );
    expect(textOf(card.args)).toContain('>“Karen here”\n— Karen Holt');
  });

  it('posts a failure with Retry when the buyer cannot answer; Retry answers the stored message', async () => {
    const { channel, threadTs } = await startSession();
    h.control.failures = 1;
    await say(channel, threadTs, 'Are you there?');
    const [failure] = await waitForReplies(channel, threadTs, 1);
    expect(textOf(failure!.args)).toContain(
      'The buyer could not answer (the model took too long). Your message is kept',
    );
    const session = await h.store.findByThread(channel, threadTs);
    expect(buttonsOf(failure!.args)).toEqual([{ actionId: ACTION_IDS.retry, value: session!.id }]);

    // A forged session id from another thread does nothing.
    await h.send.action({
      actionId: ACTION_IDS.retry,
      value: session!.id,
      userId: REP,
      channelId: 'CELSEWHERE',
      messageTs: tsOf(failure!),
      threadTs,
      responseUrl: h.slack.responseUrl(),
    });
    await h.send.action({
      actionId: ACTION_IDS.retry,
      value: session!.id,
      userId: REP,
      channelId: channel,
      messageTs: tsOf(failure!),
      threadTs,
      responseUrl: h.slack.responseUrl(),
    });
    const replies = await waitForReplies(channel, threadTs, 2);
    expect(textOf(replies[1]!.args)).toBe('*Karen Holt:* echo: Are you there?');
  });

  it('skips a redelivered event id, with or without x-slack-retry-num', async () => {
    const { channel, threadTs } = await startSession();
    const ts = newTs();
    const message = { user: REP, channel, text: 'Just once', ts, threadTs };
    await h.send.message(message, { eventId: 'EvDUP1' });
    await h.send.message(message, { eventId: 'EvDUP1' });
    await h.send.message(message, { eventId: 'EvDUP1', retryNum: 1 });
    // A different event id for the same message (another instance's view) is caught by the inbox.
    await h.send.message(message, { eventId: 'EvDUP2', retryNum: 2 });
    await waitForReplies(channel, threadTs, 1);
    await say(channel, threadTs, 'Then this');
    const replies = await waitForReplies(channel, threadTs, 2);
    expect(replies.map((c) => textOf(c.args))).toEqual([
      '*Karen Holt:* echo: Just once',
      '*Karen Holt:* echo: Then this',
    ]);
  });

  it('skips a redelivered event before any listener runs: a refused message gets one notice, not three', async () => {
    const { channel, threadTs } = await startSession();
    // Nothing reaches the inbox for an empty message, so only the event id can tell the copies apart.
    const message = { user: REP, channel, text: ' ', ts: newTs(), threadTs };
    await h.send.message(message, { eventId: 'EvEMPTY1' });
    await h.send.message(message, { eventId: 'EvEMPTY1', retryNum: 1 });
    await h.send.message(message, { eventId: 'EvEMPTY1', retryNum: 2 });
    await h.slack.waitFor(() => ephemerals(channel).find((c) => c.args.thread_ts === threadTs));
    await say(channel, threadTs, 'Marker');
    const replies = await waitForReplies(channel, threadTs, 1);
    expect(replies.map((c) => textOf(c.args))).toEqual(['*Karen Holt:* echo: Marker']);
    // The note is ephemeral to the rep (issue 12), and there is one of it.
    expect(
      ephemerals(channel)
        .filter((c) => c.args.thread_ts === threadTs)
        .map((c) => textOf(c.args)),
    ).toEqual([':information_source: That message is empty; nothing was sent to the buyer.']);
  });

  it('tells the rep how to invite the bot when it may not post in the channel', async () => {
    const channel = newChannel();
    h.slack.failOnce('chat.postMessage', 'not_in_channel');
    const responseUrl = h.slack.responseUrl('invite');
    await h.send.command({ text: 'en-fixture-vans', userId: REP, channelId: channel, responseUrl });
    const answer = await h.slack.waitFor(() =>
      h.slack.calls.find((c) => c.method === 'response_url' && c.args.url === '/respond/invite'),
    );
    expect(answer.args).toMatchObject({ response_type: 'ephemeral' });
    expect(String(answer.args.text)).toContain('/invite @Sparring');
    expect(await h.store.list()).not.toContainEqual(expect.objectContaining({ channelId: channel }));
  });

  it('starts from the picker’s Start button and removes the picker', async () => {
    const channel = newChannel();
    const responseUrl = h.slack.responseUrl('picker');
    await h.send.action({
      actionId: ACTION_IDS.start,
      value: 'sv-fixture-avslut',
      userId: REP,
      channelId: channel,
      messageTs: newTs(),
      responseUrl,
      ephemeral: true,
    });
    const header = await h.slack.waitFor(() => posts(channel).find((c) => !c.args.thread_ts));
    await h.slack.waitFor(() => inThread(channel, tsOf(header))[0]);
    const removed = await h.slack.waitFor(() => h.slack.calls.find((c) => c.args.url === '/respond/picker'));
    expect(removed.args).toMatchObject({ delete_original: true });
  });

  it('rejects a Start button whose value is not a scenario id', async () => {
    const channel = newChannel();
    const res = await h.send.action({
      actionId: ACTION_IDS.start,
      value: '../../etc',
      userId: REP,
      channelId: channel,
      messageTs: newTs(),
      responseUrl: h.slack.responseUrl(),
    });
    expect(res.status).toBe(200);
    await new Promise((r) => setTimeout(r, 200));
    // A malformed value is a bug, not a user error: nothing is posted, not even an "unknown scenario".
    expect(posts(channel)).toEqual([]);
    expect(ephemerals(channel)).toEqual([]);
  });

  it('Try again starts the same scenario in a new thread', async () => {
    const { channel, header } = await startSession();
    await h.send.action({
      actionId: ACTION_IDS.tryAgain,
      value: 'en-fixture-vans',
      userId: REP,
      channelId: channel,
      messageTs: newTs(),
      threadTs: tsOf(header),
      responseUrl: h.slack.responseUrl(),
    });
    const headers = await h.slack.waitFor(() => {
      const top = posts(channel).filter((c) => !c.args.thread_ts);
      return top.length === 2 ? top : undefined;
    });
    await h.slack.waitFor(() => inThread(channel, tsOf(headers[1]!))[0]);
    expect(textOf(headers[1]!.args)).toBe(textOf(headers[0]!.args));
  });

  it('starts a session in the thread of an @mention, and lists the ids for an unknown one', async () => {
    const channel = newChannel();
    const mentionTs = newTs();
    await h.send.mention({ user: REP, channel, text: VANS_MENTION, ts: mentionTs });
    const [header, opening] = await h.slack.waitFor(() => {
      const thread = inThread(channel, mentionTs);
      return thread.length >= 2 ? thread : undefined;
    });
    expect(textOf(header!.args)).toContain('<@UREP> is practising');
    expect(textOf(opening!.args)).toContain('Karen here. Five minutes.');
    await say(channel, mentionTs, 'How do you plan the jobs today?');
    await waitForReplies(channel, mentionTs, 1);
    // The End button on a header inside the thread finds the session by the thread.
    await h.send.action({
      actionId: ACTION_IDS.end,
      userId: REP,
      channelId: channel,
      messageTs: tsOf(header!),
      threadTs: mentionTs,
      responseUrl: h.slack.responseUrl(),
    });
    await h.slack.waitFor(() =>
      inThread(channel, mentionTs).find((c) => String(c.args.text).startsWith('Feedback')),
    );

    const other = newTs();
    await h.send.event({
      type: 'app_mention',
      user: REP,
      channel,
      text: '<@UBOT> nope-nope',
      ts: other,
      event_ts: other,
    });
    const list = await h.slack.waitFor(() =>
      ephemerals(channel).find((c) => textOf(c.args).includes('nope-nope')),
    );
    expect(list.args.user).toBe(REP);
    expect(textOf(list.args)).toContain('There is no scenario `nope-nope`. These are the ones I know:');
  });

  it('starts a session from an @mention inside a thread, once: a redelivery and Slack’s message event for the mention are not answered', async () => {
    const channel = newChannel();
    const root = newTs();
    const mentionTs = newTs();
    const mention = { user: REP, channel, text: VANS_MENTION, ts: mentionTs, threadTs: root };
    // Acknowledged once the session is stored, before anything is posted.
    expect((await h.send.mention(mention, { eventId: 'Ev-mention-once' })).status).toBe(200);
    expect(await h.store.findByThread(channel, root)).toMatchObject({ userId: REP, threadTs: root });
    // Slack sends the mention as a plain message event in the thread too.
    const echo = await h.send.message({
      user: REP,
      channel,
      text: mention.text,
      ts: mentionTs,
      threadTs: root,
    });
    expect(echo.status).toBe(200);
    expect((await h.send.mention(mention, { eventId: 'Ev-mention-once' })).status).toBe(200);
    const [header, opening] = await h.slack.waitFor(() => {
      const thread = inThread(channel, root);
      return thread.length >= 2 ? thread : undefined;
    });
    expect(textOf(header!.args)).toContain('<@UREP> is practising');
    expect(buttonsOf(header!.args)).toEqual([{ actionId: ACTION_IDS.end }]);
    expect(textOf(opening!.args)).toContain('Karen here. Five minutes.');

    await say(channel, root, 'What made you look at trackers?');
    await h.slack.waitFor(() => inThread(channel, root).length >= 3 || undefined, { what: 'the reply' });
    // The buyer answered the rep's question, and nothing else: the mention was no message to the buyer.
    expect(inThread(channel, root).map((c) => textOf(c.args))).toEqual([
      textOf(header!.args),
      textOf(opening!.args),
      '*Karen Holt:* echo: What made you look at trackers?',
    ]);
    expect(posts(channel).filter((c) => !c.args.thread_ts)).toEqual([]);
  });

  it('tells the rep in a DM when Slack refuses the session message of a mention in its thread', async () => {
    const channel = newChannel();
    const mentionTs = newTs();
    const stop = h.slack.failWhere('chat.postMessage', 'restricted_action', (a) => a.channel === channel);
    try {
      const res = await h.send.mention({ user: REP, channel, text: VANS_MENTION, ts: mentionTs });
      expect(res.status).toBe(200);
      const dm = await h.slack.waitFor(() =>
        posts(REP).find((c) => String(c.args.text).includes(`<#${channel}>`)),
      );
      expect(String(dm.args.text)).toContain('Sparring could not post in your practice thread');
      // Without its session message the session cannot be held in that thread: it ends, nothing to judge.
      await vi.waitFor(async () =>
        expect(await h.store.findByThread(channel, mentionTs)).toMatchObject({ status: 'ended' }),
      );
      // The opening and the closing notice are refused the same way, in the thread; the rep is told once.
      const refused = () =>
        h.slack.calls.filter(
          (c) => c.method === 'chat.postMessage' && c.args.channel === channel && c.response.ok === false,
        );
      await h.slack.waitFor(() => refused().length >= 3 || undefined, { what: 'three posts refused' });
      const tried = refused().map((c) => textOf(c.args));
      expect(tried).toHaveLength(3);
      expect(tried[0]).toContain('<@UREP> is practising');
      expect(tried[1]).toContain('Karen here. Five minutes.');
      expect(refused().map((c) => c.args.thread_ts)).toEqual([mentionTs, mentionTs, mentionTs]);
      expect(posts(REP).filter((c) => String(c.args.text).includes(`<#${channel}>`))).toHaveLength(1);
      expect(await h.store.feedback((await h.store.findByThread(channel, mentionTs))!.id)).toBeNull();
    } finally {
      stop();
    }
  });

  it('runs a session in a direct message; a top-level DM continues it in its thread', async () => {
    const dm = 'D0000001';
    await h.send.command({
      text: 'en-fixture-vans',
      userId: REP,
      channelId: dm,
      responseUrl: h.slack.responseUrl(),
    });
    const header = await h.slack.waitFor(() => posts(dm).find((c) => !c.args.thread_ts));
    await h.slack.waitFor(() => inThread(dm, tsOf(header))[0]);
    await say(dm, tsOf(header), 'Hello from the DM');
    await waitForReplies(dm, tsOf(header), 1);

    await h.send.message({ user: REP, channel: dm, text: 'hello?', ts: newTs() });
    await waitForReplies(dm, tsOf(header), 2);
    expect(inThread(dm, tsOf(header)).map((c) => textOf(c.args))).toContain('*Karen Holt:* echo: hello?');
    expect(posts(dm).filter((c) => !c.args.thread_ts)).toEqual([header]);
  });
});
