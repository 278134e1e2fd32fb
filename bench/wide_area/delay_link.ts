/**
 * A network link with a chosen round trip, between the gateway and the site: a TCP proxy
 * that holds every byte RTT/2 in each direction, and a new connection's first bytes
 * towards the site until 1.5 RTT after it opened, where a real client's first bytes
 * arrive (its TCP handshake takes one round trip before them; on loopback `connect`
 * returns at once). A TLS handshake through it then pays its own round trips naturally.
 * It counts the connections it accepts, so a bench can tell how many an answer opened.
 *
 * Run alone it forwards to `LINK_TARGET` (`host:port`) with a round trip of `LINK_RTT_MS`,
 * serves its count at `GET /` on a control port as `{"port", "connections"}`, and prints
 * the control URL. Every socket has Nagle's algorithm off: held bytes leave at once.
 *
 * @module
 */

/** The delay link, in this process. */
export class DelayLink {
  /** The port the link listens on, on 127.0.0.1. */
  readonly port: number;
  /** Connections accepted so far. */
  connections = 0;
  #listener: Deno.TcpListener;
  #target: { hostname: string; port: number };
  #rttMs: number;
  #open = new Set<Deno.Conn>();
  #carrying = new Set<Promise<void>>();
  #accepting: Promise<void>;

  constructor(target: { hostname: string; port: number }, rttMs: number) {
    this.#target = target;
    this.#rttMs = rttMs;
    this.#listener = Deno.listen({ hostname: "127.0.0.1", port: 0 });
    this.port = this.#listener.addr.port;
    this.#accepting = this.#accept();
  }

  /** Stops accepting, cuts every connection, and waits until all is done. */
  async close(): Promise<void> {
    this.#listener.close();
    for (const conn of this.#open) closeQuietly(conn);
    await this.#accepting;
    await Promise.allSettled([...this.#carrying]);
  }

  async #accept(): Promise<void> {
    try {
      for await (const client of this.#listener) {
        this.connections++;
        const carrying = this.#carry(client).catch(() => {});
        this.#carrying.add(carrying);
        carrying.finally(() => this.#carrying.delete(carrying));
      }
    } catch {
      // The listener was closed: that is how close() stops it.
    }
  }

  async #carry(client: Deno.TcpConn): Promise<void> {
    const opened = performance.now();
    client.setNoDelay(true);
    this.#open.add(client);
    let site: Deno.TcpConn | undefined;
    try {
      site = await Deno.connect(this.#target);
      site.setNoDelay(true);
      this.#open.add(site);
      const half = this.#rttMs / 2;
      const firstBytes = opened + 1.5 * this.#rttMs;
      await Promise.all([
        delayed(client, site, (readAt) => Math.max(readAt + half, firstBytes)),
        delayed(site, client, (readAt) => readAt + half),
      ]);
    } finally {
      for (const conn of [client, site]) {
        if (!conn) continue;
        this.#open.delete(conn);
        closeQuietly(conn);
      }
    }
  }
}

/**
 * Copies `from` to `to`, each read delivered at `due(readAt)` (ms, `performance.now()`),
 * in order, while reading goes on; the end of `from` reaches `to` as its own end, in turn.
 * A failure on either side cuts both.
 */
async function delayed(
  from: Deno.Conn,
  to: Deno.Conn,
  due: (readAt: number) => number,
): Promise<void> {
  const queue: { at: number; bytes: Uint8Array | null }[] = [];
  const waiting = { wake: null as (() => void) | null };
  const reading = (async () => {
    const buffer = new Uint8Array(64 * 1024);
    try {
      for (;;) {
        const n = await from.read(buffer);
        queue.push({ at: due(performance.now()), bytes: n === null ? null : buffer.slice(0, n) });
        waiting.wake?.();
        if (n === null) return;
      }
    } catch {
      queue.push({ at: 0, bytes: null });
      waiting.wake?.();
    }
  })();
  try {
    for (;;) {
      if (queue.length === 0) await new Promise<void>((resolve) => waiting.wake = resolve);
      waiting.wake = null;
      const next = queue.shift();
      if (!next) continue;
      const wait = next.at - performance.now();
      if (wait > 0) await new Promise((resolve) => setTimeout(resolve, wait));
      if (next.bytes === null) break;
      for (let sent = 0; sent < next.bytes.length;) {
        sent += await to.write(next.bytes.subarray(sent));
      }
    }
    await to.closeWrite().catch(() => {});
  } catch {
    closeQuietly(from);
    closeQuietly(to);
  }
  await reading;
}

function closeQuietly(conn: Deno.Conn): void {
  try {
    conn.close();
  } catch {
    // Closed already.
  }
}

if (import.meta.main) {
  const [hostname, port] = (Deno.env.get("LINK_TARGET") ?? "").split(":");
  const rttMs = Number(Deno.env.get("LINK_RTT_MS"));
  if (!hostname || !Number(port) || !(rttMs >= 0)) {
    throw new Error("Set LINK_TARGET=host:port and LINK_RTT_MS");
  }
  const link = new DelayLink({ hostname, port: Number(port) }, rttMs);
  const control = Deno.serve(
    { hostname: "127.0.0.1", port: 0, onListen: () => {} },
    () => Response.json({ port: link.port, connections: link.connections }),
  );
  console.log(`http://127.0.0.1:${control.addr.port}`);
}
