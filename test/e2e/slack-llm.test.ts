import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { ACTION_IDS } from '../../src/slack/action-ids.js';
import { type FakeOpenAi, rubricAnswer, startFakeOpenAi } from '../helpers/fake-openai.js';
import { buttonsOf, type FakeSlack, startFakeSlack, textOf } from '../helpers/fake-slack.js';
import { type Booted, boot, ids, newStorage, type Storage, threads } from './boot.js';

const REP = 'UREP2';
const SCENARIO = 'en-seasoned-buyer-closing';

/** The rep lines the buyer model was shown, in order, in one request. */
const repLines = (messages: Array<{ role: string; content: string }>) =>
  messages.filter((m) => m.role === 'user').map((m) => m.content);

describe('Sparring in Slack with a language model (fake OpenAI-compatible server), end to end', () => {
  let slack: FakeSlack;
  let openai: FakeOpenAi;
  let storage: Storage;
  let booted: Booted | null;
  let t: ReturnType<typeof threads>;

  beforeEach(async () => {
    slack = await startFakeSlack();
    openai = await startFakeOpenAi();
    storage = await newStorage('pglite');
    booted = await boot({ slack, storage, openai });
    t = threads(slack);
  });
  afterEach(async () => {
    await booted?.app.stop();
    await slack.close();
    await openai.close();
    await storage.dispose();
  });

  const buyerRequests = () => openai.requests.filter((r) => r.schema === 'buyer_turn');

  it('posts the failure with Retry when the model fails, keeps the message, and answers it on Retry', async () => {
    const channel = ids.channel();
    const { threadTs, opening } = await t.start(booted!.send, { scenarioId: SCENARIO, channel, user: REP });
    expect(textOf(opening.args)).not.toContain('Offline mode');
    openai.fail('buyer_turn', 500);
    await booted!.send.message({
      user: REP,
      channel,
      text: 'How do you buy services like ours today?',
      ts: ids.ts(),
      threadTs,
    });
    const [failure] = await t.replies(channel, threadTs, 1);
    expect(textOf(failure!.args)).toContain('The buyer could not answer (the model server is not available)');
    const [retry] = buttonsOf(failure!.args);
    expect(retry?.actionId).toBe(ACTION_IDS.retry);
    expect(buyerRequests()).toHaveLength(1);

    await booted!.send.action({
      actionId: ACTION_IDS.retry,
      value: retry!.value,
      userId: REP,
      channelId: channel,
      messageTs: String(failure!.response.ts),
      threadTs,
      responseUrl: slack.responseUrl(),
    });
    const replies = await t.replies(channel, threadTs, 2);
    expect(textOf(replies[1]!.args)).toContain('You said: How do you buy services like ours today?');
    // The same stored message went to the model again, once.
    expect(buyerRequests().map((r) => repLines(r.body.messages).at(-1))).toEqual([
      'How do you buy services like ours today?',
      'How do you buy services like ours today?',
    ]);
  });

  it('continues the same session in the same thread after a restart on the same data', async () => {
    const channel = ids.channel();
    const { threadTs } = await t.start(booted!.send, { scenarioId: SCENARIO, channel, user: REP });
    const firstTs = ids.ts();
    await booted!.send.message({
      user: REP,
      channel,
      text: 'What made you take this call?',
      ts: firstTs,
      threadTs,
    });
    await t.replies(channel, threadTs, 1);
    // Stop once the answer is fully delivered (the reply, then removing the 💭 reaction if it stood in for the
    // thread status and the model took long enough for it to be added); a stop in the middle of a delivery posts it again after the restart (at
    // least once), which is not this test.
    if (slack.callsTo('reactions.add').some((c) => c.args.timestamp === firstTs)) {
      await slack.waitFor(() => slack.callsTo('reactions.remove').some((c) => c.args.timestamp === firstTs));
    }
    await new Promise((r) => setTimeout(r, 200));

    await booted!.app.stop();
    booted = null;
    booted = await boot({ slack, storage, openai });

    await booted.send.message({
      user: REP,
      channel,
      text: 'Who else would be involved?',
      ts: ids.ts(),
      threadTs,
    });
    const replies = await t.replies(channel, threadTs, 2);
    expect(textOf(replies[1]!.args)).toContain('You said: Who else would be involved?');
    expect(replies[1]!.args.thread_ts).toBe(threadTs);
    // The model saw the whole conversation: the same session, not a new one.
    const last = buyerRequests().at(-1)!.body.messages;
    expect(repLines(last)).toEqual(['What made you take this call?', 'Who else would be involved?']);
    expect(
      last.some(
        (m) => m.role === 'assistant' && m.content.includes('You said: What made you take this call?'),
      ),
    ).toBe(true);
  });

  it('answers two quick messages in order, each reply after its own message', async () => {
    const channel = ids.channel();
    const { threadTs } = await t.start(booted!.send, { scenarioId: SCENARIO, channel, user: REP });
    openai.setLatency(300);
    const first = ids.ts();
    const second = ids.ts();
    // The second arrives while the first is with the model (300 ms), but only once the first is stored (its
    // 200): sent at once, either could be stored first, and which one the buyer hears first would be chance.
    const acked = await booted!.send.message({
      user: REP,
      channel,
      text: 'First question?',
      ts: first,
      threadTs,
    });
    expect(acked.status).toBe(200);
    await booted!.send.message({ user: REP, channel, text: 'Second question?', ts: second, threadTs });
    const replies = await t.replies(channel, threadTs, 2);
    expect(replies.map((r) => textOf(r.args))).toEqual([
      expect.stringContaining('You said: First question?'),
      expect.stringContaining('You said: Second question?'),
    ]);
    // Strictly one after the other: the second answer was written knowing the first exchange.
    const [a, b] = buyerRequests();
    expect(repLines(a!.body.messages)).toEqual(['First question?']);
    expect(repLines(b!.body.messages)).toEqual(['First question?', 'Second question?']);
    expect(b!.at).toBeGreaterThanOrEqual(replies[0]!.at - 5);
  });

  it('never shows a bystander’s message to the buyer', async () => {
    const channel = ids.channel();
    const { threadTs } = await t.start(booted!.send, { scenarioId: SCENARIO, channel, user: REP });
    await booted!.send.message({
      user: 'UBYSTANDER',
      channel,
      text: 'Tell her the price is 10% off!',
      ts: ids.ts(),
      threadTs,
    });
    await booted!.send.message({
      user: REP,
      channel,
      text: 'What matters most to you here?',
      ts: ids.ts(),
      threadTs,
    });
    await t.replies(channel, threadTs, 1);
    await new Promise((r) => setTimeout(r, 300));
    expect(t.inThread(channel, threadTs).slice(1)).toHaveLength(1);
    expect(JSON.stringify(openai.requests)).not.toContain('10% off');
  });

  it('ends with the button and posts the model coach’s card with linked evidence', async () => {
    const channel = ids.channel();
    const { threadTs, header } = await t.start(booted!.send, { scenarioId: SCENARIO, channel, user: REP });
    const repTs = ids.ts();
    await booted!.send.message({
      user: REP,
      channel,
      text: 'How do you decide on suppliers?',
      ts: repTs,
      threadTs,
    });
    const [reply] = await t.replies(channel, threadTs, 1);
    openai.script(
      'coach_rubric',
      rubricAnswer({
        dimension: (id) => ({
          score: 3,
          comment: 'ok',
          evidence:
            id === 'discovery'
              ? [
                  { turn: 1, quote: 'How do you decide' },
                  { turn: 2, quote: 'You said' },
                ]
              : [],
        }),
        verdict: 'connected',
        summary: 'You asked before you pitched.',
        nextTime: 'Recap in her words before you ask.',
      }),
    );
    await booted!.send.action({
      actionId: ACTION_IDS.end,
      userId: REP,
      channelId: channel,
      messageTs: String(header.response.ts),
      responseUrl: slack.responseUrl(),
    });
    const card = await slack.waitFor(() =>
      t.inThread(channel, threadTs).find((c) => String(c.args.text).startsWith('Feedback: ')),
    );
    const text = textOf(card.args);
    expect(text).toContain('Feedback: You connected with the buyer');
    expect(text).toContain(`— <https://test.slack.com/archives/${channel}/p${repTs.replace('.', '')}|You>`);
    expect(text).toContain(`/p${String(reply!.response.ts).replace('.', '')}|`);
    expect(text).not.toContain('Offline coach');
  });
});
