// @ts-check
/**
 * HTTP mode's listening socket, off the main thread (see src/slack/http-acceptor.ts): this module accepts each
 * connection and passes its bytes both ways over a message port; the app's HTTP server, on the main thread,
 * parses and answers them. The thread it runs in does little else, so it accepts a connection as soon as it
 * arrives. It runs in a worker of its own, started with `workerData.httpAcceptor`. (Run in PGlite's worker
 * instead, to save the thread's 10 to 13 MiB, it waited behind the statements there: the bench's ack p50 tripled.)
 *
 * Messages (arrays, to keep them small), to the main thread: ['listening', address] or ['failed', error] first,
 * then ['open', id, remoteAddress, remotePort, remoteFamily], ['data', id, bytes], ['end', id] (the client has
 * finished sending), ['close', id]; and ['stopped'] last. From it: ['write', id, bytes], ['end', id],
 * ['destroy', id], ['unlisten'] (accept no more connections), ['stop'] (close them all and the port).
 *
 * Plain JavaScript on purpose, like src/store/pglite-worker.mjs: no loader in the thread.
 */
import net from 'node:net';
import { isMainThread, workerData } from 'node:worker_threads';

/**
 * Listens on `listen` and serves the connections over `port` until told to stop.
 * @param {import('node:worker_threads').MessagePort} port
 * @param {{ port: number; host?: string }} listen
 */
export function serveHttp(port, listen) {
  /** @type {Map<number, net.Socket>} */
  const sockets = new Map();
  let seq = 0;

  const server = net.createServer({ allowHalfOpen: true, noDelay: true }, (socket) => {
    const id = ++seq;
    sockets.set(id, socket);
    port.postMessage(['open', id, socket.remoteAddress, socket.remotePort, socket.remoteFamily]);
    socket.on('data', (bytes) => {
      // A copy of exactly these bytes, moved to the main thread (a read buffer may be larger than what it holds).
      const copy = Uint8Array.prototype.slice.call(bytes);
      port.postMessage(['data', id, copy], [copy.buffer]);
    });
    socket.on('end', () => port.postMessage(['end', id]));
    // 'close' follows every error; the main thread learns of both from it.
    socket.on('error', () => undefined);
    socket.on('close', () => {
      sockets.delete(id);
      port.postMessage(['close', id]);
    });
  });

  port.on('message', (/** @type {[string, number?, Uint8Array?]} */ [op, id, bytes]) => {
    if (op === 'unlisten' || op === 'stop') {
      if (server.listening) server.close();
      if (op === 'unlisten') return;
      for (const socket of sockets.values()) socket.destroy();
      port.postMessage(['stopped']);
      port.close();
      return;
    }
    const socket = sockets.get(/** @type {number} */ (id));
    if (!socket) return;
    if (op === 'write') socket.write(/** @type {Uint8Array} */ (bytes));
    else if (op === 'end') socket.end();
    else if (op === 'destroy') socket.destroy();
  });

  server.once('error', (err) => {
    const e = /** @type {NodeJS.ErrnoException} */ (err);
    port.postMessage(['failed', { message: e.message, code: e.code ?? null }]);
    for (const socket of sockets.values()) socket.destroy();
    port.close();
  });
  server.listen({ port: listen.port, ...(listen.host ? { host: listen.host } : {}) }, () => {
    const address = /** @type {net.AddressInfo} */ (server.address());
    port.postMessage(['listening', { address: address.address, family: address.family, port: address.port }]);
  });
}

if (!isMainThread && workerData?.httpAcceptor) {
  serveHttp(workerData.httpAcceptor.port, workerData.httpAcceptor.listen);
}
