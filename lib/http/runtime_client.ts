import type { Socket } from "./cloudflare_sockets.ts";
import { type Connect, type Connection, socketClient } from "./socket_client.ts";
import { fetchClient, type UpstreamClient } from "./upstream_client.ts";

/**
 * The fastest way this runtime has to reach the site: its own sockets where it has them
 * (Deno, Cloudflare Workers), with HTTP/1.1 spoken by {@linkcode socketClient}, else
 * `fetch`. `fetch` stays the way on Deno when an outbound proxy is configured (`proxied`:
 * Deno's `fetch` honours `HTTP_PROXY` and its kin), and on Workers for a site whose
 * address Cloudflare does not let sockets reach (a site behind Cloudflare itself): the
 * first refusal moves that site to `fetch` for the isolate's lifetime.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { runtimeClient } from "./runtime_client.ts";
 * assert.equal(typeof runtimeClient({ proxied: false }), "function");
 * ```
 */
export function runtimeClient(options: { proxied: boolean }): UpstreamClient {
  const viaFetch = fetchClient((input, init) => fetch(input, init));
  const connect = runtimeConnect(options.proxied);
  if (!connect) return viaFetch;
  const viaSockets = socketClient(connect);
  const refused = new Set<string>();
  return async (url, request) => {
    const { origin } = new URL(url);
    if (refused.has(origin)) return viaFetch(url, request);
    try {
      return await viaSockets(url, request);
    } catch (error) {
      if (!(error instanceof SocketRefused)) throw error;
      refused.add(origin);
      return viaFetch(url, request);
    }
  };
}

/** The runtime would not open a socket to this address (nothing was sent). */
class SocketRefused extends Error {
  override readonly name = "SocketRefused";
}

/** What {@linkcode denoConnect} needs of `Deno`. */
export interface DenoNet {
  connect(options: { hostname: string; port: number }): Promise<DenoConn>;
  connectTls(options: { hostname: string; port: number }): Promise<DenoConn>;
}

interface DenoConn {
  read(buffer: Uint8Array): Promise<number | null>;
  write(bytes: Uint8Array): Promise<number>;
  close(): void;
  setNoDelay?(noDelay?: boolean): void;
}

const READ_BUFFER_BYTES = 64 * 1024;

function runtimeConnect(proxied: boolean): Connect | null {
  const runtime = globalThis as { Deno?: Partial<DenoNet>; navigator?: { userAgent?: string } };
  if (runtime.navigator?.userAgent === "Cloudflare-Workers") return workersConnect;
  const deno = runtime.Deno;
  if (!proxied && deno?.connect && deno.connectTls) return denoConnect(deno as DenoNet);
  return null;
}

function address(url: URL): { hostname: string; port: number } {
  const tls = url.protocol === "https:";
  // An IPv6 literal comes bracketed in a URL, and bare to the socket.
  return {
    hostname: url.hostname.replace(/^\[(.*)\]$/, "$1"),
    port: Number(url.port) || (tls ? 443 : 80),
  };
}

/**
 * Deno's sockets as a {@linkcode Connect}: `Deno.connect`, or `Deno.connectTls` for an
 * `https:` site, read into one buffer of the connection's own.
 */
export function denoConnect(deno: DenoNet): Connect {
  return async (url) => {
    const tls = url.protocol === "https:";
    const conn = tls ? await deno.connectTls(address(url)) : await deno.connect(address(url));
    conn.setNoDelay?.(true);
    const buffer = new Uint8Array(READ_BUFFER_BYTES);
    return {
      async read() {
        const n = await conn.read(buffer);
        return n === null ? null : buffer.subarray(0, n);
      },
      async write(bytes) {
        for (let sent = 0; sent < bytes.length;) sent += await conn.write(bytes.subarray(sent));
      },
      close() {
        try {
          conn.close();
        } catch {
          // Closed already.
        }
      },
    };
  };
}

/** Cloudflare's socket module, loaded on first use: no other runtime has it. */
let workersSockets: Promise<typeof import("cloudflare:sockets")> | undefined;

async function workersConnect(url: URL): Promise<Connection> {
  workersSockets ??= import("cloudflare:sockets");
  let socket: Socket | undefined;
  try {
    socket = (await workersSockets).connect(address(url), {
      secureTransport: url.protocol === "https:" ? "on" : "off",
    });
    await socket.opened;
  } catch (cause) {
    socket?.close().catch(() => {});
    throw new SocketRefused("The runtime refused a socket to the site", { cause });
  }
  const writer = socket.writable.getWriter();
  const reader = socket.readable.getReader({ mode: "byob" });
  let buffer = new ArrayBuffer(READ_BUFFER_BYTES);
  return {
    async read() {
      const { done, value } = await reader.read(new Uint8Array(buffer));
      if (done || !value) return null;
      buffer = value.buffer as ArrayBuffer; // handed back by the read, for the next one
      return value;
    },
    write: (bytes) => writer.write(bytes),
    close() {
      socket.close().catch(() => {});
    },
  };
}
