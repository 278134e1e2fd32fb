/** The site asked when none is configured. */
export const DEFAULT_SITE_URL = "https://opchatgpts.net";

/**
 * Limit on silence once the site has begun to answer, and on start_session, the nonce
 * page and an upload, in ms: more than a hosted tool call in the middle of an answer takes.
 */
export const DEFAULT_TIMEOUT_MS = 120_000;

/**
 * Limit from the request to the answer's first text, its headers included, in ms: a
 * reasoning model at high effort, or a bot that searches the web first, sends nothing
 * (PHP sends the headers with the first output) for minutes.
 */
export const DEFAULT_FIRST_TEXT_TIMEOUT_MS = 300_000;

/** Limit on connecting to the site (TCP and TLS), in ms: a site that is down fails fast. */
export const DEFAULT_CONNECT_TIMEOUT_MS = 10_000;

/** Limit from the request to the answer's end, in ms. */
export const DEFAULT_ANSWER_TIMEOUT_MS = 600_000;

/**
 * A site's REST root: `{site}/wp-json`, WordPress's default, without doubled slashes.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { restUrlOf } from "./site_defaults.ts";
 * assert.equal(restUrlOf("https://example.com/"), "https://example.com/wp-json");
 * ```
 */
export function restUrlOf(site: string): string {
  return `${withoutTrailingSlash(site)}/wp-json`;
}

/**
 * The URL of a REST route under a REST root, for both `/wp-json` and `?rest_route=` roots.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { restRoute } from "./site_defaults.ts";
 * assert.equal(
 *   restRoute("https://example.com/?rest_route=", "mwai/v1/start_session"),
 *   "https://example.com/?rest_route=/mwai/v1/start_session",
 * );
 * ```
 */
export function restRoute(restUrl: string, route: string): string {
  return `${withoutTrailingSlash(restUrl)}/${route}`;
}

/** A URL without the slashes it may end in. */
export function withoutTrailingSlash(url: string): string {
  return url.replace(/\/+$/, "");
}
