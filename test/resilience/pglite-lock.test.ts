import { spawn } from 'node:child_process';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { freePort, ROOT } from '../../bench/child-app.js';
import { type Stack, startSession, startStack } from './stack.js';

/** Runs a program of the repository under tsx to its end, with exactly this environment for the app's settings. */
function run(entry: string, args: string[], env: Record<string, string>) {
  return new Promise<{ code: number | null; stdout: string; stderr: string }>((resolve) => {
    const child = spawn(
      process.execPath,
      ['--import', import.meta.resolve('tsx'), path.join(ROOT, entry), ...args],
      {
        cwd: ROOT,
        env: { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? '', ...env },
        stdio: ['ignore', 'pipe', 'pipe'],
      },
    );
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d: Buffer) => {
      stdout += d.toString();
    });
    child.stderr.on('data', (d: Buffer) => {
      stderr += d.toString();
    });
    child.once('exit', (code) => resolve({ code, stdout, stderr }));
  });
}

/**
 * Two processes on one PGlite directory each keep their own PostgreSQL in memory and overwrite each other's
 * files: what the first acknowledged disappears. A second `npm start`, or `export` while the app runs, is refused
 * with the pid of the process that holds it; the running app goes on as before.
 */
describe('resilience: a second process on the embedded store', () => {
  let stack: Stack;
  beforeAll(async () => {
    stack = await startStack({ kind: 'pglite' });
  }, 60_000);
  afterAll(async () => {
    await stack?.dispose();
  });

  it('refuses a second npm start and an export while the app runs, and the app keeps its sessions', async () => {
    const { threadTs } = await startSession(stack, {
      channel: 'CLOCK1',
      user: 'UREPLOCK',
      scenarioId: 'en-florist-card-readers',
    });
    const pid = stack.app().pid;
    const env = {
      SLACK_BOT_TOKEN: 'xoxb-second',
      SLACK_SIGNING_SECRET: 'second-instance-signing-secret',
      SLACK_API_URL: stack.slack.apiUrl,
      PORT: String(await freePort()),
      ...stack.storage,
    };
    const second = await run('src/main.ts', [], env);
    expect(second.code).not.toBe(0);
    expect(second.stderr).toContain(`is in use by process ${pid} (the Slack app)`);
    const exported = await run('src/cli/main.ts', ['export'], env);
    expect(exported.code).not.toBe(0);
    expect(exported.stderr).toContain(`is in use by process ${pid} (the Slack app)`);
    expect(exported.stdout).toBe('');

    // Stopped, the app frees the directory: export reads the session it stored.
    await stack.app().stop();
    const after = await run('src/cli/main.ts', ['export'], env);
    expect(after.stderr).toContain('1 session exported');
    expect(after.code).toBe(0);
    expect(JSON.parse(after.stdout.trim()).channel).toBe('CLOCK1');
    expect(threadTs).toBeTruthy();
  }, 120_000);
});
