import { execFileSync, spawn } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { startScript } from '../../bench/child-app.js';

const ROOT = fileURLToPath(new URL('../..', import.meta.url));

describe('npm start without Slack credentials', () => {
  it('exits with 1, names SLACK_BOT_TOKEN and points to the offline CLI', async () => {
    // A scratch working directory, so that a developer's own .env is never read by this test.
    const cwd = await mkdtemp(path.join(tmpdir(), 'sparring-nocreds-'));
    try {
      // package.json's own scripts: the build of dist/, then the app as `npm start` runs it.
      const start = startScript();
      execFileSync(process.execPath, start.build, { cwd: ROOT });
      const child = spawn(process.execPath, [...start.flags, path.join(ROOT, start.entry)], {
        cwd,
        env: { ...start.env, PATH: process.env.PATH ?? '', HOME: cwd },
        stdio: ['ignore', 'pipe', 'pipe'],
      });
      let stderr = '';
      child.stderr.on('data', (d: Buffer) => {
        stderr += d.toString('utf8');
      });
      const code = await new Promise<number | null>((resolve) => child.on('close', resolve));
      expect(code).toBe(1);
      expect(stderr).toContain('SLACK_BOT_TOKEN');
      expect(stderr).toContain('npm run -s sparring -- practice');
    } finally {
      await rm(cwd, { recursive: true, force: true });
    }
  });
});

describe('startApp with a bot token Slack rejects', () => {
  it('fails with a clear configuration error instead of crashing', async () => {
    const { startFakeSlack } = await import('../helpers/fake-slack.js');
    const { startApp } = await import('../../src/main.js');
    const { silentLogger } = await import('../helpers/db.js');
    const slack = await startFakeSlack();
    const dir = await mkdtemp(path.join(tmpdir(), 'sparring-badtoken-'));
    try {
      slack.failOnce('auth.test', 'invalid_auth');
      const err = await startApp({
        env: {
          SLACK_BOT_TOKEN: 'xoxb-wrong',
          SLACK_SIGNING_SECRET: 'test-secret',
          PORT: '0',
          SLACK_API_URL: slack.apiUrl,
          SPARRING_DATA_DIR: dir,
        },
        cwd: ROOT,
        logger: silentLogger,
      }).catch((e: unknown) => e);
      expect(err).toMatchObject({ code: 'config_invalid' });
      expect((err as Error).message).toContain('Slack rejected SLACK_BOT_TOKEN (invalid_auth)');
    } finally {
      await slack.close();
      await rm(dir, { recursive: true, force: true });
    }
  });
});
