// A TCP proxy that delays every chunk by a fixed one-way latency in each direction, to bench Redis over a "network".

import { connect, createServer, type Socket } from "node:net";
import { performance } from "node:perf_hooks";

export interface DelayProxyOptions {
  targetHost: string;
  targetPort: number;
  /** Added to every chunk in each direction, so a round trip gains twice this. 0 passes bytes straight through. */
  oneWayDelayMs: number;
}

export interface DelayProxy {
  port: number;
  /** redis://127.0.0.1:<port>, to use in place of the target's URL. */
  url: string;
  close(): Promise<void>;
}

/** What travels one way: data, or the sender's FIN (which must not overtake data still waiting). */
type Item = { dueAt: number; chunk: Buffer } | { dueAt: number; end: true };

/**
 * Forwards `from` to `to`, each item `delayMs` after it arrived. One queue and at most one timer per direction:
 * items are due in arrival order, so a timer firing late delivers everything due at once and never reorders.
 */
function forwardDelayed(from: Socket, to: Socket, delayMs: number): void {
  const queue: Item[] = [];
  let timer: NodeJS.Timeout | undefined;
  let waitingForDrain = false;
  const deliver = (item: Item) => {
    if (to.destroyed || to.writableEnded) return;
    if ("end" in item) {
      to.end();
      return;
    }
    // Backpressure: stop reading while the far side is slow, so a fast sender cannot grow the queue without bound.
    if (!to.write(item.chunk) && !waitingForDrain) {
      waitingForDrain = true;
      from.pause();
      to.once("drain", () => {
        waitingForDrain = false;
        from.resume();
      });
    }
  };
  const flush = () => {
    timer = undefined;
    const now = performance.now();
    while (queue.length > 0 && queue[0].dueAt <= now) deliver(queue.shift() as Item);
    if (queue.length > 0) timer = setTimeout(flush, Math.max(0, queue[0].dueAt - now));
  };
  const push = (item: Item) => {
    if (delayMs <= 0 && queue.length === 0) return deliver(item);
    queue.push(item);
    timer ??= setTimeout(flush, delayMs);
  };
  from.on("data", (chunk: Buffer) => push({ dueAt: performance.now() + delayMs, chunk }));
  from.on("end", () => push({ dueAt: performance.now() + delayMs, end: true }));
  // Closed without a FIN (reset, error, destroyed): the pair is broken, so drop what is queued and close the far side.
  from.on("close", () => {
    if (from.readableEnded) return;
    clearTimeout(timer);
    queue.length = 0;
    to.destroy();
  });
}

export async function startDelayProxy({
  targetHost,
  targetPort,
  oneWayDelayMs,
}: DelayProxyOptions): Promise<DelayProxy> {
  const sockets = new Set<Socket>();
  const track = (socket: Socket) => {
    sockets.add(socket);
    socket.setNoDelay(true);
    socket.on("close", () => sockets.delete(socket));
  };
  // allowHalfOpen: a client's FIN must not close our side before the delayed replies have been written back.
  const server = createServer({ allowHalfOpen: true }, (client) => {
    const upstream = connect({ host: targetHost, port: targetPort, allowHalfOpen: true });
    track(client);
    track(upstream);
    // An error on either side (reset, refused connection) closes that side, which closes the other (see
    // forwardDelayed); other connections carry on.
    client.on("error", () => {});
    upstream.on("error", () => {});
    forwardDelayed(client, upstream, oneWayDelayMs);
    forwardDelayed(upstream, client, oneWayDelayMs);
  });
  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(0, "127.0.0.1", () => resolve());
  });
  const { port } = server.address() as { port: number };
  return {
    port,
    url: `redis://127.0.0.1:${port}`,
    async close() {
      const closed = new Promise<void>((resolve) => server.close(() => resolve()));
      for (const socket of sockets) socket.destroy();
      await closed;
    },
  };
}
