import { readFile } from 'node:fs/promises';
import { describe, expect, it } from 'vitest';
import { loadConfig } from '../../src/config.js';
import { startStack } from '../resilience/stack.js';

/** The local addresses listening on `port` (IPv4, from /proc/net/tcp: state 0A is LISTEN). */
async function listeningOn(port: number): Promise<string[]> {
  const table = await readFile('/proc/net/tcp', 'utf8');
  const hexPort = port.toString(16).toUpperCase().padStart(4, '0');
  return table
    .split('\n')
    .slice(1)
    .map((line) => line.trim().split(/\s+/))
    .filter((f) => f[1]?.endsWith(`:${hexPort}`) && f[3] === '0A')
    .map((f) => {
      const hex = f[1]!.split(':')[0]!;
      return [3, 2, 1, 0].map((i) => Number.parseInt(hex.slice(i * 2, i * 2 + 2), 16)).join('.');
    });
}

describe('HOST: the address the HTTP server listens on', () => {
  it('is read and checked with the rest of the configuration', () => {
    expect(loadConfig({}).slack.host).toBeUndefined();
    expect(loadConfig({ HOST: '127.0.0.1' }).slack.host).toBe('127.0.0.1');
    expect(loadConfig({ HOST: '::1' }).slack.host).toBe('::1');
    expect(() => loadConfig({ HOST: 'http://0.0.0.0:3000/' })).toThrow(/HOST: must be an address/);
  });

  it('listens on that address only (the app as npm start runs it)', async () => {
    const stack = await startStack({ kind: 'pglite', env: { HOST: '127.0.0.1' } });
    try {
      expect((await fetch(`${stack.baseUrl}/healthz`)).status).toBe(200);
      expect(await listeningOn(stack.app().port)).toEqual(['127.0.0.1']);
    } finally {
      await stack.dispose();
    }
  }, 60_000);
});
