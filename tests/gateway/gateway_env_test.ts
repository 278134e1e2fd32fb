// gateway_env.ts holds only the type of the context's variables; here a route added to the
// app checks that the middleware set every one of them (`client`: middleware/limits_test.ts).
import assert from "node:assert/strict";
import { createApp } from "../../lib/gateway/app.ts";
import { parseConfig } from "../../lib/gateway/config.ts";
import type { GatewayEnv } from "../../lib/gateway/gateway_env.ts";

type Variable = keyof GatewayEnv["Variables"];

Deno.test("every route sees the variables GatewayEnv declares, set before it runs", async () => {
  const app = createApp({ config: parseConfig({}), log: () => {} });
  const seen: Partial<Record<Variable, unknown>> = {};
  app.get("/variables", (c) => {
    const names: Exclude<Variable, "client">[] = [
      "config",
      "session",
      "signatures",
      "siteSessions",
      "log",
    ];
    for (const name of names) seen[name] = c.get(name);
    return c.text("ok");
  });
  assert.equal(await (await app.request("/variables")).text(), "ok");
  assert.deepEqual(Object.entries(seen).filter(([, value]) => value === undefined), []);
  assert.deepEqual((seen.config as GatewayEnv["Variables"]["config"]).bots, ["default"]);
});

Deno.test("the isolate's state is one for every request; the log is each request's own", async () => {
  const app = createApp({ config: parseConfig({}), log: () => {} });
  const seen: GatewayEnv["Variables"][] = [];
  app.get("/variables", (c) => {
    seen.push({ ...c.var });
    return c.text("ok");
  });
  await app.request("/variables");
  await app.request("/variables");
  const [one, two] = seen;
  assert.equal(one!.session, two!.session);
  assert.equal(one!.signatures, two!.signatures);
  assert.equal(one!.siteSessions, two!.siteSessions);
  assert.notEqual(one!.log, two!.log);
});
