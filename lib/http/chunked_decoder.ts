const SIZE = 0;
const EXTENSION = 1;
const SIZE_LF = 2;
const DATA = 3;
const DATA_CR = 4;
const DATA_LF = 5;
const TRAILER = 6;
const DONE = 7;

const LF = 10;
const CR = 13;

/**
 * Decodes HTTP/1.1's chunked transfer coding (RFC 9112 §7.1) in place: the data of the
 * chunks in `bytes` is moved to its front, so one TCP read, which on a real site holds
 * both chunks of an AI Engine event, gives one contiguous slice and no copy. The state
 * carries over between calls, so a read may end anywhere: in a size line, an extension,
 * the data, or its CRLF. Bytes after the last chunk's trailers are ignored.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { ChunkedDecoder } from "./chunked_decoder.ts";
 * const decoder = new ChunkedDecoder();
 * const bytes = new TextEncoder().encode("5\r\nHello\r\n2\r\n\n\n\r\n0\r\n\r\n");
 * assert.equal(new TextDecoder().decode(decoder.decode(bytes)), "Hello\n\n");
 * assert.equal(decoder.done, true);
 * ```
 */
export class ChunkedDecoder {
  #state = SIZE;
  #size = 0;
  #digits = 0;
  #left = 0;
  #trailerLine = 0;
  #overrun = false;

  /** Whether the last chunk and its trailers have been read. */
  get done(): boolean {
    return this.#state === DONE;
  }

  /** Whether bytes came after the end (`done`): they answer nothing that was asked. */
  get overrun(): boolean {
    return this.#overrun;
  }

  /**
   * The chunk data in `bytes`, as a view of its front (the bytes are overwritten).
   * Throws a `SyntaxError` on bytes that are not chunked coding.
   */
  decode(bytes: Uint8Array): Uint8Array {
    let write = 0;
    let i = 0;
    const end = bytes.length;
    while (i < end && this.#state !== DONE) {
      switch (this.#state) {
        case DATA: {
          const n = Math.min(end - i, this.#left);
          if (write !== i) bytes.copyWithin(write, i, i + n);
          write += n;
          i += n;
          this.#left -= n;
          if (this.#left === 0) this.#state = DATA_CR;
          break;
        }
        case SIZE: {
          const c = bytes[i++]!;
          const digit = hexValue(c);
          if (digit >= 0) {
            // More than 8 hex digits is more than 4 GiB in one chunk: no site sends that.
            if (++this.#digits > 8) {
              throw new SyntaxError("Invalid chunked body: chunk size too long");
            }
            this.#size = this.#size * 16 + digit;
          } else if (c === CR) this.#state = SIZE_LF;
          else if (c === LF) this.#sizeRead();
          else if (c === 0x3b || c === 0x20 || c === 0x09) this.#state = EXTENSION;
          else throw new SyntaxError("Invalid chunked body: bad chunk size");
          break;
        }
        case EXTENSION:
          if (bytes[i++] === LF) this.#sizeRead();
          break;
        case SIZE_LF:
          if (bytes[i++] !== LF) throw new SyntaxError("Invalid chunked body: bad chunk size line");
          this.#sizeRead();
          break;
        case DATA_CR: {
          const c = bytes[i++];
          if (c === CR) this.#state = DATA_LF;
          else if (c === LF) this.#nextChunk();
          else throw new SyntaxError("Invalid chunked body: chunk longer than its size");
          break;
        }
        case DATA_LF:
          if (bytes[i++] !== LF) throw new SyntaxError("Invalid chunked body: bad chunk end");
          this.#nextChunk();
          break;
        case TRAILER: {
          const c = bytes[i++];
          if (c === LF) {
            if (this.#trailerLine === 0) this.#state = DONE;
            this.#trailerLine = 0;
          } else if (c !== CR) this.#trailerLine++;
          break;
        }
      }
    }
    if (i < end) this.#overrun = true;
    return bytes.subarray(0, write);
  }

  #sizeRead(): void {
    if (this.#digits === 0) throw new SyntaxError("Invalid chunked body: missing chunk size");
    if (this.#size === 0) {
      this.#state = TRAILER;
      this.#trailerLine = 0;
      return;
    }
    this.#left = this.#size;
    this.#state = DATA;
  }

  #nextChunk(): void {
    this.#state = SIZE;
    this.#size = 0;
    this.#digits = 0;
  }
}

function hexValue(c: number): number {
  if (c >= 48 && c <= 57) return c - 48;
  if (c >= 97 && c <= 102) return c - 87;
  if (c >= 65 && c <= 70) return c - 55;
  return -1;
}
