/** Kinds of transport failure, by error name, then by what runtimes write in messages. */
const TRANSPORT_FAILURES: [RegExp | null, RegExp, string][] = [
  [null, /^Invalid (HTTP response|chunked body)/, "the site's answer was not valid HTTP"],
  [/^TimeoutError$|^TimedOut$|ConnectTimeout/, /timed? ?out/i, "the connection timed out"],
  [/^ConnectionRefused$/, /refused|ECONNREFUSED/i, "the site refused the connection"],
  [
    /^AddrNotAvailable$/,
    /dns|lookup|resolve|getaddrinfo|ENOTFOUND|name or service|nodename/i,
    "the site's name did not resolve",
  ],
  [/^InvalidData$/, /tls|ssl|certificate|handshake/i, "TLS with the site failed"],
  [
    /^ConnectionReset$|^ConnectionAborted$|^BrokenPipe$|^UnexpectedEof$/,
    /reset|broken pipe|connection (was )?(lost|closed|aborted)|closed the connection|eof/i,
    "the connection was reset or closed",
  ],
  [null, /header/i, "a request header was refused"],
];

/**
 * A transport failure in words of our own: refused, DNS, TLS, reset, timed out, else
 * "a network error". Runtimes quote URLs and header values (the nonce, the site's
 * credentials) in their messages, so the message is matched, never repeated; the
 * error's causes are looked at too.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { describeTransportFailure } from "./transport_failure.ts";
 * assert.equal(
 *   describeTransportFailure(new TypeError('Invalid header value: "s3cret"')),
 *   "a request header was refused",
 * );
 * assert.equal(describeTransportFailure(new Error("boom")), "a network error");
 * ```
 */
export function describeTransportFailure(error: unknown): string {
  for (let cause = error, depth = 0; cause instanceof Error && depth < 5; depth++) {
    for (const [name, message, words] of TRANSPORT_FAILURES) {
      if (name?.test(cause.name) || message.test(cause.message)) return words;
    }
    cause = cause.cause;
  }
  return "a network error";
}

/**
 * Whether a request failed for want of time: a signal's timeout, or the transport's own
 * limit on connecting (an error named `…Timeout…`, `TimedOut`).
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { isTimeout } from "./transport_failure.ts";
 * assert.ok(isTimeout(new DOMException("Signal timed out.", "TimeoutError")));
 * assert.ok(!isTimeout(new TypeError("fetch failed")));
 * ```
 */
export function isTimeout(error: unknown): boolean {
  return error instanceof Error && /Timeout|^TimedOut$/.test(error.name) ||
    error instanceof DOMException && error.name === "TimeoutError";
}
