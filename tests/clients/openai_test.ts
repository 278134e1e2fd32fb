/** The official `openai` npm package against the gateway: the snippet of docs/clients.md. */
import assert from "node:assert/strict";
import OpenAI from "openai";
import { startGateway } from "../contract/gateway.ts";
import { ANSWER } from "../contract/http_client.ts";
import { ask } from "./snippets/openai.ts";

Deno.test("the openai npm package against the gateway", async (t) => {
  await using gw = await startGateway({ API_KEYS: "k" });
  const openai = new OpenAI({ baseURL: `${gw.base}/v1`, apiKey: "k" });

  await t.step("a streamed completion, its usage last", async () => {
    const stream = await openai.chat.completions.create({
      model: "default",
      messages: [{ role: "user", content: "Hello" }],
      stream: true,
      stream_options: { include_usage: true },
    });
    let text = "";
    let tokens = 0;
    for await (const chunk of stream) {
      text += chunk.choices[0]?.delta.content ?? "";
      tokens = chunk.usage?.total_tokens ?? tokens;
    }
    assert.equal(text, ANSWER);
    assert.ok(tokens > 0);
  });

  await t.step("a whole completion, and the request id of the response", async () => {
    const { data, response, request_id } = await openai.chat.completions.create({
      model: "default",
      messages: [{ role: "user", content: "Hello" }],
    }).withResponse();
    assert.equal(data.choices[0]?.message.content, ANSWER);
    assert.equal(request_id, response.headers.get("x-request-id"));
    assert.match(request_id ?? "", /^req_/);
  });

  await t.step("models.retrieve and models.list", async () => {
    assert.equal((await openai.models.retrieve("default")).owned_by, "ai-engine");
    const ids = [];
    for await (const model of openai.models.list()) ids.push(model.id);
    assert.deepEqual(ids, ["default"]);
  });

  await t.step("a hung site's 504 is not retried, though the client retries twice", async () => {
    await using slow = await startGateway({ UPSTREAM_TIMEOUT_MS: "300" });
    const client = new OpenAI({ baseURL: `${slow.base}/v1`, apiKey: "none" });
    await assert.rejects(
      client.chat.completions.create({
        model: "default",
        messages: [{ role: "user", content: "Hello __fake:hang" }],
      }),
      (error) => error instanceof OpenAI.APIError && error.status === 504,
    );
    assert.equal(slow.site.submits.length, 1);
  });

  await t.step("the snippet of docs/clients.md streams the answer", async () => {
    assert.equal(await ask(gw.base, "k", "Hello"), ANSWER);
  });
});
