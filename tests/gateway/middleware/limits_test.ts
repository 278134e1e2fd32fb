import assert from "node:assert/strict";
import { createApp } from "../../../lib/gateway/app.ts";
import { parseConfig, type Variables } from "../../../lib/gateway/config.ts";
import type { LimitStore } from "../../../lib/gateway/limits/limit_store.ts";
import { Hono } from "hono";
import type { GatewayEnv } from "../../../lib/gateway/gateway_env.ts";
import type { ClientIdentity } from "../../../lib/gateway/limits/client_identity.ts";
import { parseLimitsConfig } from "../../../lib/gateway/limits/limits_config.ts";
import { MemoryLimitStore } from "../../../lib/gateway/limits/memory_limit_store.ts";
import { edge, renderError } from "../../../lib/gateway/middleware/edge.ts";
import { limits, type LimitsOptions } from "../../../lib/gateway/middleware/limits.ts";

/** A site that cannot be reached: a request the limits let through ends as a 502. */
const unreachable: typeof fetch = () => Promise.reject(new TypeError("no site here"));

const down: LimitStore = {
  take: () => Promise.reject(new Error("store down")),
  acquire: () => Promise.reject(new Error("store down")),
  spend: () => Promise.reject(new Error("store down")),
};

function gateway(vars: Variables, limitStore?: LimitStore) {
  const lines: string[] = [];
  const app = createApp({
    config: parseConfig({ AI_ENGINE_NONCE: "n0nce", ...vars }),
    fetch: unreachable,
    log: (line) => lines.push(line),
    ...(limitStore ? { limitStore } : {}),
  });
  const ask = (headers: Record<string, string> = {}) =>
    app.request("/api/chat", {
      method: "POST",
      headers: { "content-type": "application/json", ...headers },
      body: JSON.stringify({ message: "Hello" }),
    });
  return { ask, lines: () => lines.map((line) => JSON.parse(line)) };
}

Deno.test("a store that is down refuses anonymous clients by default, before the site is called", async () => {
  const { ask } = gateway({}, down);
  const response = await ask();
  assert.equal(response.status, 503);
  assert.equal((await response.json()).error.code, "limits_unavailable");
  assert.equal(response.headers.get("x-should-retry"), "true");
});

Deno.test("a store that is down lets keyed clients through by default, and the log says so", async () => {
  const { ask, lines } = gateway({ API_KEYS: "k1", KEY_REQUESTS_PER_MINUTE: "10" }, down);
  const response = await ask({ authorization: "Bearer k1" });
  assert.equal(response.status, 502, "the request reached the (unreachable) site");
  await response.body?.cancel();
  assert.equal(lines().at(-1).limits_unavailable, true);
});

Deno.test("either default can be turned: anonymous open, keyed closed", async () => {
  const open = gateway({ ANON_LIMITS_FAIL: "open" }, down);
  assert.equal((await open.ask()).status, 502);
  const closed = gateway(
    { API_KEYS: "k1", KEY_CONCURRENT_ANSWERS: "2", KEY_LIMITS_FAIL: "closed" },
    down,
  );
  assert.equal((await closed.ask({ authorization: "Bearer k1" })).status, 503);
});

Deno.test("anonymous limits can be turned off, and then no store is asked", async () => {
  const { ask } = gateway(
    { ANON_REQUESTS_PER_MINUTE: "off", ANON_CONCURRENT_ANSWERS: "off" },
    down,
  );
  const response = await ask();
  assert.equal(response.status, 502);
  assert.equal(response.headers.get("ratelimit-policy"), null);
});

