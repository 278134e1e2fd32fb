import type { ByteSource } from "../streams/byte_source.ts";
import { ChunkedDecoder } from "./chunked_decoder.ts";
import type { KeptConnection } from "./kept_connection.ts";
import type { ResponseHead } from "./response_head.ts";

/**
 * The body of an answer read from a connection, framed as its head says (chunked, a
 * length, or to the close). Every read is one read of the connection, its chunked coding
 * undone in place: a TCP read that holds many events is one `read()`. When the body ends,
 * `finish(true)` gives the connection back for the next answer if its head allows it;
 * an error, a close, a cancel before the end call `finish(false)` (the caller closes it).
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { KeptConnection } from "./kept_connection.ts";
 * import { parseResponseHead } from "./response_head.ts";
 * import { SocketBody } from "./socket_body.ts";
 * const utf8 = new TextEncoder();
 * const idle = () => new Promise<null>(() => {});
 * const connection = new KeptConnection("http://site.example", {
 *   read: idle, write: () => Promise.resolve(), close() {}, ref() {}, unref() {},
 * });
 * const head = parseResponseHead(utf8.encode("HTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\n"), "GET");
 * let kept: boolean | undefined;
 * const body = new SocketBody(connection, head, utf8.encode("hi"), undefined, (k) => kept = k);
 * assert.equal(new TextDecoder().decode((await body.read())!), "hi");
 * assert.equal(kept, true);
 * assert.equal(await body.read(), null);
 * ```
 */
export class SocketBody implements ByteSource {
  #connection: KeptConnection;
  #head: ResponseHead;
  #chunked: ChunkedDecoder | null;
  #left: number;
  #pending: Uint8Array | null;
  #signal: AbortSignal | undefined;
  #finish: (keep: boolean) => void;
  #finished = false;

  constructor(
    connection: KeptConnection,
    head: ResponseHead,
    pending: Uint8Array,
    signal: AbortSignal | undefined,
    finish: (keep: boolean) => void,
  ) {
    this.#connection = connection;
    this.#head = head;
    this.#chunked = head.framing.kind === "chunked" ? new ChunkedDecoder() : null;
    this.#left = head.framing.kind === "length" ? head.framing.length : -1;
    this.#pending = pending.length > 0 ? pending : null;
    this.#signal = signal;
    this.#finish = finish;
    if (this.#complete()) this.#end(this.#pending === null);
  }

  async read(): Promise<Uint8Array | null> {
    for (;;) {
      if (this.#finished && this.#pending === null) return null;
      let bytes = this.#pending;
      this.#pending = null;
      if (bytes === null) {
        try {
          bytes = await this.#connection.read();
        } catch (error) {
          this.#end(false);
          throw this.#signal?.aborted ? this.#signal.reason : error;
        }
        if (this.#signal?.aborted) throw this.#signal.reason;
        if (bytes === null) {
          this.#end(false);
          if (this.#head.framing.kind === "close") return null;
          throw new TypeError("The site closed the connection before the body ended");
        }
      }
      // Bytes past the body's end are not an answer to anything: the connection goes.
      const extra = this.#left >= 0 && bytes.length > this.#left;
      let data: Uint8Array;
      try {
        data = this.#frame(bytes);
      } catch (error) {
        this.#end(false);
        throw error;
      }
      if (this.#complete()) this.#end(!extra && !this.#chunked?.overrun);
      if (data.length > 0) return data;
    }
  }

  cancel(): Promise<void> {
    this.#pending = null;
    this.#end(false);
    return Promise.resolve();
  }

  #frame(bytes: Uint8Array): Uint8Array {
    if (this.#chunked) return this.#chunked.decode(bytes);
    if (this.#left < 0) return bytes;
    const data = bytes.length > this.#left ? bytes.subarray(0, this.#left) : bytes;
    this.#left -= data.length;
    return data;
  }

  #complete(): boolean {
    return this.#chunked ? this.#chunked.done : this.#left === 0;
  }

  #end(clean: boolean): void {
    if (this.#finished) return;
    this.#finished = true;
    this.#finish(clean && this.#head.keepAlive);
  }
}
