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

/**
 * A response's headers, read-only, with what the clients use of Headers (get, has, entries, forEach, iteration):
 * undici's Headers validates and normalises every name and value again, for headers Node has already parsed.
 */
class ResponseHeaders {
  private readonly map = new Map<string, string>();
  private readonly cookies: string[] = [];
  constructor(raw: http.IncomingHttpHeaders) {
    for (const [name, value] of Object.entries(raw)) {
      if (value === undefined) continue;
      const values = Array.isArray(value) ? value : [value];
      // As Headers does: several values of one name read as one, joined with ", "; set-cookie iterates each.
      if (name === 'set-cookie') this.cookies.push(...values);
      this.map.set(name.toLowerCase(), values.join(', '));
    }
  }
  get(name: string): string | null {
    return this.map.get(name.toLowerCase()) ?? null;
  }
  has(name: string): boolean {
    return this.map.has(name.toLowerCase());
  }
  getSetCookie(): string[] {
    return [...this.cookies];
  }
  forEach(fn: (value: string, name: string, headers: ResponseHeaders) => void): void {
    for (const [name, value] of this.entries()) fn(value, name, this);
  }
  *entries(): IterableIterator<[string, string]> {
    // Headers iterates its names sorted.
    const names = [...this.map.keys()].sort();
    for (const name of names) {
      if (name === 'set-cookie') for (const c of this.cookies) yield [name, c];
      else yield [name, this.map.get(name)!];
    }
  }
  *keys(): IterableIterator<string> {
    for (const [name] of this.entries()) yield name;
  }
  *values(): IterableIterator<string> {
    for (const [, value] of this.entries()) yield value;
  }
  [Symbol.iterator](): IterableIterator<[string, string]> {
    return this.entries();
  }
}

/**
 * A buffered answer with the Response members the clients read (status, ok, headers, url, text, json,
 * arrayBuffer; `body` and `clone` fall back to a real Response). A real Response reads its buffered bytes back
 * through WHATWG streams: about a fifth of a millisecond of the event loop per call.
 */
class BufferedResponse {
  readonly ok: boolean;
  readonly redirected = false;
  readonly type = 'basic';
  private used = false;
  constructor(
    private readonly buffered: Buffer | null,
    readonly status: number,
    readonly statusText: string,
    readonly headers: ResponseHeaders,
    readonly url: string,
  ) {
    this.ok = status >= 200 && status < 300;
  }
  get bodyUsed(): boolean {
    return this.used;
  }
  private take(): Buffer {
    if (this.used) throw new TypeError('Body is unusable: Body has already been read');
    this.used = true;
    return this.buffered ?? Buffer.alloc(0);
  }
  private real(): Response {
    return new Response(this.buffered, {
      status: this.status,
      statusText: this.statusText,
      headers: [...this.headers.entries()],
    });
  }
  get body(): ReadableStream<Uint8Array> | null {
    return this.buffered === null ? null : this.real().body;
  }
  async text(): Promise<string> {
    return this.take().toString('utf8');
  }
  async json(): Promise<unknown> {
    return JSON.parse(await this.text());
  }
  async arrayBuffer(): Promise<ArrayBuffer> {
    const b = this.take();
    return b.buffer.slice(b.byteOffset, b.byteOffset + b.byteLength) as ArrayBuffer;
  }
  async bytes(): Promise<Uint8Array> {
    return new Uint8Array(await this.arrayBuffer());
  }
  async blob(): Promise<Blob> {
    return new Blob([await this.arrayBuffer()], { type: this.headers.get('content-type') ?? '' });
  }
  clone(): Response {
    return this.real();
  }
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
            new BufferedResponse(
              empty ? null : Buffer.concat(chunks),
              status,
              res.statusMessage ?? '',
              new ResponseHeaders(res.headers),
              url.href,
            ) as unknown as Response,
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
