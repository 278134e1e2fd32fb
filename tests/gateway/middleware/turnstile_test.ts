import assert from "node:assert/strict";
import { Hono } from "hono";
import type { GatewayEnv } from "../../../lib/gateway/gateway_env.ts";
import type { ClientIdentity } from "../../../lib/gateway/limits/client_identity.ts";
import { renderError } from "../../../lib/gateway/middleware/edge.ts";
import { turnstile, type TurnstileOptions } from "../../../lib/gateway/middleware/turnstile.ts";
import { STAND_IN_SECRET, startTurnstileStandIn } from "../limits/turnstile_stand_in.ts";

const ANONYMOUS: ClientIdentity = { keyed: false, id: "ip:203.0.113.7", address: "203.0.113.7" };
const OTHER: ClientIdentity = { keyed: false, id: "ip:203.0.113.8", address: "203.0.113.8" };
const KEYED: ClientIdentity = { keyed: true, id: "key:abc", address: "203.0.113.7" };

/** A bare app: the client the limits would name (from `x-test-client`), then `turnstile`. */
function appWith(options: TurnstileOptions) {
  const app = new Hono<GatewayEnv>().onError(renderError);
  let reached = 0;
  app.use(async (c, next) => {
    const name = c.req.header("x-test-client");
    if (name) c.set("client", name === "other" ? OTHER : name === "keyed" ? KEYED : ANONYMOUS);
    await next();
  });
  app.use(turnstile(options)).post("/", (c) => {
    reached++;
    return c.text("served");
  });
  const ask = (headers: Record<string, string> = {}) =>
    app.request("/", { method: "POST", headers: { "x-test-client": "anon", ...headers } });
  return { ask, reached: () => reached };
}

const settingsOf = (verifyUrl: string) => ({
  settings: { siteKey: "0x4AAAAAAA-site", secretKey: STAND_IN_SECRET, verifyUrl },
});

Deno.test("turnstile alone asks nothing without settings, of a keyed client, or without a client", async () => {
  await using standIn = startTurnstileStandIn();
  assert.equal((await appWith({ settings: null }).ask()).status, 200);
  const { ask } = appWith(settingsOf(standIn.url));
  assert.equal((await ask({ "x-test-client": "keyed" })).status, 200);
  assert.equal((await ask({ "x-test-client": "" })).status, 200);
  assert.equal(standIn.forms.length, 0);
});

Deno.test("turnstile alone refuses an anonymous client without a token, before siteverify or the route", async () => {
  await using standIn = startTurnstileStandIn();
  const { ask, reached } = appWith(settingsOf(standIn.url));
  const response = await ask();
  assert.equal(response.status, 403);
  assert.equal((await response.json()).error.code, "turnstile_required");
  assert.equal(standIn.forms.length, 0);
  assert.equal(reached(), 0);
});

Deno.test("a good token is checked once; the pass it earns stands in for the client alone", async () => {
  await using standIn = startTurnstileStandIn();
  const { ask } = appWith(settingsOf(standIn.url));
  const first = await ask({ "x-turnstile-token": "good" });
  assert.equal(await first.text(), "served");
  assert.equal(standIn.forms[0]?.get("remoteip"), ANONYMOUS.address);
  const pass = first.headers.get("x-gateway-pass");
  assert.ok(pass);
  assert.equal((await ask({ "x-gateway-pass": pass })).status, 200);
  assert.equal(standIn.forms.length, 1, "the pass needs no siteverify");
  const other = await ask({ "x-test-client": "other", "x-gateway-pass": pass });
  assert.equal((await other.json()).error.code, "turnstile_required");
});

Deno.test("a used or invalid token is a 403 that says which, and siteverify down a 503", async () => {
  await using standIn = startTurnstileStandIn();
  const { ask } = appWith(settingsOf(standIn.url));
  await (await ask({ "x-turnstile-token": "good-once" })).text();
  const again = await ask({ "x-turnstile-token": "good-once" });
  assert.equal((await again.json()).error.code, "turnstile_expired");
  const invalid = await ask({ "x-turnstile-token": "forged" });
  assert.equal((await invalid.json()).error.code, "turnstile_invalid");
  const closed = Deno.listen({ hostname: "127.0.0.1", port: 0 });
  const deadUrl = `http://127.0.0.1:${(closed.addr as Deno.NetAddr).port}/siteverify`;
  closed.close();
  const down = await appWith(settingsOf(deadUrl)).ask({ "x-turnstile-token": "good" });
  assert.equal(down.status, 503);
  assert.equal((await down.json()).error.code, "turnstile_unavailable");
});
