import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { Duplex } from 'node:stream';
import { MessageChannel, type MessagePort, Worker } from 'node:worker_threads';

/**
 * HTTP mode's server, with its listening socket in a worker thread (src/slack/http-acceptor-worker.mjs).
 *
 * Node 20's libuv accepts one connection per turn of the event loop (libuv#3696, nodejs/performance#95). While
 * the app's loop is busy, a turn takes tens of milliseconds, so a burst of new connections (sessions starting,
 * Slack opening connections for its deliveries) waits in the kernel's accept queue, unseen by the app, for up
 * to seconds: the bench measured acks of 0.5 to 1 s at 200 reps, and over 3 s at 400, where Slack delivers
 * again. The worker's loop does nothing else and accepts at once; each connection's bytes come to the main
 * thread over the message port, where the HTTP server parses and answers them as it would a socket's, all
 * waiting connections in one turn.
 */
export type ThreadServer = {
  /** The HTTP server the connections are handed to (it never listens itself); `address()` is the worker's. */
  server: http.Server;
  address(): AddressInfo;
  /**
   * The acceptor's thread. If it stops once the server has started, the server emits 'error' ("the HTTP acceptor
   * stopped"): no request can reach the app any more.
   */
  thread: Worker;
  /**
   * Stops accepting, closes idle connections, lets requests in flight finish (up to `graceMs`, 3 s by
   * default), then closes the rest and the thread.
   */
  close(graceMs?: number): Promise<void>;
};

type FromWorker =
  | ['listening', { address: string; family: string; port: number }]
  | ['failed', { message: string; code: string | null }]
  | ['open', number, string | undefined, number | undefined, string | undefined]
  | ['data', number, Uint8Array]
  | ['end', number]
  | ['close', number]
  | ['stopped'];

type ToWorker =
  | ['write', number, Uint8Array]
  | ['end', number]
  | ['destroy', number]
  | ['unlisten']
  | ['stop'];

/** A connection accepted by the worker, as the HTTP server sees it: a duplex stream with a socket's fields. */
class ForwardedSocket extends Duplex {
  /** Requests on this connection whose response is not done yet. */
  active = 0;
  private peerClosed = false;
  private timer: NodeJS.Timeout | null = null;

  constructor(
    private readonly id: number,
    private readonly send: (msg: ToWorker, transfer?: ArrayBuffer[]) => void,
    readonly remoteAddress: string | undefined,
    readonly remotePort: number | undefined,
    readonly remoteFamily: string | undefined,
  ) {
    // Half-open, like the sockets of Node's HTTP server: the server decides when to end its side.
    super({ allowHalfOpen: true });
  }

  override _read(): void {}

  override _write(chunk: Buffer, _encoding: BufferEncoding, done: (err?: Error | null) => void): void {
    this.forward(chunk);
    done();
  }

  override _writev(chunks: { chunk: Buffer }[], done: (err?: Error | null) => void): void {
    this.forward(Buffer.concat(chunks.map((c) => c.chunk)));
    done();
  }

  override _final(done: (err?: Error | null) => void): void {
    this.send(['end', this.id]);
    done();
  }

  override _destroy(err: Error | null, done: (err?: Error | null) => void): void {
    if (this.timer) clearTimeout(this.timer);
    if (!this.peerClosed) this.send(['destroy', this.id]);
    done(err);
  }

  /** As net.Socket's: 'timeout' after `ms` without bytes either way (0: never). */
  setTimeout(ms: number, onTimeout?: () => void): this {
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
    if (ms > 0) {
      this.timer = setTimeout(() => this.emit('timeout'), ms);
      this.timer.unref();
    }
    if (onTimeout) this.once('timeout', onTimeout);
    return this;
  }

  setNoDelay(): this {
    return this;
  }

  setKeepAlive(): this {
    return this;
  }

  /** Bytes from the client. */
  received(bytes: Uint8Array): void {
    this.timer?.refresh();
    this.push(Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength));
  }

  /** The client has finished sending. */
  ended(): void {
    this.push(null);
  }

  /** The connection is closed on the worker's side. */
  closedByPeer(): void {
    this.peerClosed = true;
    this.destroy();
  }

  private forward(chunk: Buffer): void {
    this.timer?.refresh();
    // A copy of exactly these bytes, moved to the worker: a Buffer is often a slice of a larger pool, which a
    // plain postMessage would copy whole.
    const bytes = Uint8Array.prototype.slice.call(chunk);
    this.send(['write', this.id, bytes], [bytes.buffer as ArrayBuffer]);
  }
}

