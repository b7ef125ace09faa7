import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { keepAliveFetch } from '../src/http.js';

type Seen = { method: string; url: string; headers: IncomingMessage['headers']; body: string; port: number };

describe('keepAliveFetch', () => {
  let server: Server;
  let base: string;
  const seen: Seen[] = [];

  beforeAll(async () => {
    server = createServer((req, res) => {
      const chunks: Buffer[] = [];
      req.on('data', (c: Buffer) => chunks.push(c));
      req.on('end', () => {
        seen.push({
          method: req.method ?? '',
          url: req.url ?? '',
          headers: req.headers,
          body: Buffer.concat(chunks).toString('utf8'),
          port: req.socket.remotePort ?? 0,
        });
        if (req.url === '/moved') {
          res.writeHead(302, { location: '/json' });
          res.end();
        } else if (req.url === '/empty') {
          res.writeHead(204);
          res.end();
        } else if (req.url === '/slow') {
          setTimeout(() => res.end('late'), 2000);
        } else {
          res.setHeader('set-cookie', ['a=1', 'b=2']);
          res.writeHead(429, { 'content-type': 'application/json', 'retry-after': '3' });
          res.end(
            JSON.stringify({ ok: false, error: 'ratelimited', echo: Buffer.concat(chunks).toString() }),
          );
        }
      });
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });
  afterAll(async () => {
    server.closeAllConnections();
    await new Promise((r) => server.close(r));
  });

  it('posts a JSON body and returns status, headers and body as fetch would', async () => {
    const res = await keepAliveFetch(`${base}/json`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: 'Bearer k' },
      body: JSON.stringify({ q: 'hé' }),
    });
    expect(res.status).toBe(429);
    expect(res.headers.get('retry-after')).toBe('3');
    expect(res.headers.get('set-cookie')).toBe('a=1, b=2');
    expect(await res.json()).toEqual({ ok: false, error: 'ratelimited', echo: '{"q":"hé"}' });
    const req = seen.at(-1)!;
    expect(req).toMatchObject({ method: 'POST', url: '/json', body: '{"q":"hé"}' });
    expect(req.headers).toMatchObject({ authorization: 'Bearer k', 'content-length': '11' });
  });

  it('answers like the Response fetch gives: ok, headers in Headers’ order, a body read once, a stream, a clone', async () => {
    const init = { method: 'POST', body: JSON.stringify({ q: 'x' }) };
    const ours = await keepAliveFetch(`${base}/json`, init);
    const theirs = await fetch(`${base}/json`, init);
    expect(ours.ok).toBe(false);
    expect(ours.url).toBe(`${base}/json`);
    const names = (h: Headers) => [...h.keys()].filter((n) => n !== 'date' && n !== 'keep-alive');
    expect(names(ours.headers)).toEqual(names(theirs.headers));
    expect(ours.headers.has('Retry-After')).toBe(true);
    const copy = ours.clone();
    const text = await ours.text();
    expect(text).toBe(await theirs.text());
    expect(ours.bodyUsed).toBe(true);
    await expect(ours.json()).rejects.toThrow(TypeError);
    expect(await copy.json()).toEqual(JSON.parse(text));
    const streamed = await keepAliveFetch(`${base}/json`, init);
    expect(await new Response(streamed.body).text()).toBe(text);
  });

  // Connection reuse is not checked here: nock (test/setup.ts) intercepts every http.request and opens its own
  // sockets. `npm run bench` runs without it.
  it('sends form bodies with their content type', async () => {
    await (
      await keepAliveFetch(`${base}/form`, { method: 'POST', body: new URLSearchParams({ a: '1 2' }) })
    ).text();
    await (await keepAliveFetch(`${base}/form`, { method: 'POST', body: 'x=1' })).text();
    const [first, second] = seen.slice(-2);
    expect(first!.headers['content-type']).toBe('application/x-www-form-urlencoded;charset=UTF-8');
    expect(first!.body).toBe('a=1+2');
    expect(second!.headers['content-type']).toBe('text/plain;charset=UTF-8');
  });

  it('gives an empty body for 204 and follows a redirect', async () => {
    const empty = await keepAliveFetch(`${base}/empty`);
    expect(empty.status).toBe(204);
    expect(await empty.text()).toBe('');
    const moved = await keepAliveFetch(`${base}/moved`);
    expect(moved.status).toBe(429);
    expect(seen.at(-1)!.url).toBe('/json');
  });

  it('rejects with an AbortError when its signal fires, as the SDKs expect for timeouts', async () => {
    const err = await keepAliveFetch(`${base}/slow`, { signal: AbortSignal.timeout(100) }).catch(
      (e: unknown) => e,
    );
    expect((err as Error).name).toBe('AbortError');
    const aborted = new AbortController();
    aborted.abort();
    await expect(keepAliveFetch(`${base}/json`, { signal: aborted.signal })).rejects.toThrow();
  });
});
