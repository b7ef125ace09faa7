import { type ChildProcess, execFileSync, spawn } from 'node:child_process';
import { closeSync, openSync, readFileSync } from 'node:fs';
import { createServer } from 'node:net';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

/** The repository root (bench/ sits right under it). */
export const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');

/** Every variable src/config.ts reads: the child gets exactly the ones the caller sets, nothing inherited. */
const CONFIG_VARS = /^(SLACK_|OPENAI_|SPARRING_|DATABASE_URL$|PORT$|HOST$|LOG_LEVEL$)/;

/**
 * What /proc says about a process: resident memory now and at its peak (VmHWM), CPU time used by all its threads
 * (PGlite's worker, libuv's pool, V8's GC helpers included), and by its main thread (the event loop) alone.
 */
export type ProcessStats = { rssMiB: number; peakRssMiB: number; cpuMs: number; mainThreadCpuMs: number };

const clockTicks = (() => {
  try {
    return Number(execFileSync('getconf', ['CLK_TCK'], { encoding: 'utf8' }).trim()) || 100;
  } catch {
    return 100;
  }
})();

/** Linux only; null elsewhere or once the process is gone. */
export function processStats(pid: number): ProcessStats | null {
  try {
    const status = readFileSync(`/proc/${pid}/status`, 'utf8');
    const kib = (key: string) => Number(new RegExp(`^${key}:\\s+(\\d+) kB`, 'm').exec(status)?.[1] ?? NaN);
    // Fields after the command name (which may hold spaces) start at state; utime and stime are 14 and 15.
    const ticks = (file: string) => {
      const stat = readFileSync(file, 'utf8');
      const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
      return Number(fields[11]) + Number(fields[12]);
    };
    return {
      rssMiB: kib('VmRSS') / 1024,
      peakRssMiB: kib('VmHWM') / 1024,
      cpuMs: (ticks(`/proc/${pid}/stat`) * 1000) / clockTicks,
      // The main thread's task id is the pid.
      mainThreadCpuMs: (ticks(`/proc/${pid}/task/${pid}/stat`) * 1000) / clockTicks,
    };
  } catch {
    return null;
  }
}

/** A port nobody listens on right now, on loopback. */
export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      const port = typeof address === 'object' && address ? address.port : 0;
      server.close(() => resolve(port));
    });
  });
}

export type ChildApp = {
  pid: number;
  port: number;
  baseUrl: string;
  /** Resolves when the process has exited, however it exits. */
  exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
  stats(): ProcessStats | null;
  /** SIGKILL: no shutdown, no flushing, like a crashed machine's process. */
  kill(): Promise<void>;
  /** SIGTERM, the app's clean stop (finishes what is in flight); SIGKILL after `timeoutMs`. */
  stop(timeoutMs?: number): Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
};

export type ChildAppOptions = {
  /** The app's environment (SLACK_*, OPENAI_*, DATABASE_URL, SPARRING_DATA_DIR, …); PORT is chosen here. */
  env: Record<string, string>;
  /** Where the app's log (stderr) and stdout go; appended. */
  logFile: string;
  /** Extra node flags, e.g. --cpu-prof. */
  nodeArgs?: string[];
  /** Modules to load before the app (plain JavaScript: the app runs without tsx): paths relative to the repository. */
  preload?: string[];
  /** The working directory; a directory without a .env, so a developer's .env cannot leak in. */
  cwd: string;
  readyTimeoutMs?: number;
  /** Another program to run instead of the app (TypeScript, through tsx), relative to the repository. */
  entry?: string;
  /** Listen on this port (a restart on the port Slack knows); a free one otherwise. */
  port?: number;
};

/**
 * `npm start` as package.json has it: `prestart` builds dist/, then `[NAME=value …] node <flags> <entry>`, the
 * environment settings first (read by the C library before node starts, e.g. MALLOC_ARENA_MAX). A value of the
 * form `${NAME:-default}` is the shell's: the environment's value if set, otherwise the default; `env` holds the
 * default.
 */
