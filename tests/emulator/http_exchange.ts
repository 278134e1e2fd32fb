/**
 * Request/answer exchanges on one raw TCP connection: writes go out as separate TCP
 * writes, and while an answer is under way the socket keeps being read, so that a client
 * that goes away is noticed at once, even while the answer is silent. Bytes read that
 * way are kept for the next request, so a keep-alive connection can serve several.
 *
 * @module
 */

import { ConnReader } from "../support/http1/conn_reader.ts";
import { BadRequestError, type RawRequest, readRequest } from "../support/http1/request_reader.ts";

const encoder = new TextEncoder();

/**
 * Wraps one accepted connection. Every wait (`pause`, `hold`) ends early, returning
 * `false`, when the client leaves or the emulator shuts down.
 *
 * @example
 * ```ts ignore
 * import { HttpExchange } from "./http_exchange.ts";
 * const exchange = new HttpExchange(await listener.accept(), shutdown.signal);
 * const request = await exchange.readRequest();
 * if (request && await exchange.write("HTTP/1.1 204 No Content\r\n\r\n")) console.log("sent");
 * await exchange.close();
 * ```
 */
export class HttpExchange {
  #conn: Deno.Conn;
  #reader: ConnReader;
  #shutdown: AbortSignal;
  #closed = false;
  #peerLeft = false;
  #answering = 0;
  #watchers = new Set<Promise<void>>();
  #onPeerLeft = new Set<() => void>();

  constructor(conn: Deno.Conn, shutdown: AbortSignal) {
    this.#conn = conn;
    this.#reader = new ConnReader(conn);
    this.#shutdown = shutdown;
  }

  /** True once the client closed its side, reset the socket, or a write failed. */
  get peerLeft(): boolean {
    return this.#peerLeft;
  }

  /**
   * Reads the next request, then watches the socket for the client leaving until
   * `answered()`. Resolves null when the client sent nothing (within `idleMs`, when
   * given: a kept connection's timeout) or the emulator shuts down; answers a bare 400
   * to garbage.
   */
  async readRequest(idleMs?: number): Promise<RawRequest | null> {
    this.#answering++;
    if (idleMs !== undefined && !(await this.waitForBytes(idleMs))) return null;
    let request: RawRequest | null;
    try {
      request = await readRequest(this.#reader, () => this.write("HTTP/1.1 100 Continue\r\n\r\n"));
    } catch (error) {
      if (!(error instanceof BadRequestError)) return null;
      await this.write("HTTP/1.1 400 Bad Request\r\nConnection: close\r\n\r\n");
      return null;
    }
    if (request) this.#watch(this.#answering);
    return request;
  }

  /** The answer is over: stop reading the socket on its behalf (bytes read stay buffered). */
  answered(): void {
    this.#answering++;
  }

  /** Writes all of `data` (one TCP write as far as the kernel allows); false if the client is gone. */
  async write(data: string | Uint8Array): Promise<boolean> {
    if (this.#peerLeft || this.#closed) return false;
    let bytes = typeof data === "string" ? encoder.encode(data) : data;
    try {
      while (bytes.length > 0) bytes = bytes.subarray(await this.#conn.write(bytes));
      return true;
    } catch {
      this.#markPeerLeft();
      return false;
    }
  }

  /** Waits `ms`; false if the client left or the emulator shut down meanwhile. */
  pause(ms: number): Promise<boolean> {
    if (ms <= 0) return Promise.resolve(!this.#peerLeft && !this.#shutdown.aborted);
    return this.#wait(ms);
  }

  /** Stays silent until the client leaves or the emulator shuts down. */
  async hold(): Promise<void> {
    await this.#wait(null);
  }

  /** Closes the socket (abruptly, if the answer was not finished) and stops watching it. */
  async close(): Promise<void> {
    if (!this.#closed) {
      this.#closed = true;
      try {
        this.#conn.close();
      } catch {
        // Already closed by the runtime after a reset: nothing left to release.
      }
    }
    await Promise.all([...this.#watchers]);
  }

  /**
   * Waits for the next request's first bytes, no longer than `idleMs` (a kept connection's
   * timeout); false when none came, or the emulator shut down.
   */
  waitForBytes(idleMs: number): Promise<boolean> {
    if (this.#reader.buffered > 0) return Promise.resolve(true);
    return new Promise((resolve) => {
      if (this.#shutdown.aborted) return resolve(false);
      const finish = (arrived: boolean) => {
        clearTimeout(timer);
        this.#shutdown.removeEventListener("abort", stop);
        resolve(arrived && !this.#shutdown.aborted);
      };
      const stop = () => finish(false);
      const timer = setTimeout(stop, idleMs);
      this.#shutdown.addEventListener("abort", stop);
      this.#reader.fill().then(finish);
    });
  }

  #wait(ms: number | null): Promise<boolean> {
    return new Promise((resolve) => {
      if (this.#peerLeft || this.#shutdown.aborted) return resolve(false);
      let timer: ReturnType<typeof setTimeout> | undefined;
      const finish = (completed: boolean) => {
        clearTimeout(timer);
        this.#shutdown.removeEventListener("abort", interrupted);
        this.#onPeerLeft.delete(interrupted);
        resolve(completed);
      };
      const interrupted = () => finish(false);
      this.#shutdown.addEventListener("abort", interrupted);
      this.#onPeerLeft.add(interrupted);
      if (ms !== null) timer = setTimeout(() => finish(true), ms);
    });
  }

  // A client that aborts closes its socket: the pending read then ends (EOF or reset).
  #watch(answer: number): void {
    const watching = (async () => {
      while (this.#answering === answer) {
        if (!(await this.#reader.fill())) {
          if (!this.#closed) this.#markPeerLeft();
          return;
        }
      }
    })();
    this.#watchers.add(watching);
    watching.finally(() => this.#watchers.delete(watching));
  }

  #markPeerLeft(): void {
    if (this.#peerLeft) return;
    this.#peerLeft = true;
    for (const wake of [...this.#onPeerLeft]) wake();
  }
}
