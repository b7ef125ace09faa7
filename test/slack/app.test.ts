import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadConfig } from '../../src/config.js';
import { isAppError } from '../../src/errors.js';
import { createSlackApp, initSlackApp } from '../../src/slack/app.js';
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
    await initSlackApp(app, config);
    // The token check went to the configured server, not to slack.com.
    expect(slack.callsTo('auth.test').length).toBeGreaterThan(0);
    expect(await app.client.chat.postMessage({ channel: 'C1', text: 'hi' })).toMatchObject({ ok: true });
  });

  it('says when Slack cannot be reached to verify the token', async () => {
    const config = loadConfig({
      SLACK_BOT_TOKEN: 'xoxb-test',
      SLACK_SIGNING_SECRET: 'test-secret',
      SLACK_API_URL: 'http://127.0.0.1:9/api/',
    });
    const app = createSlackApp({ config, logger: silentLogger });
    const err = await initSlackApp(app, config).catch((e: unknown) => e);
    expect(err).toMatchObject({ code: 'slack_unavailable' });
    expect((err as Error).message).toContain('Cannot reach Slack at http://127.0.0.1:9/api/');
  }, 60_000);

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
