import { concatBytes } from "../util/concat_bytes.ts";
import type { KeptConnection } from "./kept_connection.ts";
import {
  headEnd,
  MAX_HEAD_BYTES,
  notHttp,
  parseResponseHead,
  type ResponseHead,
} from "./response_head.ts";

/**
 * Reads an answer's head from `connection`: its final one, interim `1xx` heads skipped
 * (`100 Continue`, `103 Early Hints`), and the body's first bytes read with it. A close
 * or an error before any byte throws what `nothing` makes (what a kept connection the site closed
 * looks like: the request may be sent again); bytes that are not HTTP/1.x, a head over
 * `MAX_HEAD_BYTES` or a close within the head throw at once, never wait for more.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { KeptConnection } from "./kept_connection.ts";
 * import { readHead } from "./read_head.ts";
 * const answer = new TextEncoder().encode("HTTP/1.1 100\r\n\r\nHTTP/1.1 204 No Content\r\n\r\n");
 * let sent = false;
 * const connection = new KeptConnection("http://site.example", {
 *   read(buffer) {
 *     if (sent) return Promise.resolve(null);
 *     sent = true;
 *     buffer.set(answer);
 *     return Promise.resolve(answer.length);
 *   },
 *   write: () => Promise.resolve(), close() {}, ref() {}, unref() {},
 * });
 * const { head } = await readHead(connection, "GET", () => new Error("no answer"));
 * assert.equal(head.status, 204);
 * ```
 */
export async function readHead(
  connection: KeptConnection,
  method: string,
  nothing: (cause?: unknown) => Error,
): Promise<{ head: ResponseHead; rest: Uint8Array }> {
  let kept: Uint8Array | null = null;
  for (;;) {
    let bytes: Uint8Array | null;
    try {
      bytes = await connection.read();
    } catch (cause) {
      if (kept === null) throw nothing(cause);
      throw cause;
    }
    if (bytes === null) {
      if (kept === null) throw nothing();
      throw new TypeError("The site closed the connection before its answer's head ended");
    }
    let view: Uint8Array = kept ? concatBytes([kept, bytes]) : bytes;
    for (let end = headEnd(view); end !== -1; end = headEnd(view)) {
      if (notHttp(view)) break;
      const head = parseResponseHead(view.subarray(0, end), method);
      if (head.status === 101) {
        throw new SyntaxError("Invalid HTTP response: 101 Switching Protocols, never asked for");
      }
      if (head.status >= 200) return { head, rest: view.subarray(end) };
      view = view.subarray(end); // an interim answer: the final one follows
    }
    if (notHttp(view)) throw new SyntaxError("Invalid HTTP response: no status line");
    if (view.length > MAX_HEAD_BYTES) {
      throw new SyntaxError("Invalid HTTP response: head too large");
    }
    // A copy: the connection reads into the same memory next time.
    kept = view.slice();
  }
}
