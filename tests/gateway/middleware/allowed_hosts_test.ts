import assert from "node:assert/strict";
import { Hono } from "hono";
import type { GatewayEnv } from "../../../lib/gateway/gateway_env.ts";
import { allowedHosts } from "../../../lib/gateway/middleware/allowed_hosts.ts";
import { renderError } from "../../../lib/gateway/middleware/edge.ts";
import { parseServedNames, type ServedNames } from "../../../lib/gateway/served_names.ts";

/** A bare app with only `allowedHosts` in front of one route, and how often it ran. */
function appWith(served: ServedNames | (() => ServedNames)) {
  const app = new Hono<GatewayEnv>().onError(renderError);
  let reached = 0;
  app.use(allowedHosts(served)).all("*", (c) => {
    reached++;
    return c.text("served");
  });
  return { app, reached: () => reached };
}

Deno.test("a request for a name not served is a 421 naming ALLOWED_HOSTS, and nothing after runs", async () => {
  const { app, reached } = appWith(parseServedNames("chat.example.com", null, null));
  for (const url of ["http://evil.example/", "http://evil.example:8000/api/chat"]) {
    const response = await app.request(url, { method: "POST" });
    assert.equal(response.status, 421);
    assert.equal(response.headers.get("x-should-retry"), "false");
    const { error } = await response.json();
    assert.equal(error.code, "misdirected_request");
    assert.equal(error.type, "invalid_request_error");
    assert.match(error.message, /evil\.example.*ALLOWED_HOSTS/);
  }
  assert.equal(reached(), 0);
});

Deno.test("loopback names, addresses and the names given pass", async () => {
  const { app, reached } = appWith(parseServedNames("chat.example.com", null, null));
  for (
    const url of [
      "http://localhost/",
      "http://127.0.0.1:8000/",
      "http://[::1]:8000/",
      "http://chat.example.com/",
    ]
  ) {
    assert.equal(await (await app.request(url)).text(), "served", url);
  }
  assert.equal(reached(), 4);
});

Deno.test("a name longer than any host is cut in the message", async () => {
  const { app } = appWith(parseServedNames(undefined, null, null));
  const long = `${"a".repeat(60)}.${"b".repeat(60)}.${"c".repeat(60)}.${"d".repeat(60)}.example`;
  const { error } = await (await app.request(`http://${long}/`)).json();
  assert.ok(error.message.length < 400, error.message);
});

Deno.test("the names can be read per request, as on Workers where they come with the bindings", async () => {
  let asked = 0;
  const { app } = appWith(() => {
    asked++;
    return parseServedNames(undefined, null, "Cloudflare Workers");
  });
  assert.equal((await app.request("http://routed.example/")).status, 200);
  assert.equal((await app.request("http://other.example/")).status, 200);
  assert.equal(asked, 2);
});
