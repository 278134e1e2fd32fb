import assert from "node:assert/strict";
import { signBody } from "../../../lib/gateway/request/signature.ts";
import { appOverSite } from "../../support/app_over_site.ts";
import { ANSWER, assertError } from "../../contract/http_client.ts";

const SECRET = "whsec-test";

Deno.test("the answer is one JSON object: the whole reply, the model and the usage, and no more", async () => {
  await using gw = await appOverSite();
  const response = await gw.post("/api/webhook", { message: "Hi" });
  const answer = await response.json();
  assert.deepEqual(Object.keys(answer), ["reply", "model", "usage"]);
  assert.deepEqual([answer.reply, answer.model], [ANSWER, "default"]);
  assert.ok(answer.usage.total_tokens > 0);
});

Deno.test("the model is the one asked, else the bot's name", async () => {
  await using gw = await appOverSite({ AI_ENGINE_BOTS: "default,support" });
  const answer = await (await gw.post("/api/webhook", { message: "Hi", model: "support" })).json();
  assert.equal(answer.model, "support");
});

Deno.test("the site's actions, shortcuts and blocks are top-level beside the reply", async () => {
  const actions = [{ type: "function", data: { name: "openCart" } }];
  await using gw = await appOverSite({}, { endExtras: { actions } });
  const answer = await (await gw.post("/api/webhook", { message: "Hi" })).json();
  assert.deepEqual(answer.actions, actions);
  assert.deepEqual([answer.images, answer.shortcuts, answer.blocks], [[], [], []]);
});

Deno.test("the answer's characters count against the client's answer budget", async () => {
  await using gw = await appOverSite({ ANON_ANSWER_BUDGET_PER_DAY: "1000" });
  await (await gw.post("/api/webhook", { message: "Hi" })).json();
  const next = await gw.post("/api/webhook", { message: "Hi" });
  await next.body?.cancel();
  assert.match(next.headers.get("ratelimit") ?? "", new RegExp(`"day";r=${1000 - ANSWER.length};`));
});

Deno.test("in tokens, the budget counts the site's count of the answer's tokens", async () => {
  await using gw = await appOverSite({
    ANON_ANSWER_BUDGET_PER_DAY: "1000",
    ANSWER_BUDGET_UNIT: "tokens",
  });
  const { usage } = await (await gw.post("/api/webhook", { message: "Hi" })).json();
  const next = await gw.post("/api/webhook", { message: "Hi" });
  await next.body?.cancel();
  assert.match(
    next.headers.get("ratelimit") ?? "",
    new RegExp(`"day";r=${1000 - usage.total_tokens};`),
  );
});

Deno.test("a gateway with neither keys nor a secret answers any caller", async () => {
  await using gw = await appOverSite();
  const response = await gw.post("/api/webhook", { message: "Hi" }, { authorization: "Bearer x" });
  assert.equal((await response.json()).reply, ANSWER);
});

Deno.test("with keys and no secret, a caller without a key is 401 asking for a key or signature", async () => {
  await using gw = await appOverSite({ API_KEYS: "k1" });
  const error = await assertError(
    await gw.post("/api/webhook", { message: "Hi" }),
    401,
    "invalid_api_key",
  );
  assert.match(error.message, /Missing API key or signature/);
  const keyed = await gw.post("/api/webhook", { message: "Hi" }, { authorization: "Bearer k1" });
  assert.equal((await keyed.json()).reply, ANSWER);
});

Deno.test("with a secret and a wrong key, a signed call still passes by its signature", async () => {
  await using gw = await appOverSite({ API_KEYS: "k1", WEBHOOK_SECRET: SECRET });
  const body = JSON.stringify({ message: "Hi" });
  const timestamp = String(Math.floor(Date.now() / 1000));
  const headers = {
    authorization: "Bearer wrong",
    "x-signature-timestamp": timestamp,
    "x-signature-256": await signBody(SECRET, timestamp, new TextEncoder().encode(body)),
  };
  const response = await gw.post("/api/webhook", body, headers);
  assert.equal((await response.json()).reply, ANSWER);
  await assertError(
    await gw.post("/api/webhook", body, { authorization: "Bearer wrong" }),
    401,
    "invalid_api_key",
  );
});
