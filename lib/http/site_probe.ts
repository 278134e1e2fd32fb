import type { Socket } from "./cloudflare_sockets.ts";
import { denoConnect, type DenoNet } from "./deno_connect.ts";
import { socketAddress } from "./socket_address.ts";

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

interface Closable {
  close(): void;
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
  const runtime = globalThis as { Deno?: Partial<DenoNet>; navigator?: { userAgent?: string } };
  if (runtime.navigator?.userAgent === "Cloudflare-Workers") return workersProbe;
  const deno = runtime.Deno;
  if (deno?.connect && deno.startTls) return denoProbe(deno as DenoNet);
  return null;
}

/**
 * A probe over Deno's sockets, connecting as the socket client does ({@linkcode denoConnect}):
 * TCP, then the TLS handshake for an `https:` site, so that a site that takes connections
 * but never finishes its handshake is heard as silent.
 */
export function denoProbe(deno: DenoNet): SiteProbe {
  const connect = denoConnect(deno);
  return (url, boundMs, signal) =>
    bounded(boundMs, signal, async (opened, stop) => {
      opened(await connect(url, stop));
    });
}

/** Cloudflare's socket module, loaded on first use: no other runtime has it. */
let workersSockets: Promise<typeof import("cloudflare:sockets")> | undefined;

const workersProbe: SiteProbe = (url, boundMs, signal) =>
  bounded(boundMs, signal, async (opened, stop) => {
    workersSockets ??= import("cloudflare:sockets");
    const secureTransport = url.protocol === "https:" ? "on" : "off";
    const socket: Socket = (await workersSockets).connect(socketAddress(url), { secureTransport });
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
