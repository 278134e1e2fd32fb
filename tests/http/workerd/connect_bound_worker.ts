/**
 * A Worker that asks one URL through the gateway's own `fetchClient` with the runtime's
 * probe and a connect bound, and says how it went: what `connect_timeout_workerd_test.ts`
 * runs in workerd (`wrangler dev`), where the probe is `cloudflare:sockets`.
 *
 * `GET /?url=<site>&connectTimeoutMs=<ms>[&method=POST]` → `{ "outcome": "answered", "status": 200 }`, or
 * `{ "outcome": "<error name>" }`.
 *
 * @module
 */
import { runtimeProbe } from "../../../lib/http/site_probe.ts";
import { fetchClient } from "../../../lib/http/upstream_client.ts";

const client = fetchClient((input, init) => fetch(input, init), { probe: runtimeProbe() });

export default {
  async fetch(request: Request): Promise<Response> {
    const asked = new URL(request.url).searchParams;
    try {
      const response = await client(asked.get("url")!, {
        method: asked.get("method") === "POST" ? "POST" : "GET",
        headers: {},
        connectTimeoutMs: Number(asked.get("connectTimeoutMs")),
      });
      await response.body.cancel();
      return Response.json({ outcome: "answered", status: response.status });
    } catch (error) {
      return Response.json({ outcome: error instanceof Error ? error.name : String(error) });
    }
  },
};
