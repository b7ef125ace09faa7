import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { MESSAGES } from '../../src/i18n/messages.js';
import { ACTION_IDS, VIEW_IDS } from '../../src/slack/action-ids.js';
import { FEEDBACK_BLOCK_IDS } from '../../src/slack/blocks/feedback.js';
import { CORRECTION_FIELDS } from '../../src/slack/views/verdict-modal.js';
import { MANAGER, REP, startTeamHarness, type TeamHarness } from '../drills/team-harness.js';
import { type SlackCall, textOf } from '../helpers/fake-slack.js';

const en = MESSAGES.en;

describe('a verdict the rep can question and a manager can correct', () => {
  let h: TeamHarness;
  let seq = 0;

  beforeAll(async () => {
    h = await startTeamHarness();
    h.slack.users.set(MANAGER, { id: MANAGER, tz: 'Europe/Stockholm' });
    h.slack.users.set(REP, { id: REP, tz: 'Europe/Stockholm' });
    h.slack.users.set('UOTHER', { id: 'UOTHER', tz: 'Europe/Stockholm' });
  });
  afterAll(async () => {
    await h?.close();
  });

  const posts = (channel: string) =>
    h.slack.callsTo('chat.postMessage').filter((c) => c.args.channel === channel);
  const ephemerals = (user: string) =>
    h.slack.callsTo('chat.postEphemeral').filter((c) => c.args.user === user);
  const blocksOf = (c: SlackCall) => (c.args.blocks ?? []) as Array<Record<string, unknown>>;

  /** A whole session in a new channel: /spar, one rep message, End; resolves with the posted feedback card. */
  async function coachedSession(firstLine: string) {
    const channel = `CVERDICT${++seq}`;
    await h.send.command({
      text: 'en-fixture-vans',
      userId: REP,
      channelId: channel,
      responseUrl: h.slack.responseUrl(),
    });
    const header = await h.slack.waitFor(() => posts(channel).find((c) => !c.args.thread_ts), {
      what: 'the session message',
    });
    const threadTs = String(header.response.ts);
    // The drain records the thread just after posting its root: a reply before that would find no session.
    await vi.waitFor(async () => expect(await h.store.findByThread(channel, threadTs)).not.toBeNull());
    await h.send.message({ user: REP, channel, text: firstLine, ts: `1800000100.00000${seq}`, threadTs });
    await h.slack.waitFor(() => posts(channel).find((c) => String(c.args.text).includes('echo:')), {
      what: 'the buyer reply',
    });
    await h.send.action({
      actionId: ACTION_IDS.end,
      userId: REP,
      channelId: channel,
      messageTs: threadTs,
      responseUrl: h.slack.responseUrl(),
    });
    const card = await h.slack.waitFor(
      () => posts(channel).find((c) => blocksOf(c).some((b) => b.block_id === FEEDBACK_BLOCK_IDS.fair)),
      { what: 'the feedback card' },
    );
    const session = await h.store.findByThread(channel, threadTs);
    expect(session).not.toBeNull();
    return { channel, threadTs, card, sessionId: session!.id };
  }

  const click = (
    s: { channel: string; threadTs: string; card: SlackCall; sessionId: string },
    userId: string,
    actionId: string,
    o: { withBlocks?: boolean; overflow?: boolean } = {},
  ) =>
    h.send.action({
      actionId,
      userId,
      channelId: s.channel,
      messageTs: String(s.card.response.ts),
      threadTs: s.threadTs,
      responseUrl: h.slack.responseUrl(),
      ...(o.overflow ? { selectedOption: s.sessionId } : { value: s.sessionId }),
      ...(o.withBlocks ? { messageBlocks: blocksOf(s.card), messageText: String(s.card.args.text) } : {}),
    });

  it('stores the rep’s 👍/👎 (the last click wins), shows it on the card, and refuses anyone else', async () => {
    const s = await coachedSession('Tell me how you plan the vans?');
    const card = blocksOf(s.card);
    const actions = card.find((b) => b.block_id === FEEDBACK_BLOCK_IDS.verdictActions) as {
      elements: Array<{ action_id: string; value?: string }>;
    };
    expect(actions.elements.slice(0, 2).map((e) => [e.action_id, e.value])).toEqual([
      [ACTION_IDS.verdictFair, s.sessionId],
      [ACTION_IDS.verdictUnfair, s.sessionId],
    ]);

    // A colleague in the channel cannot answer for the rep.
    await click(s, 'UOTHER', ACTION_IDS.verdictFair);
    const refused = await h.slack.waitFor(() => ephemerals('UOTHER').at(-1), { what: 'the refusal' });
    expect(refused.args.text).toBe(en.onlyRepFair.replace('{user}', `<@${REP}>`));
    expect(refused.args.thread_ts).toBe(s.threadTs);
    expect(await h.team.deps.verdicts.fairness(s.sessionId)).toBeNull();

    // 👎, then 👍: both stored in turn, and the card's question line says what the rep answered.
    const updates = () =>
      h.slack.callsTo('chat.update').filter((c) => c.args.ts === String(s.card.response.ts));
    await click(s, REP, ACTION_IDS.verdictUnfair, { withBlocks: true });
    const first = await h.slack.waitFor(() => updates()[0], { what: 'the card updated after 👎' });
    await vi.waitFor(async () =>
      expect(await h.team.deps.verdicts.fairness(s.sessionId)).toMatchObject({ fair: false, userId: REP }),
    );
    const line = (c: SlackCall) =>
      textOf({ blocks: blocksOf(c).filter((b) => b.block_id === FEEDBACK_BLOCK_IDS.fair) });
    expect(line(first)).toContain(en.fairAnsweredNo.replace('{user}', `<@${REP}>`).slice(0, 30));
    // Everything else on the card is as it was posted.
    expect(blocksOf(first).filter((b) => b.block_id !== FEEDBACK_BLOCK_IDS.fair)).toEqual(
      card.filter((b) => b.block_id !== FEEDBACK_BLOCK_IDS.fair),
    );

    await click(s, REP, ACTION_IDS.verdictFair, { withBlocks: true });
    const second = await h.slack.waitFor(() => updates()[1], { what: 'the card updated after 👍' });
    expect(line(second)).toContain('👍');
    await vi.waitFor(async () =>
      expect(await h.team.deps.verdicts.fairness(s.sessionId)).toMatchObject({ fair: true, userId: REP }),
    );

    // Without the card's blocks in the payload, the rep still gets a visible acknowledgement.
    await click(s, REP, ACTION_IDS.verdictUnfair);
    const thanks = await h.slack.waitFor(
      () => ephemerals(REP).find((c) => String(c.args.text).startsWith('👎')),
      { what: 'the ephemeral acknowledgement' },
    );
    expect(thanks.args.channel).toBe(s.channel);
    await vi.waitFor(async () =>
      expect(await h.team.deps.verdicts.fairness(s.sessionId)).toMatchObject({ fair: false }),
    );
  });

  it('lets a manager correct the verdict beside the coach’s, and refuses everyone else', async () => {
    const s = await coachedSession('Just a question about vans?');
    const coachVerdict = (await h.store.feedback(s.sessionId))?.verdict;
    expect(coachVerdict).toBe('mixed');

    // The rep (not a manager) is refused, privately, and no modal opens.
    const opened = () => h.slack.callsTo('views.open');
    const before = opened().length;
    await click(s, REP, ACTION_IDS.verdictCorrect, { overflow: true });
    const refused = await h.slack.waitFor(
      () => ephemerals(REP).find((c) => c.args.text === en.managersOnlyCorrect),
      { what: 'the refusal' },
    );
    expect(refused.args.channel).toBe(s.channel);
    expect(refused.args.text).not.toMatch(/SPARRING_/);
    expect(opened()).toHaveLength(before);

    // The manager gets the modal, in the session's language, that knows its session.
    await click(s, MANAGER, ACTION_IDS.verdictCorrect, { overflow: true });
    const modal = await h.slack.waitFor(() => opened()[before], { what: 'the correction modal' });
    const view = modal.args.view as { callback_id: string; private_metadata: string; blocks: unknown[] };
    expect(view.callback_id).toBe(VIEW_IDS.verdictCorrection);
    expect(JSON.parse(view.private_metadata)).toEqual({ sessionId: s.sessionId });
    expect(textOf({ blocks: view.blocks })).toContain(`The coach said: *${en.verdict.mixed}*`);

    const values = (o: Record<string, string>) =>
      Object.fromEntries(
        Object.entries(o).map(([block, v]) => [
          block,
          {
            value:
              block === CORRECTION_FIELDS.note || block.endsWith('questions') || block === 'close_attempts'
                ? { type: 'x', value: v }
                : { type: 'x', selected_option: { value: v } },
          },
        ]),
      );

    // A submission by a non-manager (a modal can outlive its opener's rights) is refused on the input.
    const byRep = await h.submitView(
      VIEW_IDS.verdictCorrection,
      REP,
      values({ verdict: 'connected' }),
      view.private_metadata,
    );
    expect(JSON.parse(byRep.body)).toEqual({
      response_action: 'errors',
      errors: { verdict: en.managersOnlyCorrect },
    });
    // A count that is not one is shown on its input.
    const bad = await h.submitView(
      VIEW_IDS.verdictCorrection,
      MANAGER,
      values({ verdict: 'connected', close_attempts: 'two' }),
      view.private_metadata,
    );
    expect(JSON.parse(bad.body).errors).toEqual({ close_attempts: en.correctionNotANumber });
    expect(await h.team.deps.verdicts.corrections(s.sessionId)).toEqual([]);

    const ok = await h.submitView(
      VIEW_IDS.verdictCorrection,
      MANAGER,
      values({
        verdict: 'script',
        close_attempts: '2',
        buyer_flat_no: 'no',
        final_close_type: 'next_step',
        note: 'You pitched <before> asking & closed twice.',
      }),
      view.private_metadata,
    );
    expect(ok.body).toBe('');
    await h.submitView(
      VIEW_IDS.verdictCorrection,
      MANAGER,
      values({ verdict: 'connected' }),
      view.private_metadata,
    );
    const history = await h.team.deps.verdicts.corrections(s.sessionId);
    expect(history.map((c) => [c.managerId, c.verdict, c.labels, c.note])).toEqual([
      [
        MANAGER,
        'script',
        { close_attempts: 2, buyer_flat_no: false, final_close_type: 'next_step' },
        'You pitched <before> asking & closed twice.',
      ],
      [MANAGER, 'connected', {}, null],
    ]);
    // The coach's own verdict is untouched.
    expect((await h.store.feedback(s.sessionId))?.verdict).toBe('mixed');

    // The rep sees the correction in the session thread, the note escaped.
    const said = await h.slack.waitFor(
      () =>
        posts(s.channel).find(
          (c) => c.args.thread_ts === s.threadTs && String(c.args.text).includes('corrected the verdict'),
        ),
      { what: 'the correction in the thread' },
    );
    expect(said.args.text).toBe(
      `<@${MANAGER}> corrected the verdict: *${en.verdict.script}* (the coach said: ${en.verdict.mixed}).\n` +
        'Note: You pitched &lt;before&gt; asking &amp; closed twice.',
    );
  });

  it('App Home: thread links, verdict, outcome and correction per session; the agreement this month', async () => {
    const agreeing = await coachedSession('I connect with you, how do you plan?');
    const other = await coachedSession('script: our vans are great');
    const at = h.clock.now;
    await h.team.deps.verdicts.correct({
      sessionId: agreeing.sessionId,
      managerId: MANAGER,
      verdict: 'connected',
      labels: {},
      note: null,
      at,
    });
    await h.team.deps.verdicts.correct({
      sessionId: other.sessionId,
      managerId: MANAGER,
      verdict: 'mixed',
      labels: {},
      note: null,
      // Last month: not in this month's agreement.
      at: new Date(at.getTime() - 40 * 24 * 3600_000),
    });
    const published = () => h.slack.callsTo('views.publish').filter((c) => c.args.user_id === MANAGER);
    const before = published().length;
    await h.send.event({ type: 'app_home_opened', user: MANAGER, channel: `D${MANAGER}`, tab: 'home' });
    const home = await h.slack.waitFor(() => published()[before], { what: 'the manager’s App Home' });
    const text = textOf(home.args.view as Record<string, unknown>);
    // The fake Slack's permalink for the session's root message.
    const link = `https://test.slack.com/archives/${agreeing.channel}/p${agreeing.threadTs.replace('.', '')}`;
    expect(text).toContain(`*<${link}|Vans &amp; &lt;trackers&gt;>*`);
    // The coach's verdict, the manager's beside it, and how the session ended (the fake buyer leaves it open).
    expect(text).toContain('🟢 connected → ✏️ corrected by <@UMGR>: 🟢 connected · open');
    expect(text).toContain('🔴 ran the script → ✏️ corrected by <@UMGR>: 🟡 mixed · open');
    // The first test's rep answered 👎 last.
    expect(text).toContain('🟡 mixed · open · rep: not fair');
    // This month: the previous test's session (coach mixed, corrected to connected) and `agreeing` (connected
    // both); `other` was corrected last month and is left out.
    const all = await h.team.deps.verdicts.agreementSince(new Date('2025-03-01T00:00:00Z'));
    expect(all).toEqual({ n: 2, agreed: 1 });
    expect(text).toContain('Corrected sessions: 2. The coach had the same verdict in 1 (50%).');
    // The Correct button on each coached team session.
    const view = home.args.view as { blocks: Array<{ accessory?: { action_id?: string; value?: string } }> };
    const corrects = view.blocks.flatMap((b) =>
      b.accessory?.action_id === ACTION_IDS.verdictCorrect ? [b.accessory.value] : [],
    );
    expect(corrects).toEqual(expect.arrayContaining([agreeing.sessionId, other.sessionId]));
  });
});
