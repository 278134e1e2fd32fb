/**
 * One request/answer exchange on a raw TCP connection: writes go out as separate
 * TCP writes, and the socket keeps being read so that a client that goes away is
 * noticed at once, even while the answer is silent.
 *
 * @module
 */

import { BadRequestError, type RawRequest, readRequest } from "./http_request_reader.ts";

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
  #shutdown: AbortSignal;
  #closed = false;
  #peerLeft = false;
  #watcher: Promise<void> | undefined;
  #onPeerLeft = new Set<() => void>();

  constructor(conn: Deno.Conn, shutdown: AbortSignal) {
    this.#conn = conn;
    this.#shutdown = shutdown;
  }

  /** True once the client closed its side, reset the socket, or a write failed. */
  get peerLeft(): boolean {
    return this.#peerLeft;
  }

  /**
   * Reads the request, then starts watching the socket for the client leaving.
   * Resolves null when the client sent nothing; answers a bare 400 to garbage.
   */
  async readRequest(): Promise<RawRequest | null> {
    let request: RawRequest | null;
    try {
      request = await readRequest(this.#conn);
    } catch (error) {
      if (!(error instanceof BadRequestError)) return null;
      await this.write("HTTP/1.1 400 Bad Request\r\nConnection: close\r\n\r\n");
      return null;
    }
    if (request) this.#watcher = this.#watchPeer();
    return request;
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
    await this.#watcher;
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
  async #watchPeer(): Promise<void> {
    const sink = new Uint8Array(4096);
    try {
      while ((await this.#conn.read(sink)) !== null) { /* discard anything more */ }
    } catch {
      // A reset, or our own close() interrupting the read.
    }
    if (!this.#closed) this.#markPeerLeft();
  }

  #markPeerLeft(): void {
    if (this.#peerLeft) return;
    this.#peerLeft = true;
    for (const wake of [...this.#onPeerLeft]) wake();
  }
}
