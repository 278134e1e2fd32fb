/** How the body after a response head ends (RFC 9112 §6.3). */
export type BodyFraming =
  | { kind: "chunked" }
  | { kind: "length"; length: number }
  | { kind: "close" };

/** A parsed HTTP/1.1 response head. */
export interface ResponseHead {
  status: number;
  headers: Headers;
  framing: BodyFraming;
  /** Whether the connection may carry another request once this body is read. */
  keepAlive: boolean;
}

/** The longest response head read: more is not a WordPress answer. */
export const MAX_HEAD_BYTES = 64 * 1024;

const LF = 10;
const CR = 13;

/**
 * The index just past the blank line that ends a response head in `bytes`, or -1. A bare
 * LF ends a line as CRLF does: RFC 9112 §2.2 lets a recipient take it so, and a site
 * that sends it would otherwise be read forever.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { headEnd } from "./response_head.ts";
 * assert.equal(headEnd(new TextEncoder().encode("HTTP/1.1 200 OK\r\n\r\nbody")), 19);
 * assert.equal(headEnd(new TextEncoder().encode("HTTP/1.1 200 OK\n\nbody")), 17);
 * ```
 */
export function headEnd(bytes: Uint8Array, from = 0): number {
  for (let i = Math.max(1, from); i < bytes.length; i++) {
    if (bytes[i] !== LF) continue;
    if (bytes[i - 1] === LF || (bytes[i - 1] === CR && i >= 2 && bytes[i - 2] === LF)) {
      return i + 1;
    }
  }
  return -1;
}

/**
 * Whether `bytes`, the first of an answer, cannot be the start of an HTTP/1.x status line:
 * a site that speaks something else is refused at its first bytes, not read until it ends.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { notHttp } from "./response_head.ts";
 * assert.equal(notHttp(new TextEncoder().encode("HTT")), false);
 * assert.equal(notHttp(new TextEncoder().encode("<html>")), true);
 * ```
 */
export function notHttp(bytes: Uint8Array): boolean {
  const n = Math.min(bytes.length, STATUS_PREFIX.length);
  for (let i = 0; i < n; i++) if (bytes[i] !== STATUS_PREFIX[i]) return true;
  return false;
}

const STATUS_PREFIX = new TextEncoder().encode("HTTP/1.");

/**
 * Parses a response head (status line and header fields, its blank line included) and
 * says how its body ends: chunked, a length, or the connection's close; and whether the
 * connection may be kept. A head that is not HTTP/1.x throws a `SyntaxError`. A header
 * whose value is not printable ASCII is left out.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { parseResponseHead } from "./response_head.ts";
 * const head = parseResponseHead(new TextEncoder().encode(
 *   "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\nX-WP-Nonce: abc\r\n\r\n",
 * ), "POST");
 * assert.equal(head.status, 200);
 * assert.equal(head.headers.get("x-wp-nonce"), "abc");
 * assert.deepEqual(head.framing, { kind: "chunked" });
 * assert.equal(head.keepAlive, true);
 * ```
 */
export function parseResponseHead(bytes: Uint8Array, method: string): ResponseHead {
  const lines = latin1(bytes).split(/\r?\n/);
  // The reason phrase may be empty, and its space with it ("HTTP/1.1 100"): RFC 9112 §4.
  const match = /^HTTP\/1\.([01]) ([1-5][0-9]{2})(?: |$)/.exec(lines[0] ?? "");
  if (!match) throw new SyntaxError("Invalid HTTP response: no status line");
  const status = Number(match[2]);
  const headers = new Headers();
  for (const line of lines.slice(1)) {
    if (line === "") continue;
    const colon = line.indexOf(":");
    if (colon <= 0) throw new SyntaxError("Invalid HTTP response: bad header line");
    const name = line.slice(0, colon).trim();
    const value = line.slice(colon + 1).trim();
    // A value with bytes outside printable ASCII is dropped, unread: no runtime gets to
    // refuse it (and quote it in a message), and nothing downstream needs such a header.
    if (!PRINTABLE.test(value)) continue;
    try {
      headers.append(name, value);
    } catch {
      throw new SyntaxError("Invalid HTTP response: bad header line");
    }
  }
  const body = framing(status, headers, method);
  const tokens = (headers.get("connection") ?? "").toLowerCase();
  // HTTP/1.1 keeps the connection unless told not to; HTTP/1.0 only when told to.
  const keepAlive = body.kind !== "close" &&
    (match[1] === "1" ? !/(?:^|,)\s*close\s*(?:,|$)/.test(tokens) : /keep-alive/.test(tokens));
  return { status, headers, framing: body, keepAlive };
}

const PRINTABLE = /^[\t\x20-\x7e]*$/;

/** Bytes as ISO-8859-1, one character each (`TextDecoder("latin1")` is windows-1252). */
function latin1(bytes: Uint8Array): string {
  let text = "";
  for (let i = 0; i < bytes.length; i += 4096) {
    text += String.fromCharCode(...bytes.subarray(i, i + 4096));
  }
  return text;
}

function framing(status: number, headers: Headers, method: string): BodyFraming {
  if (method === "HEAD" || status === 204 || status === 304 || status < 200) {
    return { kind: "length", length: 0 };
  }
  const coding = headers.get("transfer-encoding");
  if (coding !== null) {
    if (/(?:^|,)\s*chunked\s*$/i.test(coding)) return { kind: "chunked" };
    return { kind: "close" };
  }
  const length = headers.get("content-length");
  if (length === null) return { kind: "close" };
  if (!/^[0-9]{1,15}$/.test(length)) {
    throw new SyntaxError("Invalid HTTP response: bad Content-Length");
  }
  return { kind: "length", length: Number(length) };
}
