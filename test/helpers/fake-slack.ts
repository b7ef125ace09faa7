import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { performance } from 'node:perf_hooks';

/** One recorded Web API call (or response_url post): the method and its parsed arguments. */
export type SlackCall = {
  method: string;
  args: Record<string, unknown>;
  /** What the fake answered (e.g. the generated `ts` of a posted message). */
  response: Record<string, unknown>;
  at: number;
  /** performance.now() when the request arrived (before its body was read): when the app sent it. */
  t: number;
  status: number;
};

export type FakeSlack = {
  /** The Web API base URL, for SLACK_API_URL (ends with /api/). */
  apiUrl: string;
  origin: string;
  calls: SlackCall[];
  /** Slack locales by user id ("sv-SE"): users.info answers them; a user not listed gets no user. */
  locales: Map<string, string>;
  /** The WebSocket URL apps.connections.open hands out (Socket Mode); unset, it answers an error. */
  setSocketUrl(url: string | null): void;
  /** Calls to one method that were answered ok (a 429 or an injected error is recorded, but not returned here). */
  callsTo(method: string): SlackCall[];
  /** A response_url that records what is posted to it as method `response_url`. */
  responseUrl(id?: string): string;
  /** The next call to `method` gets HTTP 429 with Retry-After. */
  rateLimitOnce(method: string, retryAfterSec?: number): void;
  /** The next `times` calls to `method` get HTTP 429 with Retry-After (queued after any earlier ones). */
  rateLimit(method: string, opts: { times: number; retryAfterSec?: number }): void;
  /** Every Web API answer waits this long first (a distant Slack); 0 by default. */
  setLatency(ms: number): void;
  /** Called with every recorded call, as it is answered. */
  onCall(listener: (call: SlackCall) => void): () => void;
  /** The next call to `method` answers ok:false with this error. */
  failOnce(method: string, error: string): void;
  /**
   * Every call to `method` whose arguments match answers ok:false with this error (after any failOnce), until
   * the returned function is called. Returns that function.
   */
  failWhere(method: string, error: string, match: (args: Record<string, unknown>) => boolean): () => void;
  /** Polls until `check` returns a value other than undefined/false; fails after `timeoutMs` with the calls. */
  waitFor<T>(check: () => T | undefined | false, opts?: { timeoutMs?: number; what?: string }): Promise<T>;
  reset(): void;
  close(): Promise<void>;
};

export const BOT_USER_ID = 'UBOT';
export const BOT_ID = 'BBOT';
export const TEAM_ID = 'T0001';

const readBody = (req: IncomingMessage): Promise<string> =>
  new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
    req.on('error', reject);
  });

