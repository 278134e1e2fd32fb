/**
 * A small forward HTTP proxy on loopback, for tests that must prove outbound calls went
 * through a proxy (`HTTP_PROXY` / `HTTPS_PROXY`). It serves the two forms a proxy
 * client uses (RFC 9112 §3.2.2 and RFC 9110 §9.3.6):
 *
 * - absolute form, `GET http://host:port/path HTTP/1.1`, for `http:` URLs: the request
 *   goes on in origin form with `Connection: close`, one request per connection;
 * - `CONNECT host:port`, for `https:` URLs: answered `200` and tunnelled byte for byte.
 *
 * Every request is recorded in {@linkcode ForwardProxy.seen}.
 *
 * @module
 */
import { concatBytes } from "../../lib/util/concat_bytes.ts";
import { LoopbackServer } from "../support/loopback_server.ts";

/** A request the proxy forwarded: its method and its target as the client wrote it. */
export interface ProxiedRequest {
  method: string;
  /** `http://127.0.0.1:8080/wp-json/...` for absolute form, `host:443` for CONNECT. */
  target: string;
}

const MAX_HEAD_BYTES = 64 * 1024;
const HEAD_END = new TextEncoder().encode("\r\n\r\n");

/**
 * The proxy; `url` is what `HTTP_PROXY` should say.
 *
 * @example
 * ```ts ignore
 * import { ForwardProxy } from "./forward_proxy.ts";
 * await using proxy = ForwardProxy.start();
 * const client = Deno.createHttpClient({ proxy: { url: proxy.url } });
 * await (await fetch("http://127.0.0.1:8080/", { client })).text();
 * proxy.seen; // [{ method: "GET", target: "http://127.0.0.1:8080/" }]
 * ```
 */
export class ForwardProxy {
  /** e.g. `http://127.0.0.1:41234` */
  readonly url: string;
  /** Every request forwarded, in order. */
  readonly seen: ProxiedRequest[] = [];

  #server: LoopbackServer;
  #conns = new Set<Deno.Conn>();

  private constructor() {
    this.#server = new LoopbackServer((conn) => this.#serve(conn));
    this.url = `http://127.0.0.1:${this.#server.port}`;
  }

  /** Starts the proxy on a free loopback port. */
  static start(): ForwardProxy {
    return new ForwardProxy();
  }

  /** Closes the listener and every open connection. */
  async close(): Promise<void> {
    for (const conn of this.#conns) closeQuietly(conn);
    await this.#server.close();
  }

  async [Symbol.asyncDispose](): Promise<void> {
    await this.close();
  }

  async #serve(client: Deno.Conn): Promise<void> {
    this.#conns.add(client);
    let origin: Deno.Conn | null = null;
    try {
      const request = await readHead(client);
      if (!request) return;
      const [method = "", target = ""] = request.lines[0]?.split(" ") ?? [];
      this.seen.push({ method, target });
      const isConnect = method === "CONNECT";
      const { hostname, port } = new URL(isConnect ? `http://${target}` : target);
      origin = await Deno.connect({ hostname, port: Number(port || 80) });
      this.#conns.add(origin);
      if (isConnect) {
        await writeAll(
          client,
          new TextEncoder().encode("HTTP/1.1 200 Connection Established\r\n\r\n"),
        );
      } else {
        await writeAll(origin, originFormHead(request.lines, method, new URL(target)));
      }
      await writeAll(origin, request.rest);
      await Promise.allSettled([pipe(client, origin), pipe(origin, client)]);
    } catch {
      // A client or origin that breaks off ends its exchange; the test sees what was seen.
    } finally {
      for (const conn of [client, origin]) {
        if (!conn) continue;
        closeQuietly(conn);
        this.#conns.delete(conn);
      }
    }
  }
}

/** The request head rewritten for the origin: origin-form target, one request, no proxy headers. */
function originFormHead(lines: string[], method: string, url: URL): Uint8Array {
  const headers = lines.slice(1).filter((line) => {
    const name = line.slice(0, line.indexOf(":")).trim().toLowerCase();
    return !["connection", "proxy-connection", "proxy-authorization", "keep-alive"].includes(name);
  });
  const head = [`${method} ${url.pathname}${url.search} HTTP/1.1`, ...headers, "Connection: close"];
  return new TextEncoder().encode(`${head.join("\r\n")}\r\n\r\n`);
}

/** Reads up to the blank line after the headers; `rest` holds the bytes read past it. */
async function readHead(conn: Deno.Conn): Promise<{ lines: string[]; rest: Uint8Array } | null> {
  let buffered: Uint8Array = new Uint8Array(0);
  for (;;) {
    const end = indexOf(buffered, HEAD_END);
    if (end !== -1) {
      const head = new TextDecoder().decode(buffered.subarray(0, end));
      return { lines: head.split("\r\n"), rest: buffered.slice(end + HEAD_END.length) };
    }
    if (buffered.length > MAX_HEAD_BYTES) throw new Error("Proxy request head too large");
    const chunk = new Uint8Array(16 * 1024);
    const n = await conn.read(chunk);
    if (n === null) return null;
    buffered = concatBytes([buffered, chunk.subarray(0, n)]);
  }
}

async function pipe(from: Deno.Conn, to: Deno.Conn): Promise<void> {
  try {
    const chunk = new Uint8Array(64 * 1024);
    for (;;) {
      const n = await from.read(chunk);
      if (n === null) break;
      await writeAll(to, chunk.subarray(0, n));
    }
  } finally {
    // One side is done: so is the exchange (the origin closes after each answer).
    closeQuietly(from);
    closeQuietly(to);
  }
}

async function writeAll(conn: Deno.Conn, bytes: Uint8Array): Promise<void> {
  for (let written = 0; written < bytes.length;) {
    written += await conn.write(bytes.subarray(written));
  }
}

function indexOf(haystack: Uint8Array, needle: Uint8Array): number {
  outer: for (let i = 0; i + needle.length <= haystack.length; i++) {
    for (let j = 0; j < needle.length; j++) if (haystack[i + j] !== needle[j]) continue outer;
    return i;
  }
  return -1;
}

function closeQuietly(conn: Deno.Conn): void {
  try {
    conn.close();
  } catch {
    // already closed
  }
}
