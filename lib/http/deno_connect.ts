import { socketAddress } from "./socket_address.ts";

/** A connection to the site as the socket client uses it: read into memory it is given. */
export interface SiteConnection {
  /** Bytes read into `buffer`, or `null` when the site closed its side. */
  read(buffer: Uint8Array): Promise<number | null>;
  /** Writes all of `bytes`. */
  write(bytes: Uint8Array): Promise<void>;
  /** Closes it; a read pending on it ends. Closing twice does nothing. */
  close(): void;
  /** Whether a read pending on it keeps the process alive (yes unless told otherwise). */
  ref(): void;
  unref(): void;
}

/**
 * Opens a connection to `url`'s host and port, over TLS for `https:`, its handshake done.
 * Aborting `signal` ends the attempt (a connection made late is closed) with its reason.
 */
export type Connect = (url: URL, signal: AbortSignal) => Promise<SiteConnection>;

/** What {@linkcode denoConnect} needs of `Deno`. */
export interface DenoNet {
  connect(options: { hostname: string; port: number; signal?: AbortSignal }): Promise<DenoTcp>;
  startTls(conn: DenoTcp, options: { hostname: string }): Promise<DenoConn & Handshaking>;
  /** The name's other addresses, when the first one fails (not on every runtime). */
  resolveDns?(name: string, type: "A" | "AAAA", options?: { signal?: AbortSignal }): Promise<
    string[]
  >;
}

interface DenoConn {
  read(buffer: Uint8Array): Promise<number | null>;
  write(bytes: Uint8Array): Promise<number>;
  close(): void;
  ref(): void;
  unref(): void;
}

interface DenoTcp extends DenoConn {
  setNoDelay(noDelay?: boolean): void;
}

interface Handshaking {
  handshake(): Promise<unknown>;
}

/**
 * Deno's sockets as a {@linkcode Connect}: `Deno.connect` with `setNoDelay(true)`, then
 * `Deno.startTls` for an `https:` site. Not `Deno.connectTls`: its connection has no
 * `setNoDelay`, and a request then waits on Nagle's algorithm for the site's delayed ACK
 * (40 ms on Linux, tried on Deno 2.9.6), where a TCP connection upgraded by `startTls`
 * keeps its TCP_NODELAY. `Deno.connect` tries only the first address of a name: when it
 * fails (refused, or unreachable from here, as an IPv6 route can be), the name's other
 * addresses (`Deno.resolveDns`, IPv4 then IPv6) get their chance, as `fetch` gives them. A
 * first address that stays silent takes the whole connect bound: there is no time left
 * for the others (`fetch` moves on after a moment; this does not race them).
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { denoConnect } from "./deno_connect.ts";
 * const listener = Deno.listen({ hostname: "127.0.0.1", port: 0 });
 * const url = new URL(`http://127.0.0.1:${listener.addr.port}/`);
 * const conn = await denoConnect(Deno)(url, new AbortController().signal);
 * const accepted = await listener.accept();
 * await conn.write(new TextEncoder().encode("hi"));
 * assert.equal(await accepted.read(new Uint8Array(8)), 2);
 * conn.close();
 * accepted.close();
 * listener.close();
 * ```
 */
export function denoConnect(deno: DenoNet): Connect {
  return async (url, signal) => {
    signal.throwIfAborted();
    const { hostname, port } = socketAddress(url);
    const tls = url.protocol === "https:";
    let conn: DenoConn;
    try {
      conn = await tcp(deno, hostname, port, signal);
    } catch (error) {
      throw signal.aborted ? signal.reason : error;
    }
    const abort = () => closeQuietly(conn);
    signal.addEventListener("abort", abort, { once: true });
    try {
      signal.throwIfAborted();
      (conn as DenoTcp).setNoDelay(true);
      if (tls) {
        const secured = await deno.startTls(conn as DenoTcp, { hostname });
        conn = secured;
        signal.throwIfAborted();
        await secured.handshake();
      }
      signal.throwIfAborted();
    } catch (error) {
      closeQuietly(conn);
      throw signal.aborted ? signal.reason : error;
    } finally {
      signal.removeEventListener("abort", abort);
    }
    return siteConnection(conn);
  };
}

/** A TCP connection to `hostname`, its first address, else any other it has. */
async function tcp(
  deno: DenoNet,
  hostname: string,
  port: number,
  signal: AbortSignal,
): Promise<DenoConn> {
  try {
    return await deno.connect({ hostname, port, signal });
  } catch (first) {
    if (signal.aborted || !deno.resolveDns || IP_LITERAL.test(hostname) || unresolved(first)) {
      throw first;
    }
    for (const address of await otherAddresses(deno, hostname, signal)) {
      try {
        return await deno.connect({ hostname: address, port, signal });
      } catch {
        if (signal.aborted) throw first;
      }
    }
    throw first;
  }
}

/** The name did not resolve: asking again will not find another address. */
function unresolved(error: unknown): boolean {
  return error instanceof Error &&
    (error.name === "NotFound" || /lookup|resolve|dns|name or service/i.test(error.message));
}

/** An IPv4 or IPv6 literal: a name with no other address. */
const IP_LITERAL = /^[0-9.]+$|:/;

async function otherAddresses(deno: DenoNet, name: string, signal: AbortSignal) {
  const lookup = (type: "A" | "AAAA") =>
    deno.resolveDns!(name, type, { signal }).catch(() => [] as string[]);
  const [v4, v6] = await Promise.all([lookup("A"), lookup("AAAA")]);
  return [...v4, ...v6];
}

function siteConnection(conn: DenoConn): SiteConnection {
  return {
    read: (buffer) => conn.read(buffer),
    async write(bytes) {
      for (let sent = 0; sent < bytes.length;) sent += await conn.write(bytes.subarray(sent));
    },
    close: () => closeQuietly(conn),
    ref: () => quietly(() => conn.ref()),
    unref: () => quietly(() => conn.unref()),
  };
}

function quietly(act: () => void): void {
  try {
    act();
  } catch {
    // Closed already: nothing to keep or let go.
  }
}

function closeQuietly(conn: DenoConn): void {
  quietly(() => conn.close());
}
