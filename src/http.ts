import http from 'node:http';
import https from 'node:https';

/**
 * `fetch` for the two API clients (openai, Slack's WebClient) over `http.request` with keep-alive agents.
 * Node 20's fetch runs every request and response through WHATWG streams, which costs about 0.35 ms of CPU per
 * call more (BENCHMARKS.md); a turn makes four such calls. Requests the clients make are small JSON or form
 * bodies with buffered answers, so this covers them; anything else (a Request object, FormData or stream bodies,
 * a redirect) goes to the global fetch unchanged.
 */
const agents = {
  'http:': new http.Agent({ keepAlive: true, maxSockets: 256 }),
  'https:': new https.Agent({ keepAlive: true, maxSockets: 256 }),
} as const;

const REDIRECTS = new Set([301, 302, 303, 307, 308]);

type Body = string | Uint8Array | null;

function bufferedBody(body: RequestInit['body']): { bytes: Body; type: string | null } | undefined {
  if (body === undefined || body === null) return { bytes: null, type: null };
  if (typeof body === 'string') return { bytes: body, type: 'text/plain;charset=UTF-8' };
  if (body instanceof URLSearchParams) {
    return { bytes: body.toString(), type: 'application/x-www-form-urlencoded;charset=UTF-8' };
  }
  if (body instanceof Uint8Array) return { bytes: body, type: null };
  if (body instanceof ArrayBuffer) return { bytes: new Uint8Array(body), type: null };
  return undefined;
}

function responseHeaders(raw: http.IncomingHttpHeaders): Headers {
  const headers = new Headers();
  for (const [name, value] of Object.entries(raw)) {
    if (value === undefined) continue;
    for (const v of Array.isArray(value) ? value : [value]) headers.append(name, v);
  }
  return headers;
}

export const keepAliveFetch: typeof fetch = async (input, init = {}) => {
  if (input instanceof Request) return fetch(input, init);
  const url = new URL(String(input));
  const body = bufferedBody(init.body);
  if (!(url.protocol === 'http:' || url.protocol === 'https:') || body === undefined)
    return fetch(input, init);
  const signal = init.signal ?? undefined;
  signal?.throwIfAborted();

  const headers = new Headers(init.headers);
  if (body.type && !headers.has('content-type')) headers.set('content-type', body.type);
  if (body.bytes !== null) headers.set('content-length', String(Buffer.byteLength(body.bytes)));
  const method = (init.method ?? 'GET').toUpperCase();
  const transport = url.protocol === 'https:' ? https : http;

  const response = await new Promise<Response | null>((resolve, reject) => {
    const req = transport.request(
      url,
      {
        method,
        headers: Object.fromEntries(headers),
        agent: agents[url.protocol as keyof typeof agents],
        ...(signal ? { signal } : {}),
      },
      (res) => {
        const status = res.statusCode ?? 0;
        if (REDIRECTS.has(status) && init.redirect !== 'manual') {
          res.resume();
          resolve(null);
          return;
        }
        const chunks: Buffer[] = [];
        res.on('data', (chunk: Buffer) => chunks.push(chunk));
        res.on('error', reject);
        res.on('end', () => {
          const empty = status === 204 || status === 205 || status === 304 || method === 'HEAD';
          resolve(
            new Response(empty ? null : Buffer.concat(chunks), {
              status,
              statusText: res.statusMessage ?? '',
              headers: responseHeaders(res.headers),
            }),
          );
        });
      },
    );
    req.on('error', reject);
    req.end(body.bytes ?? undefined);
  });
  // A redirect: the global fetch follows it as fetch would.
  return response ?? fetch(input, init);
};
