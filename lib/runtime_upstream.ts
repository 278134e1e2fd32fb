import { readVariables } from "./variables.ts";
import { runtimeClient } from "./http/runtime_client.ts";
import type { UpstreamClient } from "./http/upstream_client.ts";

const PROXY_VARIABLES = ["HTTP_PROXY", "http_proxy", "HTTPS_PROXY", "https_proxy"];
let runtime: UpstreamClient | undefined;

/**
 * The runtime's own way to the site, made once per isolate (see `runtimeClient`): what
 * carries every call of `chat()` without a `fetch` of its own, and every call of the
 * gateway.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { runtimeUpstream } from "./runtime_upstream.ts";
 * assert.equal(runtimeUpstream(), runtimeUpstream());
 * ```
 */
export function runtimeUpstream(): UpstreamClient {
  return runtime ??= runtimeClient({ proxied: proxyConfigured() });
}

// Deno's fetch honours the outbound proxy; the sockets would not. A variable that cannot
// be read may be set: fetch is then the safe way.
function proxyConfigured(): boolean {
  try {
    return Object.values(readVariables(PROXY_VARIABLES)).some((value) => value?.trim());
  } catch {
    return true;
  }
}
