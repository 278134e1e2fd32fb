import assert from "node:assert/strict";
import { HttpError } from "../../../lib/gateway/http_error.ts";
import { cors, corsHeaders, ownOrigin } from "../../../lib/gateway/middleware/cors.ts";
import { Hono } from "hono";
import type { GatewayEnv } from "../../../lib/gateway/gateway_env.ts";
import { renderError } from "../../../lib/gateway/middleware/edge.ts";
import { parseServedNames } from "../../../lib/gateway/served_names.ts";

const OWN = "https://gw.example";
const refused = (error: unknown) =>
  error instanceof HttpError && error.status === 403 && error.code === "origin_not_allowed";

Deno.test("the own origin needs no CORS: the same scheme, host and port, nothing else", () => {
  assert.equal(corsHeaders(null, OWN, []), null);
  assert.equal(corsHeaders(OWN, OWN, []), null);
  assert.equal(corsHeaders("http://localhost:8000", "http://localhost:8000", []), null);
  for (
    const origin of [
      "http://gw.example",
      "https://gw.example:8443",
      "https://gw.example:443",
      "https://user@gw.example",
      "https://user:pw@gw.example",
      "https://gw.example/",
      "https://gw.example/path",
      "https://GW.example",
      "https://evil.example",
      "not an origin",
      "null",
    ]
  ) {
    assert.throws(() => corsHeaders(origin, OWN, []), refused, origin);
  }
});

Deno.test("an Origin with a user name is refused even when ALLOWED_ORIGINS is *", () => {
  assert.throws(() => corsHeaders("https://user@a.example", OWN, "*"), refused);
  assert.deepEqual(corsHeaders("https://a.example", OWN, "*"), {
    "access-control-allow-origin": "*",
    vary: "Origin",
  });
});

Deno.test("an allowed origin gets its own name back, and Vary", () => {
  assert.deepEqual(corsHeaders("https://a.example", OWN, ["https://a.example"]), {
    "access-control-allow-origin": "https://a.example",
    vary: "Origin",
  });
});

/** A bare app with only `cors` in front of one route, which fails when asked to. */
function appWith(options: Parameters<typeof cors>[0]) {
  const app = new Hono<GatewayEnv>().onError(renderError);
  let reached = 0;
  app.use(cors(options)).post("/", (c) => {
    reached++;
    if (c.req.query("fail") !== undefined) {
      throw new HttpError(400, "Bad", { type: "invalid_request_error", code: "bad" });
    }
    return c.text("served");
  });
  const ask = (url: string, headers: Record<string, string> = {}, method = "POST") =>
    app.request(url, { method, headers });
  return { ask, reached: () => reached };
}

const loopbackOnly = parseServedNames(undefined, null, null);

Deno.test("cors alone answers a preflight itself, and the route is not run", async () => {
  const { ask, reached } = appWith({
    allowedOrigins: ["https://a.example"],
    publicOrigin: null,
    servedNames: loopbackOnly,
  });
  const preflight = await ask("http://localhost/", {
    origin: "https://a.example",
    "access-control-request-method": "POST",
    "access-control-request-headers": "content-type, x-stainless-os",
  }, "OPTIONS");
  assert.equal(preflight.status, 204);
  assert.equal(preflight.headers.get("access-control-allow-origin"), "https://a.example");
  assert.equal(
    preflight.headers.get("access-control-allow-headers"),
    "content-type, x-stainless-os",
  );
  assert.equal(reached(), 0);
});

Deno.test("cors alone puts its headers on an allowed origin's answers, errors included", async () => {
  const { ask } = appWith({ allowedOrigins: "*", publicOrigin: null, servedNames: loopbackOnly });
  for (const url of ["http://localhost/", "http://localhost/?fail"]) {
    const response = await ask(url, { origin: "https://any.example" });
    await response.body?.cancel();
    assert.equal(response.headers.get("access-control-allow-origin"), "*");
    assert.match(response.headers.get("access-control-expose-headers") ?? "", /x-gateway-pass/);
  }
});

Deno.test("without PUBLIC_URL the request's origin is its own only on a name it serves", async () => {
  const { ask, reached } = appWith({
    allowedOrigins: [],
    publicOrigin: null,
    servedNames: parseServedNames("chat.example.com", null, null),
  });
  const own = await ask("http://chat.example.com:8000/", {
    origin: "http://chat.example.com:8000",
  });
  assert.equal(await own.text(), "served");
  assert.equal(own.headers.get("access-control-allow-origin"), null);
  // What DNS rebinding sends, were the Host check not in front: refused here too.
  const rebound = await ask("http://evil.example:8000/", { origin: "http://evil.example:8000" });
  assert.equal(rebound.status, 403);
  assert.equal(reached(), 1);
});

Deno.test("with PUBLIC_URL only its origin is the own one, whatever the request says", async () => {
  const { ask } = appWith({
    allowedOrigins: [],
    publicOrigin: "https://chat.example.com",
    servedNames: loopbackOnly,
  });
  const page = await ask("http://127.0.0.1:8000/", { origin: "https://chat.example.com" });
  assert.equal(await page.text(), "served");
  const local = await ask("http://127.0.0.1:8000/", { origin: "http://127.0.0.1:8000" });
  assert.equal(local.status, 403);
});

Deno.test("ownOrigin: PUBLIC_URL's, else the request's on a served name, else none", () => {
  const served = parseServedNames("chat.example.com", null, null);
  assert.equal(ownOrigin("http://x.example/", "https://gw.example", served), "https://gw.example");
  assert.equal(ownOrigin("https://chat.example.com/a", null, served), "https://chat.example.com");
  assert.equal(ownOrigin("http://localhost:8000/", null, served), "http://localhost:8000");
  assert.equal(ownOrigin("http://evil.example/", null, served), null);
  assert.equal(
    ownOrigin("http://evil.example/", null, parseServedNames("*", null, null)),
    "http://evil.example",
  );
  assert.equal(corsHeaders(null, null, []), null);
  assert.throws(() => corsHeaders("http://evil.example", null, []), refused);
});
