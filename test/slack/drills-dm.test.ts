import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { MESSAGES } from '../../src/i18n/messages.js';
import { ACTION_IDS } from '../../src/slack/action-ids.js';
import { DRILL_FIELDS, drillModalView, readDrillForm } from '../../src/slack/views/drill-modal.js';
import { MANAGER, REP, startTeamHarness, type TeamHarness } from '../drills/team-harness.js';
import { buttonsOf, type SlackCall, textOf } from '../helpers/fake-slack.js';

const REP2 = 'UREP2';
const en = MESSAGES.en;

/** Issue 12: drill attempts run in each rep's DM by default; the channel keeps one post, with the tally. */
describe('weekly drills with attempts in direct messages', () => {
  let h: TeamHarness;
  let seq = 0;
  const newTs = () => `1800000200.${String(++seq).padStart(6, '0')}`;

  beforeAll(async () => {
    h = await startTeamHarness();
    h.slack.users.set(MANAGER, { id: MANAGER, tz: 'Europe/Stockholm' });
    h.slack.users.set(REP, { id: REP, tz: 'Europe/Stockholm' });
  });
  afterAll(async () => {
    await h?.close();
  });

  const posts = (channel: string) =>
    h.slack.callsTo('chat.postMessage').filter((c) => c.args.channel === channel);
  const topLevel = (channel: string) => posts(channel).filter((c) => !c.args.thread_ts);
  const updatesOf = (post: SlackCall) =>
    h.slack.callsTo('chat.update').filter((c) => c.args.ts === post.response.ts);
  const tally = (started: number, finished: number) => `Attempts: ${started} started · ${finished} finished`;
  const waitForTally = (post: SlackCall, started: number, finished: number) =>
    h.slack.waitFor(() => updatesOf(post).find((c) => textOf(c.args).includes(tally(started, finished))), {
      what: `the drill post with ${tally(started, finished)}`,
    });
  const spar = async (text: string, userId: string, channelId: string) => {
    const id = `dm${++seq}`;
    await h.send.command({ text, userId, channelId, responseUrl: h.slack.responseUrl(id) });
    const answer = await h.slack.waitFor(
      () => h.slack.callsTo('response_url').find((c) => c.args.url === `/respond/${id}`),
      { what: `the answer to /spar ${text}` },
    );
    return `${String(answer.args.text ?? '')}\n${textOf(answer.args)}`;
  };
  const clickAttempt = (channel: string, post: SlackCall, userId: string) => {
    const [button] = buttonsOf(post.args);
    return h.send.action({
      actionId: button!.actionId,
      value: button!.value,
      userId,
      channelId: channel,
      messageTs: String(post.response.ts),
      responseUrl: h.slack.responseUrl(),
    });
  };

  it('runs each attempt in the rep’s DM, keeps one post in the channel and updates its tally', async () => {
    const channel = 'CDMDRILL1';
    h.clock.now = new Date('2025-03-20T10:00:00Z');
    const answer = await spar('drill en-fixture-vans every monday 09:00', MANAGER, channel);
    expect(answer).toContain('Each attempt runs in the rep’s direct messages with Sparring');
    h.clock.now = new Date('2025-03-24T08:00:20Z');
    const { posted } = await h.team.deps.scheduler.tick();
    expect(posted).toHaveLength(1);
    const post = topLevel(channel)[1]!;
    expect(textOf(post.args)).toContain('your attempt opens in your direct messages with Sparring');
    // Nothing has changed since the post: a tick writes nothing.
    await h.team.deps.scheduler.tick();
    expect(updatesOf(post)).toEqual([]);

    await clickAttempt(channel, post, REP);
    const dm = `D${REP}`;
    const header = await h.slack.waitFor(() => topLevel(dm)[0], { what: 'the session message in the DM' });
    expect(header.args.text).toContain('<@UREP> is practising *Vans &amp; &lt;trackers&gt;*');
    const threadTs = String(header.response.ts);
    await h.slack.waitFor(() => posts(dm).find((c) => c.args.thread_ts === threadTs), { what: 'opening' });
    const stored = await h.store.findByThread(dm, threadTs);
    expect(stored).toMatchObject({ userId: REP, drillId: posted[0], channelId: dm });
    // The rep is told where to go, privately, with a link to the DM thread.
    const note = await h.slack.waitFor(
      () =>
        h.slack.callsTo('chat.postEphemeral').find((c) => c.args.channel === channel && c.args.user === REP),
      { what: 'the note pointing at the DM' },
    );
    expect(textOf(note.args)).toContain('Your attempt is waiting in your direct messages with Sparring');
    expect(textOf(note.args)).toContain(
      `<https://test.slack.com/archives/${dm}/p${threadTs.replace('.', '')}|`,
    );
    const started = await waitForTally(post, 1, 0);
    expect(buttonsOf(started.args)).toEqual([{ actionId: ACTION_IDS.drillAttempt, value: posted[0] }]);

    // The rep practises and ends in the DM; the channel gets no thread and no new message.
    await h.send.message({
      user: REP,
      channel: dm,
      text: 'I want to connect: what matters?',
      ts: newTs(),
      threadTs,
    });
    await h.slack.waitFor(() => posts(dm).filter((c) => c.args.thread_ts === threadTs).length >= 2, {
      what: 'the buyer’s answer in the DM',
    });
    await h.send.action({
      actionId: ACTION_IDS.end,
      userId: REP,
      channelId: dm,
      messageTs: threadTs,
      responseUrl: h.slack.responseUrl(),
    });
    await h.slack.waitFor(
      () => posts(dm).find((c) => c.args.thread_ts === threadTs && textOf(c.args).includes(en.feedbackTitle)),
      { what: 'the feedback card in the DM' },
    );
    await h.team.deps.scheduler.tick();
    await waitForTally(post, 1, 1);

    // A second rep: their own DM; the post counts two started.
    await clickAttempt(channel, post, REP2);
    await h.slack.waitFor(() => topLevel(`D${REP2}`)[0], { what: 'the second rep’s session message' });
    await waitForTally(post, 2, 1);
    const updatesBefore = updatesOf(post).length;
    await h.team.deps.scheduler.tick();
    expect(updatesOf(post)).toHaveLength(updatesBefore);

    // The channel: the announcement and the one drill post, nothing per attempt.
    expect(topLevel(channel)).toHaveLength(2);
    expect(posts(channel).filter((c) => c.args.thread_ts)).toEqual([]);

    // Results: the summary counts both attempts, and the post keeps its tally without its button.
    expect(await spar('drill results', MANAGER, channel)).toContain('Posted the results of the drill');
    const summary = topLevel(channel)[2]!;
    expect(textOf(summary.args)).toContain('Took part (2): <@UREP>, <@UREP2>');
    const closed = await h.slack.waitFor(() => updatesOf(post).find((c) => buttonsOf(c.args).length === 0), {
      what: 'the closed drill post',
    });
    expect(textOf(closed.args)).toContain(tally(2, 1));
    expect(textOf(closed.args)).toContain('This drill has closed');
  });

  it('a second click points to the attempt in the DM instead of starting another', async () => {
    const channel = 'CDMDRILL2';
    h.clock.now = new Date('2025-03-20T10:00:00Z');
    await spar('drill en-fixture-vans every tuesday 09:00', MANAGER, channel);
    h.clock.now = new Date('2025-03-25T08:00:20Z');
    await h.team.deps.scheduler.tick();
    const post = topLevel(channel)[1]!;
    await clickAttempt(channel, post, REP);
    await waitForTally(post, 1, 0);
    // The first click has been answered (a click while it is still starting shares its start).
    await h.slack.waitFor(
      () =>
        h.slack
          .callsTo('chat.postEphemeral')
          .find((c) => c.args.channel === channel && textOf(c.args).includes('Your attempt is waiting')),
      { what: 'the first note' },
    );
    const headers = () => topLevel(`D${REP}`).filter((c) => String(c.args.text).includes('is practising'));
    const before = headers().length;
    await clickAttempt(channel, post, REP);
    await h.slack.waitFor(
      () =>
        h.slack
          .callsTo('chat.postEphemeral')
          .find((c) => c.args.channel === channel && textOf(c.args).includes('You already have an attempt')),
      { what: 'the already-started note' },
    );
    expect(headers()).toHaveLength(before);
  });

  it('starts one attempt for two clicks at once, and tells the second where it is', async () => {
    const channel = 'CDMDRILL9';
    h.clock.now = new Date('2025-03-20T10:00:00Z');
    await spar('drill en-fixture-vans every monday 09:00', MANAGER, channel);
    h.clock.now = new Date('2025-03-24T08:00:20Z');
    await h.team.deps.scheduler.tick();
    const post = topLevel(channel)[1]!;
    const dm = `D${REP2}`;
    const before = topLevel(dm).length;
    await Promise.all([clickAttempt(channel, post, REP2), clickAttempt(channel, post, REP2)]);
    const note = await h.slack.waitFor(
      () =>
        h.slack
          .callsTo('chat.postEphemeral')
          .find(
            (c) =>
              c.args.user === REP2 && textOf(c.args).includes('You already have an attempt in this drill'),
          ),
      { what: 'the note to the second click' },
    );
    expect(note.args.channel).toBe(channel);
    await waitForTally(post, 1, 0);
    // One session message in the DM for the two clicks.
    expect(topLevel(dm).length - before).toBe(1);
  });
});

describe('the drill modal’s public option', () => {
  it('offers a checkbox, unchecked by default, and reads it back', () => {
    const view = drillModalView({ scenarios: [], timeZone: null });
    const block = view.blocks.find((b) => 'block_id' in b && b.block_id === DRILL_FIELDS.visibility);
    expect(block).toMatchObject({
      type: 'input',
      optional: true,
      element: { type: 'checkboxes', options: [{ value: 'public' }] },
    });
    expect(JSON.stringify(block)).not.toContain('initial_options');
    const values = (options: Array<{ value: string }> | null) => ({
      [DRILL_FIELDS.visibility]: { value: { type: 'checkboxes', selected_options: options } },
    });
    expect(readDrillForm(values([{ value: 'public' }])).publicAttempts).toBe(true);
    expect(readDrillForm(values([])).publicAttempts).toBe(false);
    expect(readDrillForm({}).publicAttempts).toBe(false);
  });
});
