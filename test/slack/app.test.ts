import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadConfig } from '../../src/config.js';
import { isAppError } from '../../src/errors.js';
import { createSlackApp } from '../../src/slack/app.js';
import { silentLogger } from '../helpers/db.js';
import { type FakeSlack, startFakeSlack } from '../helpers/fake-slack.js';

describe('createSlackApp', () => {
  let slack: FakeSlack;
  beforeAll(async () => {
    slack = await startFakeSlack();
  });
  afterAll(async () => {
    await slack.close();
  });

  it('builds a Socket Mode app when an app-level token is set, using SLACK_API_URL for the Web API', async () => {
    const config = loadConfig({
      SLACK_BOT_TOKEN: 'xoxb-test',
      SLACK_APP_TOKEN: 'xapp-test',
      SLACK_API_URL: slack.apiUrl,
    });
    const app = createSlackApp({ config, logger: silentLogger });
    // Bolt checks the token once at construction; it went to the configured server, not to slack.com.
    await slack.waitFor(() => slack.callsTo('auth.test').length > 0);
    expect(await app.client.chat.postMessage({ channel: 'C1', text: 'hi' })).toMatchObject({ ok: true });
  });

  it('refuses HTTP mode without a signing secret, and any mode without a bot token', () => {
    const noSecret = loadConfig({ SLACK_BOT_TOKEN: 'xoxb-test', SLACK_API_URL: slack.apiUrl });
    expect(() => createSlackApp({ config: noSecret, logger: silentLogger })).toThrow(/SLACK_SIGNING_SECRET/);
    try {
      createSlackApp({ config: loadConfig({ SLACK_SIGNING_SECRET: 'test-secret' }), logger: silentLogger });
      expect.unreachable();
    } catch (err) {
      expect(isAppError(err, 'config_invalid')).toBe(true);
    }
  });
});
