import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ACTION_IDS } from '../../src/slack/action-ids.js';
import { MANAGERS_ONLY } from '../../src/slack/people.js';
import { ADMIN, MANAGER, REP, startTeamHarness, type TeamHarness } from '../drills/team-harness.js';
import { buttonsOf, type SlackCall, textOf } from '../helpers/fake-slack.js';

/** One app for the file: every test works in channels of its own, on the harness's fake clock. */
describe('weekly drills in Slack', () => {
  let h: TeamHarness;
  let seq = 0;
  const newChannel = () => `CDRILL${String(++seq).padStart(3, '0')}`;
  const newTs = () => `1800000000.${String(++seq).padStart(6, '0')}`;

  beforeAll(async () => {
    h = await startTeamHarness();
    h.slack.users.set(MANAGER, { id: MANAGER, tz: 'Europe/Stockholm' });
    h.slack.users.set(ADMIN, { id: ADMIN, tz: 'America/New_York', is_admin: true });
    h.slack.users.set(REP, { id: REP, tz: 'Europe/Stockholm' });
  });
  afterAll(async () => {
    await h?.close();
  });

  const posts = (channel: string) =>
    h.slack.callsTo('chat.postMessage').filter((c) => c.args.channel === channel);
  const topLevel = (channel: string) => posts(channel).filter((c) => !c.args.thread_ts);
  const ephemerals = (channel: string, user: string) =>
    h.slack.callsTo('chat.postEphemeral').filter((c) => c.args.channel === channel && c.args.user === user);

  /** `/spar <text>`; resolves with the private answer (through the response URL). */
  const spar = async (text: string, userId: string, channelId: string): Promise<string> => {
    const id = `r${++seq}`;
    const res = await h.send.command({ text, userId, channelId, responseUrl: h.slack.responseUrl(id) });
    expect(res.status).toBe(200);
    // Acknowledged empty: the practice listener did not answer "there is no scenario drill".
    expect(res.body).toBe('');
    const answer = await h.slack.waitFor(
      () => h.slack.callsTo('response_url').find((c) => c.args.url === `/respond/${id}`),
      { what: `the answer to /spar ${text}` },
    );
    expect(answer.args.response_type).toBe('ephemeral');
    return [String(answer.args.text ?? ''), textOf(answer.args)].join('\n');
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

  it('refuses scheduling, results and stop to people who are not managers, and lets anyone list', async () => {
    const channel = newChannel();
    expect(await spar('drill en-fixture-vans every monday 09:00', REP, channel)).toContain(MANAGERS_ONLY);
    expect(await spar('drill results', REP, channel)).toContain(MANAGERS_ONLY);
    expect(await spar('drill stop dabcdef', REP, channel)).toContain(MANAGERS_ONLY);
    expect(await spar('drill list', REP, channel)).toContain('No weekly drills are scheduled');
    expect(posts(channel)).toEqual([]);
    // users.info said UREP is neither admin nor owner.
    expect(h.slack.callsTo('users.info').some((c) => c.args.user === REP)).toBe(true);
  });

  it('runs a week of a public drill: scheduled, posted at its time in its language, attempts in the channel, results with the team’s gap', async () => {
    const channel = newChannel();
    h.clock.now = new Date('2025-03-20T10:00:00Z');
    // `public`: attempts in threads of the channel, as before issue 12 (drills-dm.test.ts has the DM default).
    const answer = await spar('drill sv-fixture-avslut every måndag 09:00 public', MANAGER, channel);
    const drillId = /Drill `(d[a-z0-9]+)` scheduled/.exec(answer)?.[1];
    expect(drillId).toBeTruthy();
    expect(answer).toContain('every Monday at 09:00 (Europe/Stockholm)');
    // The team sees the schedule in the drill's language, with the first date in each reader's own time zone.
    const [announced] = topLevel(channel);
    expect(announced!.args.text).toContain(
      '<@UMGR> har lagt in en veckovis teamövning här: *Avslut hos bageriet*, varje måndag kl. 09:00 (Europe/Stockholm).',
    );
    expect(announced!.args.text).toContain('<!date^1742803200^');

    // Nothing before Monday 09:00 Stockholm (08:00 UTC); then the drill post, once.
    h.clock.now = new Date('2025-03-24T07:59:00Z');
    expect((await h.team.deps.scheduler.tick()).posted).toEqual([]);
    h.clock.now = new Date('2025-03-24T08:00:20Z');
    const { posted } = await h.team.deps.scheduler.tick();
    expect(posted).toEqual([`${drillId}-20250324T0800Z`]);
    const post = topLevel(channel)[1]!;
    expect(textOf(post.args)).toContain('🏋️ Veckans teamövning: Avslut hos bageriet');
    expect(textOf(post.args)).toContain('Den här veckan övar alla på samma köpare.');
    expect(buttonsOf(post.args)).toEqual([{ actionId: ACTION_IDS.drillAttempt, value: posted[0] }]);
    expect(post.args.metadata).toMatchObject({
      event_type: 'sparring_drill_run',
      event_payload: { run_id: posted[0] },
    });

    // A rep's attempt: a session message and thread of their own, counted in this run.
    await clickAttempt(channel, post, REP);
    const header = await h.slack.waitFor(() => topLevel(channel)[2], {
      what: 'the attempt’s session message',
    });
    expect(header.args.text).toContain('<@UREP> övar på *Avslut hos bageriet*');
    const threadTs = String(header.response.ts);
    await h.slack.waitFor(() => posts(channel).find((c) => c.args.thread_ts === threadTs), {
      what: 'the opening',
    });
    const stored = await h.store.findByThread(channel, threadTs);
    expect(stored).toMatchObject({ userId: REP, drillId: posted[0], scenarioId: 'sv-fixture-avslut' });
    // The drill post counts it (issue 12).
    const tallied = await h.slack.waitFor(
      () => h.slack.callsTo('chat.update').find((c) => c.args.ts === post.response.ts),
      { what: 'the drill post with its tally' },
    );
    expect(textOf(tallied.args)).toContain('Försök: 1 påbörjade · 0 avslutade');

    // A second click points to the thread instead of starting another.
    await clickAttempt(channel, post, REP);
    const note = await h.slack.waitFor(() => ephemerals(channel, REP)[0], { what: 'the note' });
    expect(textOf(note.args)).toContain('Du har redan ett försök i den här övningen');
    expect(textOf(note.args)).toContain(`p${threadTs.replace('.', '')}`);
    expect(topLevel(channel)).toHaveLength(3);

    // The rep talks and ends; a second rep starts and never finishes.
    await h.send.message({
      user: REP,
      channel,
      text: 'I want to connect: what matters?',
      ts: newTs(),
      threadTs,
    });
    await h.slack.waitFor(
      () => posts(channel).filter((c) => c.args.thread_ts === threadTs).length >= 2 || undefined,
    );
    await h.send.action({
      actionId: ACTION_IDS.end,
      userId: REP,
      channelId: channel,
      messageTs: threadTs,
      responseUrl: h.slack.responseUrl(),
    });
    await h.slack.waitFor(
      () => posts(channel).find((c) => c.args.thread_ts === threadTs && textOf(c.args).includes('Feedback')),
      { what: 'the feedback card' },
    );
    await clickAttempt(channel, post, 'UREP2');
    await h.slack.waitFor(() => topLevel(channel)[3], { what: 'the second attempt' });
    // Stored and counted (the session message is posted before the session is stored).
    await h.slack.waitFor(
      () =>
        h.slack
          .callsTo('chat.update')
          .find((c) => c.args.ts === post.response.ts && textOf(c.args).includes('Försök: 2 påbörjade')),
      { what: 'the tally with the second attempt' },
    );

    expect(await spar('drill results', MANAGER, channel)).toContain('Posted the results of the drill');
    const summary = topLevel(channel)[4]!;
    const text = textOf(summary.args);
    expect(text).toContain('📊 Resultat från teamövningen: Avslut hos bageriet');
    expect(text).toContain('Deltog (2): <@UREP>, <@UREP2>');
    expect(text).toContain(
      '*Bedömningar:* fick kontakt *1* · blandat *0* · körde manus *0* · inte avslutade *1*',
    );
    expect(text).toContain('Vanligaste luckan: *ingen sammanfattning före avslutet* (1 av 1)');
    expect(text).toContain('Svagaste området: *Avslutet* (snitt 1.0/5)');
    expect(text).toContain('Det här är första gången övningen körs');
    expect(summary.args.metadata).toMatchObject({ event_type: 'sparring_drill_summary' });

    // Closed: a late click starts nothing.
    await clickAttempt(channel, post, 'UREP3');
    const closed = await h.slack.waitFor(() => ephemerals(channel, 'UREP3')[0], { what: 'the closed note' });
    expect(textOf(closed.args)).toContain('Den här övningen har stängt');
    expect(await spar('drill results', MANAGER, channel)).toContain(
      'There is no open drill in this channel.',
    );

    // Next Monday: the next run opens; a manager stops the drill.
    h.clock.now = new Date('2025-03-31T07:00:30Z');
    expect((await h.team.deps.scheduler.tick()).posted).toEqual([`${drillId}-20250331T0700Z`]);
    expect(await spar('drill list', REP, channel)).toContain(
      `\`${drillId}\` *Avslut hos bageriet* in <#${channel}>`,
    );
    expect(await spar(`drill stop ${drillId}`, MANAGER, channel)).toContain(`Drill \`${drillId}\` stopped`);
    const after = textOf(topLevel(channel).at(-1)!.args);
    expect(after).toContain('<@UMGR> har stoppat den veckovisa teamövningen *Avslut hos bageriet*.');
    // Stopping closed the open week with its results, compared with the week before.
    const second = textOf(topLevel(channel).at(-2)!.args);
    expect(second).toContain('Ingen deltog i den här övningen.');
    expect(second).toContain('deltagare: 0 (förra gången 2)');
    expect(await spar(`drill stop ${drillId}`, MANAGER, channel)).toContain('was already stopped');
  });

  it('lets a workspace admin schedule (users.info), in the admin’s time zone', async () => {
    const channel = newChannel();
    h.clock.now = new Date('2025-03-20T10:00:00Z');
    const answer = await spar('drill en-fixture-vans every friday 16:30', ADMIN, channel);
    expect(answer).toContain('every Friday at 16:30 (America/New_York)');
    expect(answer).toContain('<!date^1742589000^'); // Friday 21 March 16:30 EDT = 20:30 UTC
    expect(h.slack.callsTo('users.info').some((c) => c.args.user === ADMIN)).toBe(true);
    expect(textOf(topLevel(channel)[0]!.args)).toContain(
      'scheduled a weekly team drill here: *Vans &amp; &lt;trackers&gt;*',
    );
  });

  it('keeps nothing when Sparring may not post in the channel, and explains bad input', async () => {
    const channel = newChannel();
    h.slack.failOnce('chat.postMessage', 'not_in_channel');
    expect(await spar('drill en-fixture-vans every monday 09:00', MANAGER, channel)).toContain(
      '/invite @Sparring',
    );
    expect((await h.team.deps.drills.active({ channelId: channel })).length).toBe(0);
    expect(await spar('drill no-such-buyer every monday 09:00', MANAGER, channel)).toContain(
      'Unknown scenario "no-such-buyer"',
    );
    expect(await spar('drill en-fixture-vans every someday 09:00', MANAGER, channel)).toContain(
      '"someday" is not a weekday',
    );
    expect(await spar('drill en-fixture-vans every monday 09:00', MANAGER, 'DMGR')).toContain(
      'not in a direct message',
    );
    expect(await spar('drill', MANAGER, channel)).toContain(
      '/spar drill &lt;scenario-id&gt; every &lt;weekday&gt;',
    );
  });
});