Deno.test("gateways on one Deno KV database share a client's limit, as isolates of one deployment", async () => {
  const dir = await Deno.makeTempDir({ dir: ".", prefix: ".limits-kv-" });
  try {
    const vars = {
      LIMITS_STORE: "deno-kv",
      DENO_KV_PATH: `${dir}/limits.sqlite`,
      ANON_REQUESTS_PER_MINUTE: "1",
    };
    const one = gateway(vars);
    const two = gateway(vars);
    assert.equal((await one.ask()).status, 502);
    const refused = await two.ask();
    assert.equal(refused.status, 429);
    assert.match((await refused.json()).error.message, /^Gateway limit/);
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("a bad limit names its variable", () => {
  assert.throws(
    () => parseConfig({ ANON_REQUESTS_PER_MINUTE: "lots" }),
    /ANON_REQUESTS_PER_MINUTE/,
  );
  assert.throws(() => parseConfig({ LIMITS_STORE: "redis" }), /LIMITS_STORE/);
  assert.throws(() => parseConfig({ PUBLIC_CHAT: "yes" }), /PUBLIC_CHAT/);
});

/** A bare app with `edge` and `limits` in front of one route whose body the test holds open. */
function limitedApp(vars: Variables, extra: Partial<LimitsOptions> = {}) {
  const app = new Hono<GatewayEnv>().onError(renderError);
  const clients: ClientIdentity[] = [];
  const bodies: ReadableStreamDefaultController<Uint8Array>[] = [];
  const options: LimitsOptions = {
    limits: parseLimitsConfig(vars),
    apiKeys: ["k1"],
    webhookSecret: null,
    answerTimeoutMs: 60_000,
    store: new MemoryLimitStore(),
    ...extra,
  };
  app.use(edge(() => {}), limits(options)).post("/", (c) => {
    clients.push(c.var.client);
    c.var.log.answer.characters = 50;
    return c.body(new ReadableStream({ start: (controller) => void bodies.push(controller) }));
  });
  const ask = (headers: Record<string, string> = {}) =>
    app.request("/", { method: "POST", headers });
  return { ask, clients, bodies };
}

Deno.test("limits alone: a client over its requests a minute gets a 429 and the route is not run", async () => {
  const { ask, clients, bodies } = limitedApp({ ANON_REQUESTS_PER_MINUTE: "1" });
  const first = await ask();
  assert.match(first.headers.get("ratelimit-policy") ?? "", /"minute";q=1/);
  const second = await ask();
  assert.equal(second.status, 429);
  assert.match((await second.json()).error.message, /^Gateway limit: 1 requests a minute/);
  assert.equal(clients.length, 1);
  bodies[0]!.close();
  await first.body?.cancel();
});

Deno.test("limits alone: a slot is held while the answer streams and given back when it ends", async () => {
  const { ask, bodies } = limitedApp({
    ANON_REQUESTS_PER_MINUTE: "off",
    ANON_CONCURRENT_ANSWERS: "1",
  });
  const first = await ask();
  assert.equal((await ask()).status, 429);
  bodies[0]!.close();
  await first.text();
  const third = await ask();
  assert.equal(third.status, 200);
  bodies[1]!.close();
  await third.text();
});

Deno.test("limits alone: a valid key makes a keyed client, counted by its key's digest", async () => {
  const { ask, clients, bodies } = limitedApp({});
  const keyed = await ask({ authorization: "Bearer k1" });
  const anonymous = await ask();
  assert.equal(clients[0]!.keyed, true);
  assert.doesNotMatch(clients[0]!.id, /k1/);
  assert.equal(clients[1]!.keyed, false);
  for (const body of bodies) body.close();
  await keyed.text();
  await anonymous.text();
});

Deno.test("limits alone: an answer's characters, as the log counted them, spend the day's budget", async () => {
  const { ask, bodies } = limitedApp({
    ANON_REQUESTS_PER_MINUTE: "off",
    ANON_ANSWER_BUDGET_PER_DAY: "40",
  });
  const first = await ask();
  bodies[0]!.close();
  await first.text();
  const second = await ask();
  assert.equal(second.status, 429);
  assert.match((await second.json()).error.message, /answer budget of 40 a day/);
});
