/** The default cap on one event's size, in UTF-16 code units (8 Mi). */
export const MAX_EVENT_CHARS = 8 * 1024 * 1024;

const LF = 10;
const CR = 13;
const COLON = 58;
const SPACE = 32;

/**
 * Parses server-sent events from decoded text and emits the `data` of each event,
 * following the WHATWG "event stream interpretation" rules: lines end in CRLF, LF or CR
 * (even when a chunk ends between CR and LF), `:` starts a comment, one space after the
 * colon is dropped, several `data` lines join with LF, and "once the end of the file is
 * reached, any pending data must be discarded". `event`, `id` and `retry` are read and
 * ignored: AI Engine puts everything in `data`.
 *
 * Unlike a general parser it caps the size of one event (`maxEventChars`: every line of
 * it, field names and comments included, line ends not), so a hostile upstream cannot
 * make it buffer without limit; past the cap `feed` throws the `tooLarge` error (a
 * `RangeError` by default), wherever the pieces happen to split.
 *
 * It is a core fed piece by piece, not a stream stage: the answer's decoder runs it on
 * each read of the body, with no stream hop between them.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { SseDataParser } from "./sse_data_parser.ts";
 * const parser = new SseDataParser();
 * const events: string[] = [];
 * parser.feed('data: {"a"', (data) => events.push(data));
 * parser.feed(":1}\r\n\r\n: ping\n\n", (data) => events.push(data));
 * assert.deepEqual(events, ['{"a":1}']);
 * ```
 */
export class SseDataParser {
  #partial = "";
  #data: string | null = null;
  /** Characters of the current event's complete lines. */
  #eventChars = 0;
  #skipLf = false;
  #maxEventChars: number;
  #tooLarge: (maxChars: number) => Error;

  /**
   * A parser for one stream.
   *
   * @param options.maxEventChars the cap on one event, in characters (default 8 Mi)
   * @param options.tooLarge builds the error thrown past the cap (default: a `RangeError`
   *   "Event too large: over N characters"), so a caller can raise its own kind
   */
  constructor(
    options: { maxEventChars?: number; tooLarge?: (maxChars: number) => Error } = {},
  ) {
    this.#maxEventChars = options.maxEventChars ?? MAX_EVENT_CHARS;
    this.#tooLarge = options.tooLarge ?? eventTooLarge;
  }

  /**
   * Reads the next piece of the text; `emit` gets the `data` of each event it completes.
   * Throws the `tooLarge` error once the current event passes the cap.
   */
  feed(text: string, emit: (data: string) => void): void {
    let pos = 0;
    if (this.#skipLf && text.length > 0) {
      // The previous chunk ended in CR: an LF right here belongs to that line end.
      if (text.charCodeAt(0) === LF) pos = 1;
      this.#skipLf = false;
    }
    // Positions of the next CR and LF, searched once and reused until passed (-2: unknown).
    let cr = -2;
    let lf = -2;
    while (pos < text.length) {
      if (cr !== -1 && cr < pos) cr = text.indexOf("\r", pos);
      if (lf !== -1 && lf < pos) lf = text.indexOf("\n", pos);
      const end = cr === -1 ? lf : lf === -1 ? cr : Math.min(cr, lf);
      if (end === -1) {
        this.#partial += text.slice(pos);
        this.#checkSize();
        return;
      }
      const line = this.#partial === ""
        ? text.slice(pos, end)
        : this.#partial + text.slice(pos, end);
      this.#partial = "";
      this.#eventChars += line.length;
      this.#checkSize();
      this.#line(line, emit);
      pos = end + 1;
      if (text.charCodeAt(end) === CR) {
        if (pos === text.length) this.#skipLf = true;
        else if (text.charCodeAt(pos) === LF) pos++;
      }
    }
  }

  #line(line: string, emit: (data: string) => void): void {
    if (line === "") {
      if (this.#data !== null) emit(this.#data);
      this.#data = null;
      this.#eventChars = 0;
      return;
    }
    if (line.charCodeAt(0) === COLON) return;
    const colon = line.indexOf(":");
    if (colon === -1) {
      if (line === "data") this.#append("");
      return;
    }
    if (colon !== 4 || !line.startsWith("data")) return;
    this.#append(line.charCodeAt(5) === SPACE ? line.slice(6) : line.slice(5));
  }

  #append(value: string): void {
    this.#data = this.#data === null ? value : `${this.#data}\n${value}`;
  }

  #checkSize(): void {
    if (this.#eventChars + this.#partial.length > this.#maxEventChars) {
      throw this.#tooLarge(this.#maxEventChars);
    }
  }
}

function eventTooLarge(maxChars: number): RangeError {
  return new RangeError(`Event too large: over ${maxChars} characters`);
}