/** An http.Server whose address is the worker's listening socket. */
class ForwardedServer extends http.Server {
  bound: AddressInfo | null = null;
  override address(): AddressInfo | null {
    return this.bound;
  }
}

const ACCEPTOR = new URL('./http-acceptor-worker.mjs', import.meta.url);

/** The acceptor's thread: src/slack/http-acceptor-worker.mjs, talking over `port`. */
function acceptorThread(port: MessagePort, listen: { port: number; host?: string }): Worker {
  return new Worker(ACCEPTOR, {
    workerData: { httpAcceptor: { port, listen } },
    transferList: [port],
    // None of the app's node flags (a loader, a bench's probe): this thread needs none.
    execArgv: [],
  });
}

/**
 * Listens on `listen` in a worker thread and serves every connection with `onRequest` on this thread. Rejects
 * as `server.listen` would (an Error with the code, e.g. EADDRINUSE). After it has started, a thread that stops
 * is an 'error' on the server: the app can take no more requests.
 */
export function serveFromThread(
  listen: { port: number; host?: string },
  onRequest: http.RequestListener,
): Promise<ThreadServer> {
  const server = new ForwardedServer({}, onRequest);
  const { port1: port, port2: theirs } = new MessageChannel();
  const worker = acceptorThread(theirs, listen);
  const sockets = new Map<number, ForwardedSocket>();
  const send = (msg: ToWorker, transfer: ArrayBuffer[] = []) => port.postMessage(msg, transfer);
  let closing = false;
  let portClosed = false;
  let stopped: (() => void) | null = null;

  server.on('request', (req: http.IncomingMessage, res: http.ServerResponse) => {
    const socket = req.socket as unknown as ForwardedSocket;
    socket.active++;
    res.once('close', () => {
      socket.active--;
      // Closing: the answer is written, then the connection ends (a destroy could drop unsent bytes).
      if (closing && socket.active === 0) socket.end();
    });
  });

  return new Promise<ThreadServer>((resolve, reject) => {
    let started = false;
    const fail = (err: Error) => {
      if (!started) reject(err);
      else if (!closing) server.emit('error', err);
    };
    port.on('message', (msg: FromWorker) => {
      switch (msg[0]) {
        case 'listening': {
          started = true;
          server.bound = msg[1];
          // What the server does once it listens: it starts checking its connections' headers and request
          // timeouts (a client that sends too slowly is cut off).
          server.emit('listening');
          resolve({ server, address: () => msg[1], thread: worker, close });
          return;
        }
        case 'failed':
          fail(Object.assign(new Error(msg[1].message), msg[1].code ? { code: msg[1].code } : {}));
          return;
        case 'open': {
          const socket = new ForwardedSocket(msg[1], send, msg[2], msg[3], msg[4]);
          sockets.set(msg[1], socket);
          if (closing) socket.destroy();
          else server.emit('connection', socket);
          return;
        }
        case 'data':
          sockets.get(msg[1])?.received(msg[2]);
          return;
        case 'end':
          sockets.get(msg[1])?.ended();
          return;
        case 'close': {
          const socket = sockets.get(msg[1]);
          sockets.delete(msg[1]);
          socket?.closedByPeer();
          return;
        }
        case 'stopped':
          stopped?.();
          return;
      }
    });
    // The other side closed the port: it stopped, or its thread did.
    port.on('close', () => {
      portClosed = true;
      for (const socket of sockets.values()) socket.closedByPeer();
      sockets.clear();
      stopped?.();
      fail(new Error('the HTTP acceptor stopped'));
    });
    worker.on('error', fail);
  });

  async function close(graceMs = 3000): Promise<void> {
    if (closing) return;
    closing = true;
    send(['unlisten']);
    for (const socket of sockets.values()) if (socket.active === 0) socket.end();
    const deadline = Date.now() + graceMs;
    while (sockets.size > 0 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 20));
    if (!portClosed) {
      const done = new Promise<void>((r) => {
        stopped = r;
      });
      send(['stop']);
      await done;
    }
    for (const socket of sockets.values()) socket.closedByPeer();
    sockets.clear();
    // Stops the timeout checks begun at 'listening' (the server has no socket of its own to close).
    server.close(() => undefined);
    port.close();
    await worker.terminate();
  }
}
