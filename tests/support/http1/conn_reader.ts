/**
 * A buffered reader over one TCP connection, for the loopback servers and clients that
 * speak HTTP/1.1 themselves: lines for a head, exact bytes for a body, and at most one
 * socket read in flight, shared by whoever waits for bytes. That last point is what lets a
 * server watch a keep-alive connection for its client leaving during an answer, and then
 * read the next request from the same bytes.
 *
 * @module
 */

/**
 * The peer broke the framing: a line too long, or the connection ending inside a line
 * or a body.
 *
 * @example
 * ```ts
 * import { FramingError } from "./conn_reader.ts";
 * new FramingError("Connection closed inside a line").name; // "FramingError"
 * ```
 */
export class FramingError extends Error {
  override name = "FramingError";
}

/**
 * Reads a connection through one growing buffer.
 *
 * @example
 * ```ts ignore
 * import { ConnReader } from "./conn_reader.ts";
 * const reader = new ConnReader(await listener.accept());
 * const requestLine = await reader.readLine(8192); // "GET / HTTP/1.1", or null at EOF
 * ```
 */
export class ConnReader {
  #conn: Deno.Conn;
  // Unread bytes are #store[#start, #end); the store doubles when a big body needs it.
  #store = new Uint8Array(16 * 1024);
  #start = 0;
  #end = 0;
  #eof = false;
  #reading: Promise<boolean> | null = null;

  constructor(conn: Deno.Conn) {
    this.#conn = conn;
  }

  /** Bytes read off the socket and not yet consumed. */
  get buffered(): number {
    return this.#end - this.#start;
  }

  /** A line without its LF (and without a CR before it); null at EOF before any byte. */
  async readLine(limit: number): Promise<string | null> {
    for (;;) {
      const unread = this.#store.subarray(this.#start, this.#end);
      const lf = unread.indexOf(0x0a);
      if (lf >= 0) {
        const end = lf > 0 && unread[lf - 1] === 0x0d ? lf - 1 : lf;
        this.#start += lf + 1;
        return new TextDecoder().decode(unread.subarray(0, end));
      }
      if (unread.length > limit) throw new FramingError("Line too long");
      if (!(await this.fill())) {
        if (unread.length === 0) return null;
        throw new FramingError("Connection closed inside a line");
      }
    }
  }

  /** Exactly `length` bytes (a copy). */
  async readExactly(length: number): Promise<Uint8Array> {
    while (this.#end - this.#start < length) {
      if (!(await this.fill())) throw new FramingError("Connection closed inside the body");
    }
    const bytes = this.#store.slice(this.#start, this.#start + length);
    this.#start += length;
    return bytes;
  }

  /**
   * Reads more bytes into the buffer; false at EOF or when the socket failed. Callers
   * that wait at the same time share one read.
   */
  fill(): Promise<boolean> {
    if (this.#eof) return Promise.resolve(false);
    this.#reading ??= this.#read().finally(() => this.#reading = null);
    return this.#reading;
  }

  async #read(): Promise<boolean> {
    if (this.#end === this.#store.length) this.#makeRoom();
    let n: number | null;
    try {
      n = await this.#conn.read(this.#store.subarray(this.#end));
    } catch {
      n = null; // a reset, or the connection closed under the read
    }
    if (n === null) {
      this.#eof = true;
      return false;
    }
    this.#end += n;
    return true;
  }

  #makeRoom(): void {
    const unread = this.#end - this.#start;
    const size = unread * 2 > this.#store.length ? this.#store.length * 2 : this.#store.length;
    const store = new Uint8Array(size);
    store.set(this.#store.subarray(this.#start, this.#end));
    this.#store = store;
    this.#start = 0;
    this.#end = unread;
  }
}
