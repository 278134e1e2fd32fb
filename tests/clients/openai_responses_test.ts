/** openai-node's Responses API (`responses.create`, `responses.stream`) against the gateway. */
import assert from "node:assert/strict";
import OpenAI from "openai";
import { startGateway } from "../contract/gateway.ts";
import { ANSWER } from "../contract/http_client.ts";
import { ask } from "./snippets/openai_responses.ts";

Deno.test("the openai npm package's Responses API against the gateway", async (t) => {
  await using gw = await startGateway({ API_KEYS: "k" });
  const openai = new OpenAI({ baseURL: `${gw.base}/v1`, apiKey: "k", maxRetries: 0 });

  await t.step("responses.create streamed: every event, the text in deltas", async () => {
    const stream = await openai.responses.create({
      model: "default",
      input: "Hello",
      stream: true,
    });
    let text = "";
    let completed: OpenAI.Responses.Response | null = null;
    for await (const event of stream) {
      if (event.type === "response.output_text.delta") text += event.delta;
      if (event.type === "response.completed") completed = event.response;
    }
    assert.equal(text, ANSWER);
    assert.equal(completed?.status, "completed");
    assert.ok((completed?.usage?.total_tokens ?? 0) > 0);
  });

  await t.step("responses.create whole: output_text, and the request id", async () => {
    const { data, request_id } = await openai.responses.create({
      model: "default",
      input: [{ role: "user", content: [{ type: "input_text", text: "Hello" }] }],
    }).withResponse();
    assert.equal(data.output_text, ANSWER);
    assert.match(request_id ?? "", /^req_/);
  });

  await t.step("responses.stream: its events and its final response", async () => {
    const stream = openai.responses.stream({ model: "default", input: "Hello" });
    const deltas: string[] = [];
    stream.on("response.output_text.delta", (event) => deltas.push(event.delta));
    const final = await stream.finalResponse();
    assert.equal(final.output_text, ANSWER);
    assert.equal(deltas.join(""), ANSWER);
  });

  await t.step("responses.stream of a cut answer ends failed, with its error", async () => {
    const stream = openai.responses.stream({ model: "default", input: "Hello __fake:noend" });
    const final = await stream.finalResponse();
    assert.equal(final.status, "failed");
    assert.equal(final.error?.code, "upstream_truncated");
    assert.equal((final.output[0] as { status: string }).status, "incomplete");
  });

  await t.step("the snippet of docs/clients.md follows up in the same conversation", async () => {
    assert.deepEqual(await ask(gw.base, "k", "Hello"), [ANSWER, ANSWER]);
    const body = gw.site.submits.at(-1)!.body as Record<string, unknown>;
    assert.deepEqual(body.messages, [
      { role: "user", content: "Hello" },
      { role: "assistant", content: ANSWER },
    ]);
  });
});
