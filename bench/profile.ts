import { readFileSync } from 'node:fs';
import { round, table } from './stats.js';

type CpuProfile = {
  nodes: Array<{
    id: number;
    callFrame: { functionName: string; url: string; lineNumber: number };
    children?: number[];
  }>;
  startTime: number;
  endTime: number;
  samples: number[];
  timeDeltas: number[];
};

/** Categories charged to their caller in the "on whose behalf" view: the runtime, and fetch's own machinery. */
const GENERIC = new Set(['node core', 'native / builtins', 'other', 'wasm', 'undici (fetch)', 'undici']);

/** Where a function lives, coarsely: which library (or part of the app) the CPU time goes to. */
export function categorize(url: string, functionName: string): string {
  if (functionName === '(garbage collector)') return 'gc';
  if (functionName === '(idle)') return 'idle';
  if (functionName === '(program)') return 'program (native)';
  // PGlite's PostgreSQL and undici's HTTP parser are both WASM: charged to their caller (below).
  if (url.startsWith('wasm://')) return 'wasm';
  const lib = /node_modules\/((?:@[^/]+\/)?[^/]+)/.exec(url)?.[1];
  if (lib) {
    if (lib === '@electric-sql/pglite') return 'pglite (wasm)';
    if (/^(pg|pg-protocol|pg-pool|pg-types|pgpass|pg-connection-string)$/.test(lib)) return 'pg driver';
    if (
      /^(pino|sonic-boom|fast-redact|@pinojs\/redact|quick-format-unescaped|thread-stream|on-exit-leak-free)$/.test(
        lib,
      )
    )
      return 'pino';
    if (/^(axios|@slack\/web-api|form-data|p-queue|p-retry|follow-redirects|proxy-from-env)$/.test(lib))
      return 'slack web api';
    if (/^(@slack\/bolt|raw-body|tsscmp|@slack\/logger|express|path-to-regexp)$/.test(lib)) return 'bolt';
    if (lib === 'openai') return 'openai sdk';
    if (lib === 'zod') return 'zod';
    if (lib === 'tsx' || lib === 'esbuild' || lib === 'get-tsconfig') return 'tsx loader';
    return lib;
  }
  if (url.includes('/src/')) return `app ${/\/src\/([^/]+)/.exec(url)?.[1] ?? ''}`.trim();
  if (url.includes('undici')) return 'undici (fetch)';
  if (url === '') return 'native / builtins';
  if (url.startsWith('node:')) return 'node core';
  return 'other';
}

/**
 * Self time by category and the top functions, from a .cpuprofile written by node --cpu-prof, counting only
 * the samples in a window given relative to the end of the profile (the process exit): `fromEndMs` before it
 * up to `toEndMs` before it.
 */
export function summarizeProfile(
  file: string,
  window: { fromEndMs: number; toEndMs: number },
  top = 25,
): string {
  const profile = JSON.parse(readFileSync(file, 'utf8')) as CpuProfile;
  const nodes = new Map(profile.nodes.map((n) => [n.id, n]));
  const parents = new Map<number, number>();
  for (const n of profile.nodes) for (const c of n.children ?? []) parents.set(c, n.id);
  // Node's own code, natives (JSON.parse, writev), WASM and fetch are charged to whoever called them: the
  // nearest frame up the stack that belongs to a library or to the app. What has no such frame (a socket read,
  // a stream continuation) stays with the runtime.
  const owner = new Map<number, string>();
  const ownerOf = (id: number): string => {
    const known = owner.get(id);
    if (known) return known;
    const node = nodes.get(id)!;
    const own = categorize(node.callFrame.url, node.callFrame.functionName);
    const generic = GENERIC.has(own);
    const parent = parents.get(id);
    const result =
      generic && parent !== undefined ? ownerOf(parent) : generic ? 'runtime (I/O, streams, callbacks)' : own;
    owner.set(id, result);
    return result;
  };
  const from = profile.endTime - window.fromEndMs * 1000;
  const to = profile.endTime - window.toEndMs * 1000;
  const byCategory = new Map<string, number>();
  const byOwner = new Map<string, number>();
  const byFunction = new Map<string, number>();
  let busyUs = 0;
  let at = profile.startTime;
  for (let i = 0; i < profile.samples.length; i++) {
    const delta = profile.timeDeltas[i] ?? 0;
    at += delta;
    if (at < from || at > to) continue;
    const node = nodes.get(profile.samples[i]!);
    if (!node) continue;
    const { functionName, url, lineNumber } = node.callFrame;
    const category = categorize(url, functionName);
    // The time since the previous sample is the best estimate of what this one stands for.
    const us = profile.timeDeltas[i + 1] ?? delta;
    byCategory.set(category, (byCategory.get(category) ?? 0) + us);
    if (category === 'idle') continue;
    const who = ownerOf(node.id);
    byOwner.set(who, (byOwner.get(who) ?? 0) + us);
    busyUs += us;
    const where = url
      ? `${url.replace(/^.*node_modules\//, '').replace(/^file:\/\/.*\/src\//, 'src/')}:${lineNumber + 1}`
      : '';
    const key = `${functionName || '(anonymous)'} ${where}`.trim();
    byFunction.set(key, (byFunction.get(key) ?? 0) + us);
  }
  const pct = (us: number) => `${round((100 * us) / (busyUs || 1), 1)}%`;
  const ms = (us: number) => `${Math.round(us / 1000)}`;
  const categories = [...byCategory.entries()].filter(([c]) => c !== 'idle').sort((a, b) => b[1] - a[1]);
  const owners = [...byOwner.entries()].sort((a, b) => b[1] - a[1]);
  const functions = [...byFunction.entries()].sort((a, b) => b[1] - a[1]).slice(0, top);
  return [
    `CPU profile of the measured phase (${file}): ${Math.round(busyUs / 1000)} ms on the main thread, self time`,
    `(samples from ${Math.round(window.fromEndMs)} to ${Math.round(window.toEndMs)} ms before the end of a ` +
      `${Math.round((profile.endTime - profile.startTime) / 1000)} ms profile)`,
    '',
    table([['where the time is spent', 'ms', 'share'], ...categories.map(([c, t]) => [c, ms(t), pct(t)])]),
    '',
    table([
      ['on whose behalf (runtime, natives and fetch charged to their caller)', 'ms', 'share'],
      ...owners.map(([c, t]) => [c, ms(t), pct(t)]),
    ]),
    '',
    table([['function', 'ms', 'share'], ...functions.map(([f, t]) => [f.slice(0, 110), ms(t), pct(t)])]),
  ].join('\n');
}
