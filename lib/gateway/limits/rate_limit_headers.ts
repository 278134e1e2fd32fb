/** One limit as the IETF ratelimit-headers draft names it: a policy and what is left of it. */
export interface RateLimitItem {
  /** The policy's name: `minute`, `concurrent` or `day`. */
  name: string;
  /** The quota (`q`). */
  quota: number;
  /** The window in seconds (`w`); absent for concurrent answers, which have none. */
  windowSeconds?: number;
  /** The quota unit (`qu`) where the draft registers one. */
  unit?: "requests" | "concurrent-requests";
  /** What is left (`r`). */
  remaining: number;
  /** Seconds until the quota is whole again, or a unit comes back (`t`). */
  resetSeconds: number;
}

/**
 * The `RateLimit-Policy` and `RateLimit` headers of draft-ietf-httpapi-ratelimit-headers
 * (structured-field lists: `"minute";q=30;w=60` and `"minute";r=12;t=40`).
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { rateLimitHeaders } from "./rate_limit_headers.ts";
 * const headers = rateLimitHeaders([
 *   { name: "minute", quota: 30, windowSeconds: 60, unit: "requests", remaining: 12, resetSeconds: 40 },
 * ]);
 * assert.equal(headers["ratelimit-policy"], '"minute";q=30;w=60;qu="requests"');
 * assert.equal(headers.ratelimit, '"minute";r=12;t=40');
 * ```
 */
export function rateLimitHeaders(items: readonly RateLimitItem[]): Record<string, string> {
  if (items.length === 0) return {};
  const policy = items.map((item) =>
    `"${item.name}";q=${item.quota}` +
    (item.windowSeconds === undefined ? "" : `;w=${item.windowSeconds}`) +
    (item.unit === undefined ? "" : `;qu="${item.unit}"`)
  );
  const state = items.map((item) => `"${item.name}";r=${item.remaining};t=${item.resetSeconds}`);
  return { "ratelimit-policy": policy.join(", "), ratelimit: state.join(", ") };
}
