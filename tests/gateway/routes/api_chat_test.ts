import assert from "node:assert/strict";
import { appOverSite, assertStreamHeaders } from "../../support/app_over_site.ts";
import { ANSWER, assertError } from "../../contract/http_client.ts";

Deno.test("the answer is its text alone, as plain UTF-8, with the headers of a stream", async () => {
  await using gw = await appOverSite();
  const response = await gw.post("/api/chat", { message: "Hi" });
  assert.equal(response.status, 200);
  assert.equal(response.headers.get("content-type"), "text/plain; charset=utf-8");
  assertStreamHeaders(response);
  assert.equal(await response.text(), ANSWER);
});

Deno.test("the model picks the bot; a model of no bot is 404 and the site is not asked", async () => {
  await using gw = await appOverSite({ AI_ENGINE_BOTS: "default,support" });
  await (await gw.post("/api/chat", { message: "Hi", model: "support" })).text();
  assert.equal((gw.site.submits[0]!.body as Record<string, unknown>).botId, "support");
  await assertError(
    await gw.post("/api/chat", { message: "Hi", model: "x" }),
    404,
    "model_not_found",
  );
  assert.equal(gw.site.submits.length, 1);
});

Deno.test("a body that is not a chat request is 400 and the site is not asked", async () => {
  await using gw = await appOverSite();
  await assertError(await gw.post("/api/chat", "{not json"), 400, "invalid_json");
  await assertError(await gw.post("/api/chat", { nothing: true }), 400, "invalid_request");
  assert.equal(gw.site.requests.length, 0);
});

Deno.test("a failure after the first text ends the body abnormally, so the client's read rejects", async () => {
  await using gw = await appOverSite();
  const response = await gw.post("/api/chat", { message: "Hi __fake:cut" });
  assert.equal(response.status, 200);
  await assert.rejects(() => response.text());
});
