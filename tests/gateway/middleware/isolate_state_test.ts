import assert from "node:assert/strict";
import { Hono } from "hono";
import type { GatewayEnv } from "../../../lib/gateway/gateway_env.ts";
import { parseConfig } from "../../../lib/gateway/config.ts";
import { gatewayState } from "../../../lib/gateway/state.ts";
import { renderError } from "../../../lib/gateway/middleware/edge.ts";
import { isolateState } from "../../../lib/gateway/middleware/isolate_state.ts";

const noFetch: typeof fetch = () => Promise.reject(new Error("no fetch expected"));

/** A bare app with only `isolateState`, whose route says what it found in the context. */
function appWith(state: ReturnType<typeof gatewayState>) {
  const app = new Hono<GatewayEnv>().onError(renderError);
  const seen: GatewayEnv["Variables"][] = [];
  app.use(isolateState(state)).get("/", (c) => {
    seen.push({ ...c.var });
    return c.text(c.var.config.siteUrl);
  });
  return { app, seen };
}

Deno.test("isolateState hands every request the one state of the isolate", async () => {
  const state = gatewayState({
    config: parseConfig({ AI_ENGINE_URL: "https://site.example", API_KEYS: "k1" }),
    fetch: noFetch,
    write: () => {},
  });
  const { app, seen } = appWith(state);
  assert.equal(await (await app.request("/")).text(), "https://site.example");
  await app.request("/");
  const [first, second] = seen;
  assert.equal(first!.config, second!.config);
  assert.equal(first!.session, second!.session);
  assert.equal(first!.signatures, second!.signatures);
  assert.equal(first!.siteSessions, second!.siteSessions);
});

Deno.test("isolateState asks the state with the request's bindings, as Workers hand them", async () => {
  const made = gatewayState({ config: parseConfig({}), fetch: noFetch, write: () => {} });
  const asked: unknown[] = [];
  const { app } = appWith((bindings) => {
    asked.push(bindings);
    return made(bindings);
  });
  const bindings = { AI_ENGINE_URL: "https://bound.example" };
  await app.request("/", {}, bindings);
  assert.deepEqual(asked, [bindings]);
});

Deno.test("isolateState fails a request with a 500 naming a bad variable, until it is fixed", async () => {
  let bad = true;
  const good = gatewayState({ config: parseConfig({}), fetch: noFetch, write: () => {} });
  const { app } = appWith((bindings) => {
    if (bad) parseConfig({ MAX_BODY_BYTES: "lots" });
    return good(bindings);
  });
  const failed = await app.request("/");
  assert.equal(failed.status, 500);
  const { error } = await failed.json();
  assert.equal(error.code, "config_error");
  assert.match(error.message, /MAX_BODY_BYTES/);
  bad = false;
  assert.equal((await app.request("/")).status, 200);
});

Deno.test("isolateState hands the state the request's waitUntil where the runtime has one", async () => {
  const made = gatewayState({ config: parseConfig({}), fetch: noFetch, write: () => {} });
  const given: (((work: Promise<unknown>) => void) | undefined)[] = [];
  const { app } = appWith((bindings, waitUntil) => {
    given.push(waitUntil);
    return made(bindings);
  });
  await app.request("/");
  assert.equal(given[0], undefined, "Deno.serve has no waitUntil");
  const kept: Promise<unknown>[] = [];
  const context = { waitUntil: (work: Promise<unknown>) => kept.push(work) };
  await app.request("/", {}, {}, { ...context, passThroughOnException() {}, props: {} });
  const work = Promise.resolve("warmed");
  given[1]!(work);
  assert.deepEqual(kept, [work]);
});
