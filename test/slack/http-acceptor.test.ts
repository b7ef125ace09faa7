import type http from 'node:http';
import net from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { serveFromThread, type ThreadServer } from '../../src/slack/http-acceptor.js';

/** Sends raw bytes on a new connection and collects what comes back until the server closes it. */
function rawExchange(port: number, chunks: string[], gapMs = 20): Promise<string> {
  return new Promise((resolve, reject) => {
    const socket = net.connect(port, '127.0.0.1');
    let got = '';
    socket.on('data', (d) => {
      got += d.toString('utf8');
    });
    socket.on('error', reject);
    socket.on('close', () => resolve(got));
    socket.on('connect', async () => {
      for (const c of chunks) {
        socket.write(c);
        await new Promise((r) => setTimeout(r, gapMs));
      }
    });
  });
}

const echo: http.RequestListener = (req, res) => {
  const parts: Buffer[] = [];
  req.on('data', (c: Buffer) => parts.push(c));
  req.on('end', () => {
    res.setHeader('content-type', 'application/json');
    res.end(
      JSON.stringify({
        method: req.method,
        url: req.url,
        body: Buffer.concat(parts).toString('utf8'),
        remote: req.socket.remoteAddress,
      }),
    );
  });
};

describe('serveFromThread (HTTP mode, the listening socket in a worker thread)', () => {
  const started: ThreadServer[] = [];
  const serve = async (onRequest: http.RequestListener = echo) => {
    const s = await serveFromThread({ port: 0, host: '127.0.0.1' }, onRequest);
    started.push(s);
    return s;
  };
  afterEach(async () => {
    await Promise.all(started.splice(0).map((s) => s.close(200)));
  });

  it('answers requests on the port the worker bound, several on one connection', async () => {
    const s = await serve();
    const { port } = s.address();
    expect(port).toBeGreaterThan(0);
    expect(s.server.address()).toEqual(s.address());
    const big = 'ü'.repeat(50_000);
    // Raw bytes: nock, which every test loads, gives each http.request a connection of its own.
    const reply = await rawExchange(port, [
      'POST /slack/events HTTP/1.1\r\nHost: t\r\nContent-Length: 3\r\n\r\na=1',
      `POST /second HTTP/1.1\r\nHost: t\r\nContent-Length: ${Buffer.byteLength(big)}\r\nConnection: close\r\n\r\n${big}`,
    ]);
    const answers = reply.split(/HTTP\/1\.1 200 OK\r\n/).slice(1);
    expect(answers).toHaveLength(2);
    const json = (a: string) => JSON.parse(a.slice(a.indexOf('\r\n\r\n') + 4)) as Record<string, unknown>;
    expect(json(answers[0]!)).toEqual({
      method: 'POST',
      url: '/slack/events',
      body: 'a=1',
      remote: '127.0.0.1',
    });
    expect(answers[0]).toMatch(/connection: keep-alive/i);
    // A body of 100 kB arrived whole.
    expect(json(answers[1]!)).toMatchObject({ url: '/second', body: big });
  });

  it('parses a request that arrives in pieces, and closes when the client asks to', async () => {
    const s = await serve();
    const reply = await rawExchange(s.address().port, [
      'POST /x HTTP/1.1\r\nHost: t\r\nContent-Length: 5\r\n',
      'Connection: close\r\n\r\nhe',
      'llo',
    ]);
    expect(reply).toMatch(/^HTTP\/1\.1 200 OK\r\n/);
    expect(reply).toContain('"body":"hello"');
  });

  it('answers a burst of new connections, each once', async () => {
    const s = await serve();
    const { port } = s.address();
    const replies = await Promise.all(
      Array.from({ length: 60 }, (_, i) =>
        rawExchange(port, [`GET /n/${i} HTTP/1.1\r\nHost: t\r\nConnection: close\r\n\r\n`]),
      ),
    );
    replies.forEach((r, i) => {
      expect(r).toContain(`"url":"/n/${i}"`);
      expect(r.match(/HTTP\/1\.1 200/g)).toHaveLength(1);
    });
  });

  it('closes an idle keep-alive connection after the server’s keep-alive timeout', async () => {
    const s = await serve();
    s.server.keepAliveTimeout = 150;
    const socket = net.connect(s.address().port, '127.0.0.1');
    let got = '';
    socket.on('data', (d) => {
      got += d.toString('utf8');
    });
    const closed = new Promise<number>((resolve) => {
      let answeredAt = 0;
      socket.on('data', () => {
        answeredAt ||= Date.now();
      });
      socket.on('close', () => resolve(Date.now() - answeredAt));
    });
    socket.write('GET /idle HTTP/1.1\r\nHost: t\r\n\r\n');
    const idleMs = await closed;
    expect(got).toContain('"url":"/idle"');
    expect(idleMs).toBeGreaterThanOrEqual(100);
  });

  it('refuses to listen on a port that is taken, with the code listen would give', async () => {
    const s = await serve();
    await expect(serveFromThread({ port: s.address().port, host: '127.0.0.1' }, echo)).rejects.toMatchObject({
      code: 'EADDRINUSE',
    });
  });

  it('says so on the server when its thread stops after the start', async () => {
    const s = await serve();
    const failed = new Promise<Error>((resolve) => s.server.once('error', resolve));
    await s.thread.terminate();
    expect((await failed).message).toBe('the HTTP acceptor stopped');
    await expect(rawExchange(s.address().port, ['GET / HTTP/1.1\r\nHost: t\r\n\r\n'])).rejects.toMatchObject({
      code: 'ECONNREFUSED',
    });
  });

  it('on close, finishes the request in flight, then accepts no more connections', async () => {
    let release!: () => void;
    const held = new Promise<void>((r) => {
      release = r;
    });
    let arrived!: () => void;
    const inFlight = new Promise<void>((r) => {
      arrived = r;
    });
    const s = await serve((req, res) => {
      arrived();
      void held.then(() => res.end(`done ${req.url}`));
    });
    const { port } = s.address();
    const reply = rawExchange(port, ['GET /slow HTTP/1.1\r\nHost: t\r\n\r\n']);
    await inFlight;
    const closing = s.close(5000);
    // Closing waits for the request: it has not finished yet.
    const early = await Promise.race([
      closing.then(() => 'closed'),
      new Promise((r) => setTimeout(r, 100, 'open')),
    ]);
    expect(early).toBe('open');
    release();
    await closing;
    expect(await reply).toMatch(/^HTTP\/1\.1 200 OK[\s\S]*done \/slow$/);
    const refused = await new Promise<string>((resolve) => {
      const c = net.connect(port, '127.0.0.1');
      c.on('connect', () => {
        c.destroy();
        resolve('connected');
      });
      c.on('error', (err: NodeJS.ErrnoException) => resolve(err.code ?? 'error'));
    });
    expect(refused).toBe('ECONNREFUSED');
  });
});
