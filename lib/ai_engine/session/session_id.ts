/**
 * What a session id may be: a token that a cookie, a header and the site's tables hold as
 * is. At most 56: the plugin files a guest's uploads under `session_<id>` in a column of 64.
 */
const SESSION_ID_PATTERN = /^[A-Za-z0-9_-]{8,56}$/;

/** What a session id that is not one is told. */
export const INVALID_SESSION_ID = "Invalid session id: use 8 to 56 letters, digits, _ or -";

/**
 * Whether `value` can be sent as AI Engine's `mwai_session_id`: 8 to 56 letters, digits,
 * `_` or `-` (the plugin's own are 13 hex digits).
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { isSessionId } from "./session_id.ts";
 * assert.ok(isSessionId("6745c0e1a2b3c"));
 * assert.ok(!isSessionId("x; other=1"));
 * ```
 */
export function isSessionId(value: unknown): value is string {
  return typeof value === "string" && SESSION_ID_PATTERN.test(value);
}

/**
 * The `Cookie` header that tells the site who the end user is (`mwai_session_id`); a
 * value that is not a session id throws a `TypeError` rather than reach a header.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { sessionCookie } from "./session_id.ts";
 * assert.equal(sessionCookie("6745c0e1a2b3c"), "mwai_session_id=6745c0e1a2b3c");
 * assert.throws(() => sessionCookie("x; other=1"), TypeError);
 * ```
 */
export function sessionCookie(sessionId: string): string {
  if (!isSessionId(sessionId)) throw new TypeError(INVALID_SESSION_ID);
  return `mwai_session_id=${sessionId}`;
}
