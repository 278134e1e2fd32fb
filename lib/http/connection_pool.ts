import { ConnectTimeout } from "./connect_timeout.ts";
import type { Connect } from "./deno_connect.ts";
import { KeptConnection } from "./kept_connection.ts";

/**
 * How long a connection is kept idle, in ms: less than Apache's `KeepAliveTimeout` (5 s,
 * the shortest common default; nginx keeps 75 s), with a second to spare for the time a
 * request takes to reach the site, so the site's close rarely meets a request on its way.
 */
export const IDLE_MS = 4_000;

/** Idle connections kept per origin at most: more are closed as they finish. */
const MAX_IDLE_PER_ORIGIN = 32;

/** How a connection is asked for. */
export interface TakeOptions {
  /** Aborts connecting. */
  signal?: AbortSignal | undefined;
  /** Bounds connecting and the TLS handshake; passed, it fails with `ConnectTimeout`. */
  connectTimeoutMs?: number | undefined;
  /** A new connection, not a kept one (a request resent after a kept one failed). */
  fresh?: boolean;
}

/**
 * Connections to sites, kept per origin between answers: an answer on a kept connection
 * costs no TCP and TLS handshake. The most recently used is taken first (the least likely
 * to have been closed by the site); an idle one is closed after {@linkcode IDLE_MS}, or at
 * once when the site closes it, and never keeps the process alive. `close()` closes every
 * idle one (a test that must end with nothing open, a process that stops).
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { ConnectionPool } from "./connection_pool.ts";
 * import { denoConnect } from "./deno_connect.ts";
 * const listener = Deno.listen({ hostname: "127.0.0.1", port: 0 });
 * const url = new URL(`http://127.0.0.1:${listener.addr.port}/`);
 * const pool = new ConnectionPool(denoConnect(Deno));
 * const first = await pool.take(url);
 * const accepted = await listener.accept();
 * pool.release(first.connection);
 * const again = await pool.take(url);
 * assert.equal(again.connection, first.connection);
 * assert.equal(again.reused, true);
 * pool.release(again.connection);
 * await pool.close();
 * accepted.close();
 * listener.close();
 * ```
 */
export class ConnectionPool {
  #connect: Connect;
  #idleMs: number;
  #idle = new Map<string, KeptConnection[]>();
  #timers = new Map<KeptConnection, ReturnType<typeof setTimeout>>();
  /** Bumped by `close()`: a connection opened before it is closed when its answer ends. */
  #generation = 0;
  #openedIn = new WeakMap<KeptConnection, number>();

  constructor(connect: Connect, options: { idleMs?: number } = {}) {
    this.#connect = connect;
    this.#idleMs = options.idleMs ?? IDLE_MS;
  }

  /** How many connections wait idle. */
  get idle(): number {
    return this.#timers.size;
  }

  /** A connection to `url`'s origin: a kept one (`reused`), else a new one. */
  async take(
    url: URL,
    options: TakeOptions = {},
  ): Promise<{ connection: KeptConnection; reused: boolean }> {
    const { origin } = url;
    const idle = options.fresh ? undefined : this.#idle.get(origin);
    for (let kept = idle?.pop(); kept; kept = idle?.pop()) {
      this.#forget(kept);
      if (kept.closed) continue;
      kept.unpark();
      return { connection: kept, reused: true };
    }
    const conn = await bounded(this.#connect, url, options.signal, options.connectTimeoutMs);
    const connection = new KeptConnection(origin, conn);
    this.#openedIn.set(connection, this.#generation);
    return { connection, reused: false };
  }

  /** Keeps `connection`, its answer read to the end, for the next answer to its origin. */
  release(connection: KeptConnection): void {
    if (connection.closed) return;
    const idle = this.#idle.get(connection.origin) ?? [];
    const stale = (this.#openedIn.get(connection) ?? this.#generation) < this.#generation;
    if (stale || idle.length >= MAX_IDLE_PER_ORIGIN) {
      void connection.close();
      return;
    }
    this.#idle.set(connection.origin, idle);
    idle.push(connection);
    connection.park(() => this.#drop(connection));
    const timer = setTimeout(() => this.#drop(connection), this.#idleMs);
    // An idle connection must not hold a process that has nothing else to do.
    (globalThis as { Deno?: { unrefTimer?(id: number): void } }).Deno?.unrefTimer?.(
      timer as unknown as number,
    );
    this.#timers.set(connection, timer);
  }

  /**
   * Closes every idle connection, and every one in use as soon as its answer ends (none is
   * kept after this); resolves once the idle ones' pending reads have ended. The pool
   * opens new connections for later answers.
   */
  async close(): Promise<void> {
    this.#generation++;
    const all = [...this.#timers.keys()];
    all.forEach((connection) => this.#forget(connection));
    await Promise.all(all.map((connection) => connection.close()));
  }

  #drop(connection: KeptConnection): void {
    this.#forget(connection);
    void connection.close();
  }

  #forget(connection: KeptConnection): void {
    clearTimeout(this.#timers.get(connection));
    this.#timers.delete(connection);
    const idle = this.#idle.get(connection.origin);
    const at = idle?.indexOf(connection) ?? -1;
    if (at >= 0) idle!.splice(at, 1);
    if (idle?.length === 0) this.#idle.delete(connection.origin);
  }
}

/** `connect` bounded by `signal` and by `timeoutMs` (a `ConnectTimeout` when it passes). */
async function bounded(
  connect: Connect,
  url: URL,
  signal: AbortSignal | undefined,
  timeoutMs: number | undefined,
) {
  const timeout = new AbortController();
  const timer = timeoutMs === undefined
    ? undefined
    : setTimeout(() => timeout.abort(new ConnectTimeout(timeoutMs)), timeoutMs);
  try {
    return await connect(url, signal ? AbortSignal.any([signal, timeout.signal]) : timeout.signal);
  } finally {
    clearTimeout(timer);
  }
}
