import { sessionCookie } from "./session_id.ts";

/**
 * The headers that say who asks, on every REST call made for a visitor (submit, upload):
 * the nonce in `X-WP-Nonce` (AI Engine ≥ 2.0 checks it; a site without nonces gets
 * none), and the end user's `mwai_session_id` cookie when there is one.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { visitorHeaders } from "./visitor_headers.ts";
 * assert.deepEqual(visitorHeaders("55b8d074d1", "6745c0e1a2b3c"), {
 *   "x-wp-nonce": "55b8d074d1",
 *   cookie: "mwai_session_id=6745c0e1a2b3c",
 * });
 * assert.deepEqual(visitorHeaders(null), {});
 * ```
 */
export function visitorHeaders(nonce: string | null, sessionId?: string): Record<string, string> {
  const headers: Record<string, string> = {};
  if (nonce) headers["x-wp-nonce"] = nonce;
  if (sessionId) headers.cookie = sessionCookie(sessionId);
  return headers;
}
