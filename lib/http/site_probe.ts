import type { Socket } from "./cloudflare_sockets.ts";

/**
 * How a probe of the site ended: it took a connection (and finished the TLS handshake on
 * an `https:` site), it failed at once (refused, unresolved, a certificate, a runtime that
 * will not open the socket), or it heard nothing within its bound.
 */
export type ProbeVerdict = "connected" | "failed" | "silent";

/**
 * Opens one connection to the site's host and port, as `fetch` would, and closes it at
 * once: only to learn whether the site accepts connections at all. Never longer than
 * `boundMs`, nor past `signal`.
 */
export type SiteProbe = (url: URL, boundMs: number, signal: AbortSignal) => Promise<ProbeVerdict>;

/** What {@linkcode denoProbe} needs of `Deno`. */
export interface DenoSockets {
  connect(options: { hostname: string; port: number; signal?: AbortSignal }): Promise<Closable>;
  startTls(conn: Closable, options: { hostname: string }): Promise<Closable & Handshaking>;
}

interface Closable {
  close(): void;
}

interface Handshaking {
  handshake(): Promise<unknown>;
}

/**
 * The runtime's own sockets as a {@linkcode SiteProbe}: `Deno.connect` (+ `Deno.startTls`)
 * on Deno, `cloudflare:sockets` on Workers; null elsewhere (no probe: only the caller's
 * signal bounds connecting there).
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { runtimeProbe } from "./site_probe.ts";
 * assert.equal(typeof runtimeProbe(), "function"); // on Deno
 * ```
 */
export function runtimeProbe(): SiteProbe | null {
  const runtime = globalThis as { Deno?: Partial<DenoSockets>; navigator?: { userAgent?: string } };
  if (runtime.navigator?.userAgent === "Cloudflare-Workers") return workersProbe;
  const deno = runtime.Deno;
  if (deno?.connect && deno.startTls) return denoProbe(deno as DenoSockets);
  return null;
}

/**
 * A probe over Deno's sockets: TCP, then the TLS handshake for an `https:` site, so that
 * a site that takes connections but never finishes its handshake is heard as silent.
 */
export function denoProbe(deno: DenoSockets): SiteProbe {
  return (url, boundMs, signal) =>
    bounded(boundMs, signal, async (opened, stop) => {
      const { hostname, port } = addressOf(url);
      const conn = opened(await deno.connect({ hostname, port, signal: stop }));
      if (url.protocol === "https:") {
        await opened(await deno.startTls(conn, { hostname })).handshake();
      }
    });
}

/** Cloudflare's socket module, loaded on first use: no other runtime has it. */
let workersSockets: Promise<typeof import("cloudflare:sockets")> | undefined;

const workersProbe: SiteProbe = (url, boundMs, signal) =>
  bounded(boundMs, signal, async (opened, stop) => {
    workersSockets ??= import("cloudflare:sockets");
    const secureTransport = url.protocol === "https:" ? "on" : "off";
    const socket: Socket = (await workersSockets).connect(addressOf(url), { secureTransport });
    opened({ close: () => void socket.close().catch(() => {}) });
    // `opened` waits for the TLS handshake, and stays pending after close() when the
    // handshake never ends (workerd 1.20261117, tried): the bound ends the wait instead.
    await Promise.race([socket.opened, rejectOnAbort(stop)]);
  });

function rejectOnAbort(signal: AbortSignal): Promise<never> {
  return new Promise((_, reject) => {
    if (signal.aborted) reject(signal.reason);
    signal.addEventListener("abort", () => reject(signal.reason), { once: true });
  });
}

/**
 * Runs `attempt` within `boundMs`: whatever it opened (handed to `opened`) is closed when
 * the bound passes or `signal` aborts, which ends the attempt, and the verdict waits for
 * that end, so nothing of the probe outlives it.
 */
async function bounded(
  boundMs: number,
  signal: AbortSignal,
  attempt: (opened: <T extends Closable>(conn: T) => T, stop: AbortSignal) => Promise<void>,
): Promise<ProbeVerdict> {
  const stop = new AbortController();
  const conns: Closable[] = [];
  stop.signal.addEventListener("abort", () => conns.splice(0).forEach(closeQuietly));
  const opened = <T extends Closable>(conn: T): T => {
    if (stop.signal.aborted) closeQuietly(conn);
    else conns.push(conn);
    return conn;
  };
  let verdict: ProbeVerdict | null = null;
  const abort = () => stop.abort();
  const timer = setTimeout(() => {
    verdict = "silent";
    stop.abort();
  }, boundMs);
  signal.addEventListener("abort", abort);
  try {
    if (signal.aborted) return "failed";
    await attempt(opened, stop.signal);
    return verdict ?? "connected";
  } catch {
    return verdict ?? "failed";
  } finally {
    clearTimeout(timer);
    signal.removeEventListener("abort", abort);
    stop.abort();
  }
}

function closeQuietly(conn: Closable): void {
  try {
    conn.close();
  } catch {
    // Closed already.
  }
}

function addressOf(url: URL): { hostname: string; port: number } {
  // An IPv6 literal comes bracketed in a URL, and bare to the socket.
  return {
    hostname: url.hostname.replace(/^\[(.*)\]$/, "$1"),
    port: Number(url.port) || (url.protocol === "https:" ? 443 : 80),
  };
}
