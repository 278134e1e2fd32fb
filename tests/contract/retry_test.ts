import assert from "node:assert/strict";
import OpenAI from "openai";
import { startGateway } from "./gateway.ts";
import { post } from "./http_client.ts";

Deno.test("retries: x-should-retry tells the SDKs whether trying again can help", async (t) => {
  await using gw = await startGateway({ API_KEYS: "k", UPSTREAM_TIMEOUT_MS: "400" });
  const auth = { authorization: "Bearer k" };
  const ask = (content: string, maxRetries: number) =>
    new OpenAI({ baseURL: `${gw.base}/v1`, apiKey: "k", maxRetries }).chat.completions.create({
      model: "default",
      messages: [{ role: "user", content }],
    });

  await t.step(
    "a hung site (504) is asked once, though the client allows two retries",
    async () => {
      const before = gw.site.submits.length;
      await assert.rejects(
        ask("Hello __fake:hang", 2),
        (error) => error instanceof OpenAI.APIError && error.status === 504,
      );
      assert.equal(gw.site.submits.length - before, 1);
    },
  );

  await t.step("the provider's rate limit (429) is retried by the client", async () => {
    const response = await post(gw.base, "/v1/chat/completions", {
      messages: [{ role: "user", content: "Hello __fake:429" }],
    }, { headers: auth });
    assert.equal(response.status, 429);
    assert.equal(response.headers.get("x-should-retry"), "true");
    await response.body?.cancel();
    const before = gw.site.submits.length;
    await assert.rejects(ask("Hello __fake:429", 1), (error) => error instanceof OpenAI.APIError);
    assert.equal(gw.site.submits.length - before, 2);
  });

  await t.step(
    "a passing failure of the provider says true; a missing route says false",
    async () => {
      const failed = await post(gw.base, "/v1/chat/completions", {
        messages: [{ role: "user", content: "Hello __fake:500" }],
      }, { headers: auth });
      assert.equal(failed.status, 502);
      assert.equal(failed.headers.get("x-should-retry"), "true");
      await failed.body?.cancel();
      // The REST root names a path where AI Engine is not: WordPress's 404 rest_no_route.
      await using lost = await startGateway((site) => ({
        AI_ENGINE_REST_URL: `${site.url}/wp-json/elsewhere`,
      }));
      const missing = await post(lost.base, "/api/chat", { message: "Hello" });
      assert.equal(missing.status, 502);
      assert.equal(missing.headers.get("x-should-retry"), "false");
      assert.match((await missing.json()).error.message, /chatbot route was not found/);
    },
  );

  await t.step("errors of the request itself say false", async () => {
    const cases: [Response, number][] = [
      [await post(gw.base, "/v1/chat/completions", { messages: [] }, { headers: auth }), 400],
      [await post(gw.base, "/v1/chat/completions", { messages: [] }), 401],
      [await fetch(`${gw.base}/nowhere`), 404],
      [await fetch(`${gw.base}/v1/chat/completions`, { headers: auth }), 405],
    ];
    for (const [response, status] of cases) {
      await response.body?.cancel();
      assert.equal(response.status, status);
      assert.equal(response.headers.get("x-should-retry"), "false", String(status));
    }
  });
});
