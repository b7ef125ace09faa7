import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { type FakeSlack, type SlackCall, startFakeSlack } from '../helpers/fake-slack.js';

/** A Slack user as users.info describes one. */
export type FakeUser = {
  id: string;
  tz?: string;
  locale?: string;
  is_admin?: boolean;
  is_owner?: boolean;
};
/** A file shared with the app: files.info describes it, url_private serves `content`. */
export type FakeFile = { id: string; name: string; content: string };

export type FakeSlackPlus = FakeSlack & {
  users: Map<string, FakeUser>;
  files: Map<string, FakeFile>;
  /** Messages conversations.history returns, by channel (for the "was it already posted?" check). */
  history: Map<string, Array<Record<string, unknown>>>;
  /** The Authorization header of each file download. */
  downloads: Array<{ fileId: string; authorization: string | undefined }>;
};

const readBody = (req: IncomingMessage): Promise<string> =>
  new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
    req.on('error', reject);
  });

const argsOf = (raw: string, type: string | undefined): Record<string, unknown> => {
  if (type?.includes('application/json')) return raw ? (JSON.parse(raw) as Record<string, unknown>) : {};
  return Object.fromEntries(new URLSearchParams(raw));
};

/**
 * The shared fake Slack (test/helpers/fake-slack.ts) behind a front server that also answers what the team
 * features ask: users.info, files.info and the file download, conversations.open and conversations.history.
 * Every other call is passed through unchanged, and the calls answered here are recorded in the same `calls`.
 */
export async function startFakeSlackPlus(): Promise<FakeSlackPlus> {
  const inner = await startFakeSlack();
  const users = new Map<string, FakeUser>();
  const files = new Map<string, FakeFile>();
  const history = new Map<string, Array<Record<string, unknown>>>();
  const downloads: FakeSlackPlus['downloads'] = [];
  let origin = '';

  const record = (method: string, args: Record<string, unknown>, response: Record<string, unknown>) => {
    inner.calls.push({
      method,
      args,
      response,
      at: Date.now(),
      t: performance.now(),
      status: 200,
    } as SlackCall);
  };
  const send = (res: ServerResponse, status: number, body: string, type = 'application/json') => {
    res.writeHead(status, { 'content-type': type });
    res.end(body);
  };

  const local = (method: string, args: Record<string, unknown>): Record<string, unknown> | null => {
    switch (method) {
      case 'users.info': {
        const user = users.get(String(args.user));
        return user ? { ok: true, user: { ...user } } : { ok: false, error: 'user_not_found' };
      }
      case 'files.info': {
        const file = files.get(String(args.file));
        if (!file) return { ok: false, error: 'file_not_found' };
        return {
          ok: true,
          file: {
            id: file.id,
            name: file.name,
            size: Buffer.byteLength(file.content),
            url_private: `${origin}/files-pri/T0001-${file.id}/${file.name}`,
            url_private_download: `${origin}/files-pri/T0001-${file.id}/download/${file.name}`,
          },
        };
      }
      case 'conversations.open':
        return { ok: true, channel: { id: `D${String(args.users)}` } };
      case 'conversations.history':
        return { ok: true, messages: history.get(String(args.channel)) ?? [] };
      default:
        return null;
    }
  };

  const server = createServer(async (req, res) => {
    const url = new URL(req.url ?? '/', 'http://127.0.0.1');
    const raw = await readBody(req);
    const file = /^\/files-pri\/T0001-([^/]+)\//.exec(url.pathname);
    if (file) {
      const found = files.get(file[1]!);
      downloads.push({ fileId: file[1]!, authorization: req.headers.authorization });
      if (!found || req.headers.authorization !== 'Bearer xoxb-test') {
        return send(res, 200, '<html>Sign in to Slack</html>', 'text/html');
      }
      return send(res, 200, found.content, 'application/octet-stream');
    }
    const method = url.pathname.replace(/^\/api\//, '');
    const args = argsOf(raw, req.headers['content-type']);
    const answer = local(method, args);
    if (answer) {
      record(method, args, answer);
      return send(res, 200, JSON.stringify(answer));
    }
    // Everything else: the shared fake, byte for byte.
    const forwarded = await fetch(`${inner.origin}${url.pathname}${url.search}`, {
      method: req.method,
      headers: { 'content-type': req.headers['content-type'] ?? 'application/x-www-form-urlencoded' },
      body: req.method === 'GET' ? undefined : raw,
    });
    const headers: Record<string, string> = {
      'content-type': forwarded.headers.get('content-type') ?? 'application/json',
    };
    const retryAfter = forwarded.headers.get('retry-after');
    if (retryAfter) headers['retry-after'] = retryAfter;
    res.writeHead(forwarded.status, headers);
    res.end(await forwarded.text());
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;

  return {
    ...inner,
    apiUrl: `${origin}/api/`,
    users,
    files,
    history,
    downloads,
    async close() {
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
      await inner.close();
    },
  };
}
