/**
 * How the emulated site's web server frames its answers. PHP hands the server a status,
 * its headers and flushed output; the server adds its own headers and delimits the body:
 *
 * - `apache` (default; most WordPress sites, Apache 2.4 + mod_php, recorded in
 *   `tests/fixtures/ai-engine-3.6.2-apache/`): `Transfer-Encoding: chunked` with one chunk
 *   per PHP `echo`, so an event is two chunks (`data: {...}`, then `\n\n`) in one TCP
 *   write; keep-alive (`Keep-Alive: timeout=5, max=100`); `Content-Type` last.
 * - `close` (PHP's built-in server, the first recordings in `tests/fixtures/ai-engine-3.6.2/`):
 *   `Connection: close`, and the close ends the body.
 * - `chunk-per-event`: Apache's head and keep-alive, but one chunk per flush, so each
 *   event is one whole chunk (a host that buffers each event before framing it).
 *
 * `MWAI_EMULATOR_FRAMING` chooses the default for every emulator that does not set one.
 *
 * @module
 */

import { statusLine } from "./wordpress_wire.ts";

/** One of the web servers in front of the emulated WordPress. */
export type SiteFraming = "apache" | "close" | "chunk-per-event";

/** Every framing, the default first. */
export const SITE_FRAMINGS: readonly SiteFraming[] = ["apache", "close", "chunk-per-event"];

/**
 * The framing `MWAI_EMULATOR_FRAMING` names, else `apache`; a name that is none of them
 * throws, so that a typo cannot quietly test the default.
 *
 * @example
 * ```ts
 * import { defaultFraming } from "./site_framing.ts";
 * ["apache", "close", "chunk-per-event"].includes(defaultFraming()); // true
 * ```
 */
export function defaultFraming(): SiteFraming {
  let name: string | undefined;
  try {
    name = Deno.env.get("MWAI_EMULATOR_FRAMING");
  } catch {
    name = undefined; // no --allow-env: the default
  }
  if (name === undefined || name === "") return "apache";
  if ((SITE_FRAMINGS as readonly string[]).includes(name)) return name as SiteFraming;
  throw new Error(
    `Invalid MWAI_EMULATOR_FRAMING: ${JSON.stringify(name)} (use ${SITE_FRAMINGS.join(", ")})`,
  );
}

/** What PHP hands the web server for one answer: the status and headers in the order set. */
export interface PhpHead {
  status: number;
  headers: [string, string][];
  /** The body is chunked whatever the server (the `chunkedcut` fault on PHP's built-in server). */
  chunked?: boolean;
}

/** What the server knows of the exchange when it writes the head. */
export interface HeadContext {
  /** The request's Host: PHP's built-in server repeats it. */
  host: string;
  /** Apache keeps the connection for this many more requests; null: it will close. */
  keepAliveLeft: number | null;
}

/** The body of an answer in this framing is chunked. */
export function isChunked(framing: SiteFraming, head: PhpHead): boolean {
  return framing !== "close" || head.chunked === true;
}

/**
 * The status line and headers as the server writes them, ending in the blank line.
 *
 * @example
 * ```ts
 * import { renderHead } from "./site_framing.ts";
 * const head = renderHead({ status: 200, headers: [["Content-Type", "text/plain"]] }, "apache", {
 *   host: "127.0.0.1:8080", keepAliveLeft: 100,
 * });
 * head.endsWith("Transfer-Encoding: chunked\r\nContent-Type: text/plain\r\n\r\n"); // true
 * ```
 */
export function renderHead(head: PhpHead, framing: SiteFraming, context: HeadContext): string {
  const lines = framing === "close" ? builtinServerHead(head, context) : apacheHead(head, context);
  return `${lines.join("\r\n")}\r\n\r\n`;
}

// PHP 8.2's built-in server (recordings of ai-engine-3.6.2/): Host, Date, Connection and
// X-Powered-By first, then PHP's headers as set, with no body length at all.
function builtinServerHead(head: PhpHead, context: HeadContext): string[] {
  return [
    statusLine(head.status),
    `Host: ${context.host}`,
    `Date: ${new Date().toUTCString()}`,
    "Connection: close",
    "X-Powered-By: PHP/8.2.36",
    ...head.headers.map(([name, value]) => `${name}: ${value}`),
    ...(head.chunked ? ["Transfer-Encoding: chunked"] : []),
  ];
}

// Apache 2.4 (recordings of ai-engine-3.6.2-apache/): Date and Server first, PHP's headers
// (expose_php off), the keep-alive headers, the transfer coding, and Content-Type last,
// since mod_php hands it over as the request's content type, not as a header.
function apacheHead(head: PhpHead, context: HeadContext): string[] {
  const contentType = head.headers.find(([name]) => name.toLowerCase() === "content-type");
  const connection = context.keepAliveLeft === null ? ["Connection: close"] : [
    `Keep-Alive: timeout=${KEEP_ALIVE_TIMEOUT_S}, max=${context.keepAliveLeft}`,
    "Connection: Keep-Alive",
  ];
  return [
    statusLine(head.status),
    `Date: ${new Date().toUTCString()}`,
    "Server: Apache/2.4.71 (Debian)",
    ...head.headers.filter(([name]) => name.toLowerCase() !== "content-type")
      .map(([name, value]) => `${name}: ${value}`),
    ...connection,
    "Transfer-Encoding: chunked",
    ...(contentType ? [`Content-Type: ${contentType[1]}`] : []),
  ];
}

/** Apache's `KeepAliveTimeout`: an idle kept connection is closed after this long. */
export const KEEP_ALIVE_TIMEOUT_S = 5;
/** Apache's `MaxKeepAliveRequests`. */
const MAX_KEEP_ALIVE_REQUESTS = 100;
// ap_status_drops_connection(): answers after which Apache never keeps the connection.
const DROPS_CONNECTION = new Set([400, 408, 411, 413, 414, 500, 501, 503]);

/**
 * Apache's `ap_set_keepalive`, for the `served`-th answer on a connection (0 for the
 * first): how many more requests it allows, or null when it closes after this answer
 * (the framing closes, the client asked to close, the status drops the connection, or
 * the connection served its maximum).
 *
 * @example
 * ```ts
 * import { keepAliveLeft } from "./site_framing.ts";
 * keepAliveLeft("apache", new Headers(), 200, 0); // 100
 * keepAliveLeft("apache", new Headers({ connection: "close" }), 200, 0); // null
 * ```
 */
export function keepAliveLeft(
  framing: SiteFraming,
  requestHeaders: Headers,
  status: number,
  served: number,
): number | null {
  const left = MAX_KEEP_ALIVE_REQUESTS - served;
  if (framing === "close" || left <= 0 || DROPS_CONNECTION.has(status)) return null;
  const connection = requestHeaders.get("connection")?.toLowerCase() ?? "";
  if (connection.split(",").some((token) => token.trim() === "close")) return null;
  return left;
}
