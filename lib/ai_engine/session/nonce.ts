/**
 * What a nonce may be before it becomes an `X-WP-Nonce` header: WordPress makes 10 hex
 * digits (`wp_create_nonce`); plugins that filter nonces stay within short tokens of
 * letters, digits, `_` and `-`. Anything else a site hands out is refused unseen.
 */
const NONCE_PATTERN = /^[A-Za-z0-9_-]{1,64}$/;

/**
 * Whether `value` can be a WordPress REST nonce: 1 to 64 letters, digits, `_` or `-`.
 * Only such a value is ever stored or sent; it can neither break a header nor carry one.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { isNonce } from "./nonce.ts";
 * assert.ok(isNonce("55b8d074d1"));
 * assert.ok(!isNonce("abc\r\nX-Evil: 1"));
 * ```
 */
export function isNonce(value: unknown): value is string {
  return typeof value === "string" && NONCE_PATTERN.test(value);
}

/**
 * What is wrong with a value that is not a nonce, without a character of it.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { notANonce } from "./nonce.ts";
 * assert.equal(notANonce("x".repeat(65)), "65 characters, more than a nonce has");
 * ```
 */
export function notANonce(value: string): string {
  if (value.length > 64) return `${value.length} characters, more than a nonce has`;
  return "characters a nonce cannot hold";
}
