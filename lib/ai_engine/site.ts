/** The site asked when none is configured. */
export const DEFAULT_SITE_URL = "https://opchatgpts.net";

/** Limit for an answer's headers and for silence between two events, in ms. */
export const DEFAULT_TIMEOUT_MS = 30_000;

/** Limit from the request to the answer's first text, in ms. */
export const DEFAULT_FIRST_TEXT_TIMEOUT_MS = 120_000;

/** Limit from the request to the answer's end, in ms. */
export const DEFAULT_ANSWER_TIMEOUT_MS = 600_000;

/**
 * A site's REST root: `{site}/wp-json`, WordPress's default, without doubled slashes.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { restUrlOf } from "./site.ts";
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
 * import { restRoute } from "./site.ts";
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
