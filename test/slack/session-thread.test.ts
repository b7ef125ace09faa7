import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { MESSAGES } from '../../src/i18n/messages.js';
import { ACTION_IDS } from '../../src/slack/action-ids.js';
import { buttonsOf, type SlackCall, textOf } from '../helpers/fake-slack.js';
import { type Harness, startHarness } from './harness.js';

const REP = 'UREP';
const OTHER = 'UOTHER';
const en = MESSAGES.en;

/** Issue 12, the Slack thread: one app for the file, every test in a conversation of its own. */
describe('the practice thread as a rep uses it', () => {
  let h: Harness;
  let seq = 0;
  const newChannel = () => `CST${String(++seq).padStart(4, '0')}`;
  const newDm = () => `DST${String(++seq).padStart(4, '0')}`;
  const newTs = () => `1800000100.${String(++seq).padStart(6, '0')}`;

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
  const updates = (channel: string) =>
    h.slack.callsTo('chat.update').filter((c) => c.args.channel === channel);
  const tsOf = (call: SlackCall) => String(call.response.ts);
  const ask = async (text: string, channel = newChannel()) =>
    (
      await h.send.command({ text, userId: REP, channelId: channel, responseUrl: h.slack.responseUrl() })
    ).json() as Record<string, unknown>;

  const startSession = async (channel = newChannel(), scenarioId = 'en-fixture-vans') => {
    await h.send.command({
      text: scenarioId,
      userId: REP,
      channelId: channel,
      responseUrl: h.slack.responseUrl(),
    });
    const header = await h.slack.waitFor(() => posts(channel).find((c) => !c.args.thread_ts), {
      what: 'session message',
    });
    const threadTs = tsOf(header);
    await h.slack.waitFor(() => inThread(channel, threadTs)[0], { what: 'opening' });
    return { channel, header, threadTs };
  };
  const say = async (channel: string, threadTs: string | undefined, text: string, user = REP) => {
    const ts = newTs();
    await h.send.message({ user, channel, text, ts, ...(threadTs ? { threadTs } : {}) });
    return ts;
  };
  const clickEnd = (channel: string, header: SlackCall, user = REP) =>
    h.send.action({
      actionId: ACTION_IDS.end,
      userId: user,
      channelId: channel,
      messageTs: tsOf(header),
      responseUrl: h.slack.responseUrl(),
    });
  const feedbackCard = (channel: string, threadTs: string) =>
    h.slack.waitFor(
      () => inThread(channel, threadTs).find((c) => textOf(c.args).includes(en.verdict.mixed)),
      { what: 'the feedback card' },
    );

  describe('an unknown scenario id', () => {
    it('suggests the nearest id with a Start button instead of the whole list', async () => {
      for (const typo of ['en-fixture-vns', 'en-fixtrue-vans', 'fixture-vans', 'en-fixture']) {
        const body = await ask(typo);
        expect(body.response_type).toBe('ephemeral');
        const text = textOf(body);
        expect(text, typo).toContain(`There is no scenario \`${typo}\`. Did you mean \`en-fixture-vans\`?`);
        expect(buttonsOf(body), typo).toEqual([{ actionId: ACTION_IDS.start, value: 'en-fixture-vans' }]);
        expect(text, typo).not.toContain('sv-fixture-avslut');
      }
    });

    it('names every close id when several are close, with at most one primary button', async () => {
      const body = await ask('fixture');
      expect(textOf(body)).toContain('Did you mean `en-fixture-vans` or `sv-fixture-avslut`?');
      expect(buttonsOf(body).map((b) => b.value)).toEqual(['en-fixture-vans', 'sv-fixture-avslut']);
      expect(JSON.stringify(body).match(/"style":"primary"/g)).toHaveLength(1);
    });

    it('falls back to the whole list when nothing is close', async () => {
      const body = await ask('nope-nope');
      const text = textOf(body);
      expect(text).toContain('There is no scenario `nope-nope`. These are the ones I know:');
      expect(text).toContain('`en-fixture-vans`');
      expect(text).toContain('`sv-fixture-avslut`');
      expect(text).not.toContain('Did you mean');
    });
  });

  describe('notes for the rep alone', () => {
    it('are ephemeral to the rep in a channel: empty, too long, after the end', async () => {
      const { channel, header, threadTs } = await startSession();
      await say(channel, threadTs, '');
      const empty = await h.slack.waitFor(
        () => ephemerals(channel).find((c) => textOf(c.args).includes(en.textEmpty)),
        { what: 'the empty-message note' },
      );
      expect(empty.args).toMatchObject({ user: REP, thread_ts: threadTs });
      await say(channel, threadTs, 'x'.repeat(4001));
      const long = await h.slack.waitFor(
        () => ephemerals(channel).find((c) => textOf(c.args).includes('4001 characters')),
        { what: 'the too-long note' },
      );
      expect(long.args).toMatchObject({ user: REP, thread_ts: threadTs });

      await say(channel, threadTs, 'What matters most?');
      await h.slack.waitFor(() => inThread(channel, threadTs).length >= 2, { what: 'the reply' });
      await clickEnd(channel, header);
      await feedbackCard(channel, threadTs);
      await say(channel, threadTs, 'One more thing');
      const late = await h.slack.waitFor(
        () =>
          ephemerals(channel).find(
            (c) => textOf(c.args).includes(en.ignoredAfterEnd) || textOf(c.args).includes(en.sessionEnded),
          ),
        { what: 'the after-the-end note' },
      );
      expect(late.args).toMatchObject({ user: REP, thread_ts: threadTs });
      await h.practice.idle();
      // Nothing of this went to the whole channel.
      const visible = posts(channel)
        .map((c) => textOf(c.args))
        .join('\n');
      for (const note of [en.textEmpty, '4001 characters', en.ignoredAfterEnd, en.sessionEnded]) {
        expect(visible).not.toContain(note);
      }
    });

    it('"only the rep can do that" is ephemeral to the colleague who clicked', async () => {
      const { channel, header } = await startSession();
      await clickEnd(channel, header, OTHER);
      const note = await h.slack.waitFor(() => ephemerals(channel).find((c) => c.args.user === OTHER), {
        what: 'the only-the-rep note',
      });
      expect(textOf(note.args)).toContain('Only <@UREP> can do that');
      expect(posts(channel).some((c) => textOf(c.args).includes('Only <@UREP>'))).toBe(false);
    });

    it('are plain thread messages in the app’s DM', async () => {
      const dm = newDm();
      const { threadTs } = await startSession(dm);
      await say(dm, threadTs, '');
      const empty = await h.slack.waitFor(
        () => inThread(dm, threadTs).find((c) => textOf(c.args).includes(en.textEmpty)),
        { what: 'the empty-message note in the DM' },
      );
      expect(empty.args.channel).toBe(dm);
    });
  });

  describe('the session’s root message', () => {
    const waitForUpdate = (channel: string) =>
      h.slack.waitFor(() => updates(channel)[0], { what: 'chat.update of the session message' });

    it('after End: updated once with the verdict, the outcome and a link to the feedback, without End', async () => {
      const { channel, header, threadTs } = await startSession();
      expect(buttonsOf(header.args)).toEqual([{ actionId: ACTION_IDS.end }]);
      await say(channel, threadTs, 'What matters most?');
      await h.slack.waitFor(() => inThread(channel, threadTs).length >= 2, { what: 'the reply' });
      await clickEnd(channel, header);
      const card = await feedbackCard(channel, threadTs);
      const update = await waitForUpdate(channel);
      expect(update.args.ts).toBe(threadTs);
      expect(buttonsOf(update.args)).toEqual([]);
      const text = textOf(update.args);
      expect(text).toContain('<@UREP> practised *Vans &amp; &lt;trackers&gt;*');
      expect(text).toContain(en.verdict.mixed);
      expect(text).toContain(en.outcome.open);
      expect(text).toContain(
        `<https://test.slack.com/archives/${channel}/p${tsOf(card).replace('.', '')}|${en.feedbackLink}>`,
      );
      // A second End click and a late message change nothing more.
      await clickEnd(channel, header);
      await say(channel, threadTs, 'Hello again');
      await h.slack.waitFor(() => ephemerals(channel).length >= 1, { what: 'a note' });
      await h.practice.idle();
      expect(updates(channel)).toHaveLength(1);
    });

    it('after the buyer’s decision: updated once with the outcome', async () => {
      const { channel, threadTs } = await startSession();
      await say(channel, threadTs, 'So, deal?');
      await feedbackCard(channel, threadTs);
      const update = await waitForUpdate(channel);
      expect(update.args.ts).toBe(threadTs);
      expect(textOf(update.args)).toContain(en.outcome.next_step);
      expect(buttonsOf(update.args)).toEqual([]);
      await h.practice.idle();
      expect(updates(channel)).toHaveLength(1);
    });

    it('ended before a word: updated once, without a verdict', async () => {
      const { channel, header } = await startSession();
      await clickEnd(channel, header);
      const update = await waitForUpdate(channel);
      expect(textOf(update.args)).toContain(en.endedWithoutVerdict);
      expect(textOf(update.args)).not.toContain(en.feedbackLink);
      expect(buttonsOf(update.args)).toEqual([]);
      await h.practice.idle();
      expect(updates(channel)).toHaveLength(1);
    });

    it('in the scenario’s language', async () => {
      const { channel, header, threadTs } = await startSession(newChannel(), 'sv-fixture-avslut');
      await say(channel, threadTs, 'Ska vi köra?');
      await h.slack.waitFor(() => inThread(channel, threadTs).length >= 2, { what: 'the reply' });
      await clickEnd(channel, header);
      const update = await waitForUpdate(channel);
      expect(textOf(update.args)).toContain('<@UREP> övade på *Avslut hos bageriet*');
      expect(textOf(update.args)).toContain(MESSAGES.sv.verdict.mixed);
    });

    it('started by a mention: the session message in the thread is updated, not the rep’s mention', async () => {
      const channel = newChannel();
      const mention = newTs();
      await h.send.event({
        type: 'app_mention',
        user: REP,
        channel,
        text: '<@UBOT> en-fixture-vans',
        ts: mention,
        event_ts: mention,
      });
      const header = await h.slack.waitFor(
        () => inThread(channel, mention).find((c) => buttonsOf(c.args).length > 0),
        { what: 'the session message in the thread' },
      );
      await say(channel, mention, 'So, deal?');
      const update = await waitForUpdate(channel);
      expect(update.args.ts).toBe(tsOf(header));
      expect(buttonsOf(update.args)).toEqual([]);
      await h.practice.idle();
      expect(updates(channel)).toHaveLength(1);
    });
  });

  describe('a message outside the thread in the app’s DM', () => {
    it('continues the rep’s open DM session in its thread, and a redelivered event is answered once', async () => {
      const dm = newDm();
      const { threadTs } = await startSession(dm);
      const ts = newTs();
      const message = { user: REP, channel: dm, text: 'Top-level hello', ts };
      await h.send.message(message);
      const reply = await h.slack.waitFor(
        () => inThread(dm, threadTs).find((c) => textOf(c.args).includes('echo: Top-level hello')),
        { what: 'the buyer’s answer in the session thread' },
      );
      expect(reply.args.thread_ts).toBe(threadTs);
      // Slack redelivers the same message (another event id): one answer, one stored turn.
      await h.send.message(message);
      await h.send.message(message, { eventId: 'EvSameAgain' });
      await h.practice.idle();
      const answers = inThread(dm, threadTs).filter((c) => textOf(c.args).includes('echo: Top-level hello'));
      expect(answers).toHaveLength(1);
      const session = await h.practice.findByThread(dm, threadTs);
      const turns = await h.store.turns(session!.id);
      expect(turns.filter((t) => t.text === 'Top-level hello')).toHaveLength(1);
      // No hint, no picker: the rep's message went to the buyer.
      expect(posts(dm).filter((c) => !c.args.thread_ts)).toHaveLength(1);
    });

    it('offers the picker when the rep has no open session there', async () => {
      const dm = newDm();
      await say(dm, undefined, 'hello?');
      const picker = await h.slack.waitFor(() => posts(dm).find((c) => !c.args.thread_ts), {
        what: 'the picker',
      });
      expect(buttonsOf(picker.args).map((b) => b.actionId)).toContain(ACTION_IDS.start);
    });

    it('after the DM session has ended, offers the picker again', async () => {
      const dm = newDm();
      const { header, threadTs } = await startSession(dm);
      await clickEnd(dm, header);
      await h.slack.waitFor(() => updates(dm)[0], { what: 'the ended session message' });
      await say(dm, undefined, 'again?');
      const picker = await h.slack.waitFor(() => posts(dm).find((c) => !c.args.thread_ts && c !== header), {
        what: 'the picker',
      });
      expect(buttonsOf(picker.args).map((b) => b.actionId)).toContain(ACTION_IDS.start);
      expect(inThread(dm, threadTs).some((c) => textOf(c.args).includes('again?'))).toBe(false);
    });

    it('in a channel, a top-level message is left alone', async () => {
      const { channel } = await startSession();
      const before = posts(channel).length;
      await say(channel, undefined, 'lunch anyone?');
      await h.practice.idle();
      expect(posts(channel)).toHaveLength(before);
      expect(ephemerals(channel)).toHaveLength(0);
    });
  });
});
