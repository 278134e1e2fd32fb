import assert from "node:assert/strict";
import { Hono } from "hono";
import type { GatewayEnv } from "../../../lib/gateway/gateway_env.ts";
import { optionsFor, type PerRequest } from "../../../lib/gateway/middleware/per_request.ts";

Deno.test("options given once are the same object for every request", async () => {
  const options = { keys: ["k1"] };
  const app = new Hono<GatewayEnv>();
  app.get("/", (c) => c.text(String(optionsFor(options, c) === options)));
  assert.equal(await (await app.request("/")).text(), "true");
  assert.equal(await (await app.request("/")).text(), "true");
});

Deno.test("options as a function are read from each request's context", async () => {
  const options: PerRequest<{ name: string }> = (c) => ({ name: c.req.query("name") ?? "" });
  const app = new Hono<GatewayEnv>();
  app.get("/", (c) => c.text(optionsFor(options, c).name));
  assert.equal(await (await app.request("/?name=a")).text(), "a");
  assert.equal(await (await app.request("/?name=b")).text(), "b");
});