export function startScript(): {
  build: string[];
  env: Record<string, string>;
  flags: string[];
  entry: string;
} {
  const pkg = JSON.parse(readFileSync(path.join(ROOT, 'package.json'), 'utf8')) as {
    scripts: Record<string, string>;
  };
  const words = (script: string | undefined) => script?.split(/\s+/).filter(Boolean) ?? [];
  const all = words(pkg.scripts.start);
  const env: Record<string, string> = {};
  let i = 0;
  for (; i < all.length && /^[A-Z_][A-Z0-9_]*=/.test(all[i]!); i++) {
    const [name, ...rest] = all[i]!.split('=');
    const value = rest.join('=');
    env[name!] = /^\$\{[A-Z_][A-Z0-9_]*:-(.*)\}$/.exec(value)?.[1] ?? value;
  }
  const start = all.slice(i);
  const prestart = words(pkg.scripts.prestart);
  const at = start.findIndex((w, j) => j > 0 && !w.startsWith('-'));
  if (start[0] !== 'node' || at < 0 || (prestart.length > 0 && prestart[0] !== 'node')) {
    throw new Error(
      `package.json: expected "[NAME=value …] node <flags> <entry>" scripts, found "${pkg.scripts.start}"`,
    );
  }
  return { build: prestart.slice(1), env, flags: start.slice(1, at), entry: start[at]! };
}

/**
 * Sparring exactly as `npm start` runs it (its `prestart` build, then `node <its flags> dist/main.js`), as a
 * direct child, so that its pid is the app's. Another entry (the minimal bot, TypeScript) runs through tsx,
 * without the app's flags. Resolves once GET /healthz answers.
 */
export async function startChildApp(opts: ChildAppOptions): Promise<ChildApp> {
  const port = opts.port ?? (await freePort());
  const env: Record<string, string> = {};
  for (const [k, v] of Object.entries(process.env)) if (v !== undefined && !CONFIG_VARS.test(k)) env[k] = v;
  Object.assign(env, {
    SPARRING_SCENARIOS_DIR: path.join(ROOT, 'scenarios'),
    SPARRING_PROMPTS_DIR: path.join(ROOT, 'prompts'),
    ...opts.env,
    PORT: String(port),
  });
  const preload = (opts.preload ?? []).flatMap((p) => ['--import', pathToFileURL(path.join(ROOT, p)).href]);
  let args: string[];
  if (opts.entry) {
    args = [
      ...(opts.nodeArgs ?? []),
      '--import',
      import.meta.resolve('tsx'),
      ...preload,
      path.join(ROOT, opts.entry),
    ];
  } else {
    const script = startScript();
    if (script.build.length > 0)
      execFileSync(process.execPath, script.build, { cwd: ROOT, stdio: 'inherit' });
    args = [...script.flags, ...(opts.nodeArgs ?? []), ...preload, path.join(ROOT, script.entry)];
    // npm start's environment settings: `env` already holds the environment's and the caller's own values,
    // which win (the script says ${NAME:-default}); otherwise the default.
    for (const [k, v] of Object.entries(script.env)) env[k] ??= v;
  }
  const log = openSync(opts.logFile, 'a');
  let child: ChildProcess;
  try {
    child = spawn(process.execPath, args, { cwd: opts.cwd, env, stdio: ['ignore', log, log] });
  } finally {
    closeSync(log);
  }
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) => {
    child.once('exit', (code, signal) => resolve({ code, signal }));
  });
  let gone = false;
  void exited.then(() => {
    gone = true;
  });
  const baseUrl = `http://127.0.0.1:${port}`;

  const deadline = Date.now() + (opts.readyTimeoutMs ?? 60_000);
  for (;;) {
    if (gone) {
      const tail = readFileSync(opts.logFile, 'utf8').split('\n').slice(-15).join('\n');
      throw new Error(`the app exited before it was ready; its log ends with:\n${tail}`);
    }
    const ok = await fetch(`${baseUrl}/healthz`).then(
      (r) => r.ok,
      () => false,
    );
    if (ok) break;
    if (Date.now() > deadline) {
      child.kill('SIGKILL');
      throw new Error(`the app did not answer /healthz within ${opts.readyTimeoutMs ?? 60_000} ms`);
    }
    await new Promise((r) => setTimeout(r, 50));
  }

  const pid = child.pid!;
  return {
    pid,
    port,
    baseUrl,
    exited,
    stats: () => (gone ? null : processStats(pid)),
    async kill() {
      if (!gone) child.kill('SIGKILL');
      await exited;
    },
    async stop(timeoutMs = 20_000) {
      if (!gone) child.kill('SIGTERM');
      const timer = setTimeout(() => child.kill('SIGKILL'), timeoutMs);
      const result = await exited;
      clearTimeout(timer);
      return result;
    },
  };
}
