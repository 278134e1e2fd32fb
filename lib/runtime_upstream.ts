import { readVariables } from "./variables.ts";
import { runtimeProbe } from "./http/site_probe.ts";
import { fetchClient, type UpstreamClient } from "./http/upstream_client.ts";

const PROXY_VARIABLES = ["HTTP_PROXY", "http_proxy", "HTTPS_PROXY", "https_proxy"];
let runtime: UpstreamClient | undefined;

/**
 * The runtime's own `fetch`, made once per isolate: it keeps its connections to the site,
 * and carries every call of `chat()` without a `fetch` of its own, and every call of the
 * gateway. Its connect bound probes the site with the runtime's sockets, except through an
 * outbound proxy.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { runtimeUpstream } from "./runtime_upstream.ts";
 * assert.equal(runtimeUpstream(), runtimeUpstream());
 * ```
 */
export function runtimeUpstream(): UpstreamClient {
  return runtime ??= fetchClient((input, init) => fetch(input, init), {
    probe: proxyConfigured() ? null : runtimeProbe(),
  });
}

// Deno's fetch honours the outbound proxy; a probe of the site would not go through it, and
// the site may be reachable only that way. A variable that cannot be read may be set.
function proxyConfigured(): boolean {
  try {
    return Object.values(readVariables(PROXY_VARIABLES)).some((value) => value?.trim());
  } catch {
    return true;
  }
}
