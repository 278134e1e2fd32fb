import type { SiteConnection } from "./deno_connect.ts";

/** What one read of the site takes at most: a burst of events in one piece. */
const READ_BUFFER_BYTES = 64 * 1024;

/**
 * A connection to the site that can be kept between answers. It reads into a buffer of
 * its own, so one read holds all that has come; while it waits idle, a read is kept
 * pending on it (as undici does), so that the site's closing it, or bytes it sends
 * unasked, are seen at once, and that pending read is the next answer's first.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { KeptConnection } from "./kept_connection.ts";
 * const chunks = [new TextEncoder().encode("hi")];
 * const connection = new KeptConnection("http://site.example", {
 *   read: (buffer) => {
 *     const next = chunks.shift();
 *     if (!next) return Promise.resolve(null);
 *     buffer.set(next);
 *     return Promise.resolve(next.length);
 *   },
 *   write: () => Promise.resolve(),
 *   close() {},
 *   ref() {},
 *   unref() {},
 * });
 * assert.equal(new TextDecoder().decode((await connection.read())!), "hi");
 * assert.equal(await connection.read(), null);
 * ```
 */
export class KeptConnection {
  /** The origin it reaches (`https://site.example:8443`). */
  readonly origin: string;
  #conn: SiteConnection;
  #buffer = new Uint8Array(READ_BUFFER_BYTES);
  #pending: Promise<number | null> | null = null;
  #idle = false;
  #closed = false;

  constructor(origin: string, conn: SiteConnection) {
    this.origin = origin;
    this.#conn = conn;
  }

  /** Whether it was closed, by either side (an end or an error seen while idle). */
  get closed(): boolean {
    return this.#closed;
  }

  /** The next bytes the site sent, valid until the next read; `null` when it closed. */
  async read(): Promise<Uint8Array | null> {
    const pending = this.#pending ?? this.#conn.read(this.#buffer);
    this.#pending = null;
    const n = await pending;
    return n === null ? null : this.#buffer.subarray(0, n);
  }

  write(bytes: Uint8Array): Promise<void> {
    return this.#conn.write(bytes);
  }

  /**
   * Sets it idle: a read is kept pending, which no longer keeps the process alive, and
   * `onEnd` is called if it ends (closed, reset, or bytes nobody asked for) while idle.
   * The read goes into a fresh buffer: the last answer's reader may still hold bytes of
   * the old one.
   */
  park(onEnd: () => void): void {
    this.#buffer = new Uint8Array(READ_BUFFER_BYTES);
    this.#idle = true;
    this.#conn.unref();
    const pending = this.#conn.read(this.#buffer);
    this.#pending = pending;
    const ended = () => {
      if (this.#idle && this.#pending === pending) onEnd();
    };
    pending.then(ended, ended);
  }

  /** Takes it out of idleness, for an answer: its pending read keeps the process alive again. */
  unpark(): void {
    this.#idle = false;
    this.#conn.ref();
  }

  /** Closes it; resolves once a read pending on it has ended. */
  close(): Promise<void> {
    this.#closed = true;
    this.#idle = false;
    // Ref'd again: whoever awaits the pending read's end keeps the process until it comes.
    this.#conn.ref();
    this.#conn.close();
    const pending = this.#pending;
    this.#pending = null;
    return pending ? pending.then(() => {}, () => {}) : Promise.resolve();
  }
}
