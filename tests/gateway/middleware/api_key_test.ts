import assert from "node:assert/strict";
import { Hono } from "hono";
import type { GatewayEnv } from "../../../lib/gateway/gateway_env.ts";
import { hasValidKey } from "../../../lib/gateway/request/bearer_key.ts";
import { apiKey, requireKey } from "../../../lib/gateway/middleware/api_key.ts";
import { renderError } from "../../../lib/gateway/middleware/edge.ts";
import { HttpError } from "../../../lib/gateway/http_error.ts";

const KEYS = ["k1-secret", "k2-secret"];

Deno.test("with no keys configured no key is valid, but requireKey lets every request in", async () => {
  assert.equal(await hasValidKey("Bearer anything", []), false);
  await requireKey(null, []);
  await requireKey("Bearer anything", []);
});

Deno.test("requireKey lets a valid key in", async () => {
  await requireKey("Bearer k2-secret", KEYS);
});

Deno.test("requireKey refuses a missing key with 401, saying how to send one", async () => {
  await assert.rejects(requireKey(null, KEYS), (error) => {
    assert.ok(error instanceof HttpError);
    assert.equal(error.status, 401);
    assert.equal(error.type, "authentication_error");
    assert.equal(error.code, "invalid_api_key");
    assert.match(error.message, /^Missing API key/);
    assert.equal(error.headers["www-authenticate"], 'Bearer realm="mwai-edge"');
    return true;
  });
});

Deno.test("requireKey refuses a wrong key with 401 and does not echo it", async () => {
  await assert.rejects(requireKey("Bearer k3-secret", KEYS), (error) => {
    assert.ok(error instanceof HttpError);
    assert.equal(error.status, 401);
    assert.equal(error.message, "Invalid API key");
    assert.ok(!JSON.stringify(error.toJSON()).includes("k3-secret"));
    return true;
  });
});

/** A bare app with only `apiKey` in front of one route. */
function appWith(options: Parameters<typeof apiKey>[0]) {
  const app = new Hono<GatewayEnv>().onError(renderError);
  app.use(apiKey(options)).post("/", (c) => c.text("served"));
  return (headers: Record<string, string> = {}) => app.request("/", { method: "POST", headers });
}

Deno.test("apiKey alone: a valid key passes, a missing or wrong one is a 401", async () => {
  const ask = appWith({ keys: KEYS });
  assert.equal(await (await ask({ authorization: "Bearer k2-secret" })).text(), "served");
  assert.equal((await ask()).status, 401);
  assert.equal((await ask({ authorization: "Bearer nope" })).status, 401);
});

Deno.test("apiKey alone with no keys lets every request in", async () => {
  const ask = appWith({ keys: [] });
  assert.equal((await ask()).status, 200);
  assert.equal((await ask({ authorization: "Bearer anything" })).status, 200);
});

Deno.test("apiKey with publicChat lets a request without Authorization in, never a wrong key", async () => {
  const ask = appWith({ keys: KEYS, publicChat: true });
  assert.equal((await ask()).status, 200);
  assert.equal((await ask({ authorization: "Bearer k1-secret" })).status, 200);
  const wrong = await ask({ authorization: "Bearer nope" });
  assert.equal(wrong.status, 401);
  assert.equal((await wrong.json()).error.message, "Invalid API key");
});

Deno.test("apiKey reads its keys per request when given a function", async () => {
  let keys = ["first-key"];
  const ask = appWith(() => ({ keys }));
  assert.equal((await ask({ authorization: "Bearer first-key" })).status, 200);
  keys = ["second-key"];
  assert.equal((await ask({ authorization: "Bearer first-key" })).status, 401);
});