/** WebClient sends form fields; objects (blocks, metadata) arrive as JSON strings inside them. */
function parseArgs(raw: string, contentType: string | undefined): Record<string, unknown> {
  if (contentType?.includes('application/json'))
    return raw ? (JSON.parse(raw) as Record<string, unknown>) : {};
  const args: Record<string, unknown> = {};
  for (const [key, value] of new URLSearchParams(raw)) {
    args[key] = /^[[{]/.test(value) ? safeJson(value) : value;
  }
  return args;
}

const safeJson = (s: string): unknown => {
  try {
    return JSON.parse(s);
  } catch {
    return s;
  }
};

/**
 * A local stand-in for Slack's Web API (node:http on 127.0.0.1): records every call and answers ok with
 * generated, increasing ts values. Nothing leaves the machine.
 */
export async function startFakeSlack(): Promise<FakeSlack> {
  const calls: SlackCall[] = [];
  const rateLimits = new Map<string, number[]>();
  const failures = new Map<string, string>();
  const standing = new Set<{
    method: string;
    error: string;
    match: (a: Record<string, unknown>) => boolean;
  }>();
  const listeners = new Set<(call: SlackCall) => void>();
  let latencyMs = 0;
  let seq = 0;
  let socketUrl: string | null = null;
  const record = (call: SlackCall) => {
    calls.push(call);
    for (const listener of listeners) listener(call);
  };
  const nextTs = () => `1700000000.${String(++seq).padStart(6, '0')}`;
  // What the app posted, by channel and ts: chat.update may only change these, conversations.replies lists them.
  const posted = new Map<string, Record<string, unknown>>();
  const locales = new Map<string, string>();
  const key = (channel: unknown, ts: unknown) => `${String(channel)}/${String(ts)}`;

  const answer = (method: string, args: Record<string, unknown>): Record<string, unknown> => {
    const channel = typeof args.channel === 'string' ? args.channel : 'C0';
    switch (method) {
      case 'auth.test':
        return {
          ok: true,
          user_id: BOT_USER_ID,
          bot_id: BOT_ID,
          team_id: TEAM_ID,
          user: 'sparring',
          team: 'Test',
        };
      case 'chat.postMessage': {
        const ts = nextTs();
        posted.set(key(channel, ts), { ts, text: args.text, thread_ts: args.thread_ts, blocks: args.blocks });
        return { ok: true, channel, ts, message: { ts, text: args.text, thread_ts: args.thread_ts } };
      }
      case 'users.info': {
        const locale = locales.get(String(args.user));
        return locale ? { ok: true, user: { id: String(args.user), locale } } : { ok: true };
      }
      case 'chat.postEphemeral':
        return { ok: true, message_ts: nextTs() };
      case 'chat.update': {
        // As in Slack: only the app's own messages can be updated (not a rep's @mention, say).
        const message = posted.get(key(channel, args.ts));
        if (!message) return { ok: false, error: 'cant_update_message' };
        Object.assign(message, { text: args.text, blocks: args.blocks });
        return { ok: true, channel, ts: args.ts };
      }
      case 'conversations.replies': {
        const thread = [...posted.entries()]
          .filter(([k, m]) => k.startsWith(`${channel}/`) && (m.ts === args.ts || m.thread_ts === args.ts))
          .map(([, m]) => m);
        return { ok: true, messages: thread };
      }
      case 'apps.connections.open':
        return socketUrl ? { ok: true, url: socketUrl } : { ok: false, error: 'not_allowed_token_type' };
      case 'chat.getPermalink':
        return {
          ok: true,
          channel,
          permalink: `https://test.slack.com/archives/${channel}/p${String(args.message_ts).replace('.', '')}`,
        };
      default:
        return { ok: true };
    }
  };

  const send = (res: ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}) => {
    res.writeHead(status, { 'content-type': 'application/json', ...headers });
    res.end(JSON.stringify(body));
  };

  const server = createServer(async (req, res) => {
    const t = performance.now();
    const url = new URL(req.url ?? '/', 'http://127.0.0.1');
    const raw = await readBody(req);
    const args = parseArgs(raw, req.headers['content-type']);
    if (latencyMs > 0) await new Promise((r) => setTimeout(r, latencyMs));
    if (url.pathname.startsWith('/respond/')) {
      const response = { ok: true };
      record({
        method: 'response_url',
        args: { ...args, url: url.pathname },
        response,
        at: Date.now(),
        t,
        status: 200,
      });
      return send(res, 200, response);
    }
    const method = url.pathname.replace(/^\/api\//, '');
    const limited = rateLimits.get(method)?.shift();
    if (limited !== undefined) {
      if (rateLimits.get(method)?.length === 0) rateLimits.delete(method);
      const response = { ok: false, error: 'ratelimited' };
      record({ method, args, response, at: Date.now(), t, status: 429 });
      return send(res, 429, response, { 'retry-after': String(limited) });
    }
    const failure = failures.get(method);
    if (failure !== undefined) {
      failures.delete(method);
      const response = { ok: false, error: failure };
      record({ method, args, response, at: Date.now(), t, status: 200 });
      return send(res, 200, response);
    }
    const rule = [...standing].find((r) => r.method === method && r.match(args));
    if (rule) {
      const response = { ok: false, error: rule.error };
      record({ method, args, response, at: Date.now(), t, status: 200 });
      return send(res, 200, response);
    }
    const response = answer(method, args);
    record({ method, args, response, at: Date.now(), t, status: 200 });
    return send(res, 200, response);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  const origin = `http://127.0.0.1:${port}`;

  return {
    apiUrl: `${origin}/api/`,
    origin,
    calls,
    locales,
    callsTo: (method) => calls.filter((c) => c.method === method && c.response.ok === true),
    responseUrl: (id = String(Math.random()).slice(2)) => `${origin}/respond/${id}`,
    rateLimitOnce: (method, retryAfterSec = 1) => void rateLimits.set(method, [retryAfterSec]),
    rateLimit: (method, o) =>
      void rateLimits.set(method, [
        ...(rateLimits.get(method) ?? []),
        ...Array.from({ length: o.times }, () => o.retryAfterSec ?? 1),
      ]),
    setLatency: (ms) => {
      latencyMs = ms;
    },
    onCall: (listener) => {
      listeners.add(listener);
      return () => void listeners.delete(listener);
    },
    failOnce: (method, error) => void failures.set(method, error),
    failWhere: (method, error, match) => {
      const rule = { method, error, match };
      standing.add(rule);
      return () => void standing.delete(rule);
    },
    setSocketUrl: (url) => {
      socketUrl = url;
    },
    async waitFor(check, opts = {}) {
      const deadline = Date.now() + (opts.timeoutMs ?? 10_000);
      for (;;) {
        const value = check();
        if (value !== undefined && value !== false) return value as never;
        if (Date.now() > deadline) {
          const seen = calls.map((c) => `${c.status} ${c.method} ${JSON.stringify(c.args).slice(0, 200)}`);
          throw new Error(
            `fake slack: timed out waiting for ${opts.what ?? 'a condition'}; calls:\n${seen.join('\n')}`,
          );
        }
        await new Promise((r) => setTimeout(r, 20));
      }
    },
    reset() {
      calls.length = 0;
      posted.clear();
      rateLimits.clear();
      failures.clear();
      standing.clear();
    },
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

/** All the text a posted message shows: `text` plus every text object in its blocks. */
export function textOf(args: Record<string, unknown>): string {
  const parts: string[] = [];
  const walk = (v: unknown) => {
    if (Array.isArray(v)) v.forEach(walk);
    else if (v && typeof v === 'object') {
      const o = v as Record<string, unknown>;
      if (typeof o.text === 'string') parts.push(o.text);
      for (const [k, child] of Object.entries(o)) if (k !== 'text' || typeof child !== 'string') walk(child);
    }
  };
  walk(args.blocks);
  return parts.join('\n');
}

/** Every action_id/value pair of the buttons in a posted message. */
export function buttonsOf(args: Record<string, unknown>): Array<{ actionId: string; value?: string }> {
  const found: Array<{ actionId: string; value?: string }> = [];
  const walk = (v: unknown) => {
    if (Array.isArray(v)) v.forEach(walk);
    else if (v && typeof v === 'object') {
      const o = v as Record<string, unknown>;
      if (o.type === 'button' && typeof o.action_id === 'string') {
        found.push({ actionId: o.action_id, ...(typeof o.value === 'string' ? { value: o.value } : {}) });
      }
      Object.values(o).forEach(walk);
    }
  };
  walk(args.blocks);
  return found;
}
