/**
 * The host and port a socket to `url` opens: an IPv6 literal comes bracketed in a URL and
 * bare to the socket; no port means the scheme's own.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { socketAddress } from "./socket_address.ts";
 * assert.deepEqual(socketAddress(new URL("https://[::1]/")), { hostname: "::1", port: 443 });
 * assert.deepEqual(socketAddress(new URL("http://site.example:8080/")), {
 *   hostname: "site.example",
 *   port: 8080,
 * });
 * ```
 */
export function socketAddress(url: URL): { hostname: string; port: number } {
  return {
    hostname: url.hostname.replace(/^\[(.*)\]$/, "$1"),
    port: Number(url.port) || (url.protocol === "https:" ? 443 : 80),
  };
}
