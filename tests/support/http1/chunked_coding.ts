/**
 * HTTP/1.1 chunked transfer coding (RFC 9112 §7.1) both ways: the frame of one chunk as a
 * server writes it, and an incremental decoder for bytes as they come off a socket,
 * however the frames are cut.
 *
 * @module
 */

const encoder = new TextEncoder();
const CR = 13;
const LF = 10;

/**
 * The last chunk and the empty trailer section: the end of a chunked body.
 *
 * @example
 * ```ts
 * import { LAST_CHUNK } from "./chunked_coding.ts";
 * LAST_CHUNK; // "0\r\n\r\n"
 * ```
 */
export const LAST_CHUNK = "0\r\n\r\n";

/**
 * One chunk carrying `data`: its size in lowercase hex (as Apache writes it), CRLF, the
 * data, CRLF. Empty data makes no chunk at all, since a zero size would end the body.
 *
 * @example
 * ```ts
 * import { encodeChunk } from "./chunked_coding.ts";
 * new TextDecoder().decode(encodeChunk("\n\n")); // "2\r\n\n\n\r\n"
 * ```
 */
export function encodeChunk(data: string | Uint8Array): Uint8Array {
  const bytes = typeof data === "string" ? encoder.encode(data) : data;
  if (bytes.length === 0) return bytes;
  const size = encoder.encode(`${bytes.length.toString(16)}\r\n`);
  const chunk = new Uint8Array(size.length + bytes.length + 2);
  chunk.set(size);
  chunk.set(bytes, size.length);
  chunk.set([CR, LF], size.length + bytes.length);
  return chunk;
}

/**
 * Feeds on raw body bytes; `done` once the last (zero-size) chunk and the trailer
 * section have been read.
 *
 * @example
 * ```ts
 * import { ChunkedDecoder } from "./chunked_coding.ts";
 * const decoder = new ChunkedDecoder();
 * const body = decoder.push(new TextEncoder().encode("3\r\nabc\r\n0\r\n\r\n"));
 * console.log(new TextDecoder().decode(body[0]), decoder.done); // abc true
 * ```
 */
export class ChunkedDecoder {
  /** The whole body has been read. */
  done = false;
  /** How many chunks with data were read so far. */
  chunks = 0;
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
        if (line !== "") throw new Error(`Invalid chunk end: ${line}`);
        this.#state = "size";
        return;
      case "size": {
        const size = parseInt(line.split(";")[0]!.trim(), 16);
        if (!Number.isFinite(size)) throw new Error(`Invalid chunk size line: ${line}`);
        this.#left = size;
        if (size > 0) this.chunks++;
        this.#state = size === 0 ? "trailer" : "data";
        return;
      }
      case "trailer": // trailer fields until an empty line
        if (line === "") this.done = true;
        return;
    }
  }
}
