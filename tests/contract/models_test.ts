import assert from "node:assert/strict";
import OpenAI from "openai";
import { RELEASED_AT } from "../../lib/version.ts";
import { startGateway, waitForLog } from "./gateway.ts";
import { ANSWER, assertError, post } from "./http_client.ts";

Deno.test("GET /v1/models/{id} and the trailing-slash completions route", async (t) => {
  await using gw = await startGateway({ AI_ENGINE_BOTS: "default,team/support", API_KEYS: "k" });
  const openai = new OpenAI({ baseURL: `${gw.base}/v1`, apiKey: "k", maxRetries: 0 });
  const auth = { authorization: "Bearer k" };

  await t.step("models.retrieve gets a bot, its percent-encoded id decoded", async () => {
    assert.deepEqual(await openai.models.retrieve("team/support"), {
      id: "team/support",
      object: "model",
      created: RELEASED_AT,
      owned_by: "ai-engine",
    });
    assert.equal((await openai.models.retrieve("gpt-3.5-turbo")).id, "gpt-3.5-turbo");
  });

  await t.step("every model's created is this release's time, not 0", async () => {
    const models = [];
    for await (const model of openai.models.list()) models.push(model);
    assert.deepEqual(models.map((m) => [m.id, m.created]), [
      ["default", RELEASED_AT],
      ["team/support", RELEASED_AT],
    ]);
    assert.ok(RELEASED_AT > Date.parse("2026-01-01") / 1000, "a real timestamp");
  });

  await t.step("an unknown model is 404 model_not_found in OpenAI's shape", async () => {
    const error = await assertError(
      await fetch(`${gw.base}/v1/models/gpt-4o`, { headers: auth }),
      404,
      "model_not_found",
    );
    assert.deepEqual([error.type, error.param], ["invalid_request_error", "model"]);
    await assert.rejects(openai.models.retrieve("nope"), OpenAI.NotFoundError);
  });

  await t.step("the route is guarded by the key like the rest of /v1", async () => {
    await assertError(await fetch(`${gw.base}/v1/models/default`), 401, "invalid_api_key");
  });

  await t.step("POST /v1/chat/completions/ is the same route", async () => {
    const response = await post(gw.base, "/v1/chat/completions/", {
      messages: [{ role: "user", content: "Hello" }],
    }, { headers: auth });
    assert.equal(response.status, 200);
    assert.equal((await response.json()).choices[0].message.content, ANSWER);
    await assertError(
      await fetch(`${gw.base}/v1/chat/completions/`, { headers: auth }),
      405,
      "method_not_allowed",
    );
  });
});

Deno.test("x-request-id and openai-processing-ms on every response", async (t) => {
  await using gw = await startGateway({ API_KEYS: "k" });
  const auth = { authorization: "Bearer k" };

  await t.step("the client's well-formed id is kept, and logged", async () => {
    const response = await post(gw.base, "/v1/chat/completions", {
      messages: [{ role: "user", content: "Hello" }],
      stream: true,
    }, { headers: { ...auth, "x-request-id": "trace-1:abc.DEF_9" } });
    assert.equal(response.headers.get("x-request-id"), "trace-1:abc.DEF_9");
    assert.match(response.headers.get("openai-processing-ms") ?? "", /^\d+$/);
    await response.text();
    await waitForLog(
      gw,
      (lines) => lines.find((line) => line.request_id === "trace-1:abc.DEF_9"),
      "line with request_id trace-1:abc.DEF_9",
    );
  });

  await t.step("a missing or malformed id is replaced by a new one", async () => {
    const ids = new Set<string>();
    for (const sent of [undefined, "a b", "x".repeat(129), "<script>"]) {
      const headers: Record<string, string> = sent === undefined ? {} : { "x-request-id": sent };
      const response = await fetch(`${gw.base}/healthz`, { headers });
      await response.body?.cancel();
      const id = response.headers.get("x-request-id") ?? "";
      assert.match(id, /^req_[0-9a-f]{32}$/, String(sent));
      ids.add(id);
    }
    assert.equal(ids.size, 4);
  });

  await t.step("errors carry them too, as do pages and streams", async () => {
    const responses = [
      await post(gw.base, "/v1/chat/completions", { messages: [] }),
      await fetch(`${gw.base}/nowhere`),
      await fetch(`${gw.base}/`),
      await post(gw.base, "/api/chat", { message: "Hello" }, { headers: auth }),
      await post(gw.base, "/v1/chat/completions", {
        messages: [{ role: "user", content: "Hello __fake:500" }],
      }, { headers: auth }),
    ];
    for (const response of responses) {
      await response.body?.cancel();
      assert.match(response.headers.get("x-request-id") ?? "", /^req_/, response.url);
      assert.match(response.headers.get("openai-processing-ms") ?? "", /^\d+$/);
    }
  });
});
