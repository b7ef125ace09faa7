import { Writable } from 'node:stream';
import { pino } from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ACTION_IDS } from '../../src/slack/action-ids.js';
import { createBoltLogger } from '../../src/slack/bolt-logger.js';
import { type Harness, startHarness } from './harness.js';

/** A pino logger whose records land in an array. */
function capturingLogger() {
  const records: Array<Record<string, unknown>> = [];
  const stream = new Writable({
    write(chunk, _enc, done) {
      for (const line of String(chunk).split('\n').filter(Boolean)) records.push(JSON.parse(line));
      done();
    },
  });
  return { logger: pino({ level: 'debug' }, stream), records };
}

describe('errors that are not the user’s', () => {
  let h: Harness;
  const { logger, records } = capturingLogger();
  beforeAll(async () => {
    h = await startHarness({ logger });
  });
  afterAll(async () => {
    await h.close();
  });

  it('reach app.error() and the log instead of a reply', async () => {
    await h.send.action({
      actionId: ACTION_IDS.retry,
      // Not a session id Slack could have sent: a bug or a forgery, not something to explain to the rep.
      value: '',
      userId: 'UREP',
      channelId: 'CERR',
      messageTs: '1800000000.000001',
      responseUrl: h.slack.responseUrl(),
    });
    const record = await h.slack.waitFor(() =>
      records.find((r) => r.msg === 'unhandled error in a Slack listener'),
    );
    expect(record).toMatchObject({ level: 50, module: 'slack' });
    expect(h.slack.calls.filter((c) => c.method.startsWith('chat.'))).toEqual([]);
  });
});

describe('createBoltLogger', () => {
  it('writes Bolt’s and the WebClient’s log calls as structured pino records', () => {
    const { logger, records } = capturingLogger();
    const bolt = createBoltLogger(logger);
    bolt.warn('API Call failed due to rate limiting.', { retryAfter: 1 });
    bolt.error('listener failed', new Error('boom'));
    bolt.setLevel('error' as never);
    bolt.debug('still written: LOG_LEVEL decides, not Bolt');
    expect(records.map((r) => [r.level, r.module, r.msg])).toEqual([
      [40, 'bolt', 'API Call failed due to rate limiting. {"retryAfter":1}'],
      [50, 'bolt', 'listener failed'],
      [20, 'bolt', 'still written: LOG_LEVEL decides, not Bolt'],
    ]);
    expect((records[1]!.err as { message: string }).message).toBe('boom');
    expect(bolt.getLevel()).toBe('debug');
  });
});
