import { readVariables } from "./variables.ts";
import { ConnectionPool } from "./http/connection_pool.ts";
import { denoConnect, type DenoNet } from "./http/deno_connect.ts";
import { runtimeProbe } from "./http/site_probe.ts";
import { socketClient } from "./http/socket_client.ts";
import { fetchClient, type UpstreamClient } from "./http/upstream_client.ts";

const PROXY_VARIABLES = ["HTTP_PROXY", "http_proxy", "HTTPS_PROXY", "https_proxy"];
let runtime: UpstreamClient | undefined;
let pool: ConnectionPool | undefined;

/**
 * The runtime's way to the site, made once per isolate; it carries every call of `chat()`
 * without a `fetch` of its own, and every call of the gateway. Both ways keep their
 * connections:
 *
 * - on Deno, HTTP/1.1 over Deno's own sockets, kept in a pool (`socketClient`): `fetch`
 *   hands every HTTP chunk to JavaScript as its own read, two per event from a real site,
 *   where a socket read takes all that came (a burst costs a quarter of the CPU);
 * - through an outbound proxy (`HTTP_PROXY` and its kin, which Deno's `fetch` honours) and
 *   everywhere else, `fetch`; on Workers a socket cannot outlive its request, so it could
 *   never be kept. Its connect bound probes the site with the runtime's sockets, except
 *   through a proxy.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { runtimeUpstream } from "./runtime_upstream.ts";
 * assert.equal(runtimeUpstream(), runtimeUpstream());
 * ```
 */
export function runtimeUpstream(): UpstreamClient {
  return runtime ??= makeUpstream();
}

/**
 * Closes the connections {@linkcode runtimeUpstream} keeps idle; resolves once they are
 * closed. They never keep a process alive, but a test that must end with nothing open
 * (Deno's sanitizers), or a server that stops, closes them. Later calls open new ones.
 *
 * @example
 * ```ts
 * import { closeKeptConnections } from "./runtime_upstream.ts";
 * await closeKeptConnections();
 * ```
 */
export function closeKeptConnections(): Promise<void> {
  return pool?.close() ?? Promise.resolve();
}

function makeUpstream(): UpstreamClient {
  const proxied = proxyConfigured();
  const deno = (globalThis as { Deno?: Partial<DenoNet> }).Deno;
  if (!proxied && deno?.connect && deno.startTls) {
    pool = new ConnectionPool(denoConnect(deno as DenoNet));
    return socketClient(pool);
  }
  return fetchClient((input, init) => fetch(input, init), {
    probe: proxied ? null : runtimeProbe(),
  });
}

// Deno's fetch honours the outbound proxy; a socket or a probe of the site would not go
// through it, and the site may be reachable only that way. A variable that cannot be read
// may be set.
function proxyConfigured(): boolean {
  try {
    return Object.values(readVariables(PROXY_VARIABLES)).some((value) => value?.trim());
  } catch {
    return true;
  }
}
