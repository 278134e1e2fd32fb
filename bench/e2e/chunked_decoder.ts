/**
 * An incremental decoder of HTTP/1.1 chunked transfer coding (RFC 9112 §7.1): bytes as
 * they come off the socket in, body bytes out, however the frames are cut.
 *
 * @module
 */

const CR = 13;
const LF = 10;

/**
 * Feeds on raw body bytes; `done` once the last (zero-size) chunk has been read.
 *
 * @example
 * ```ts
 * import { ChunkedDecoder } from "./chunked_decoder.ts";
 * const decoder = new ChunkedDecoder();
 * const body = decoder.push(new TextEncoder().encode("3\r\nabc\r\n0\r\n\r\n"));
 * console.log(new TextDecoder().decode(body[0]), decoder.done); // abc true
 * ```
 */
export class ChunkedDecoder {
  done = false;
  #state: "size" | "data" | "data-end" | "trailer" = "size";
  #line = "";
  #left = 0;

  /** Decodes `bytes`; returns the body bytes they carried (views, not copies). */
  push(bytes: Uint8Array): Uint8Array[] {
    const body: Uint8Array[] = [];
    let i = 0;
    while (i < bytes.length && !this.done) {
      if (this.#state === "data") {
        const take = Math.min(this.#left, bytes.length - i);
        body.push(bytes.subarray(i, i + take));
        i += take;
        this.#left -= take;
        if (this.#left === 0) this.#state = "data-end";
        continue;
      }
      const byte = bytes[i++]!;
      if (byte === CR) continue;
      if (byte !== LF) {
        this.#line += String.fromCharCode(byte);
        continue;
      }
      this.#endOfLine();
    }
    return body;
  }

  #endOfLine(): void {
    const line = this.#line;
    this.#line = "";
    switch (this.#state) {
      case "data-end": // the CRLF after a chunk's data
        this.#state = "size";
        return;
      case "size": {
        const size = parseInt(line.split(";")[0]!.trim(), 16);
        if (!Number.isFinite(size)) throw new Error(`Invalid chunk size line: ${line}`);
        this.#left = size;
        this.#state = size === 0 ? "trailer" : "data";
        return;
      }
      case "trailer": // trailer fields until an empty line
        if (line === "") this.done = true;
        return;
    }
  }
}
