/** LangChain JS's `ChatOpenAI` against the gateway, pointed at it with `configuration.baseURL`. */
import assert from "node:assert/strict";
import { ChatOpenAI } from "@langchain/openai";
import { z } from "zod";
import { startGateway } from "../contract/gateway.ts";
import { ANSWER } from "../contract/http_client.ts";
import { ask } from "./snippets/langchain.ts";

Deno.test("LangChain's ChatOpenAI against the gateway", async (t) => {
  await using gw = await startGateway({ API_KEYS: "k" });
  // The snippet of docs/clients.md (maxRetries: 0 only keeps the refusals quick here):
  const llm = new ChatOpenAI({
    model: "default",
    apiKey: "k",
    configuration: { baseURL: `${gw.base}/v1` },
    maxRetries: 0,
  });

  await t.step("invoke gets the answer (stream: false on the wire)", async () => {
    const message = await llm.invoke("Hello");
    assert.equal(message.content, ANSWER);
  });

  await t.step("stream gets it in pieces, with the usage", async () => {
    const pieces: string[] = [];
    let usage: unknown = null;
    for await (const chunk of await llm.stream("Hello")) {
      pieces.push(String(chunk.content));
      usage = chunk.usage_metadata ?? usage;
    }
    assert.equal(pieces.join(""), ANSWER);
    assert.ok(pieces.filter((p) => p !== "").length >= 2, "the answer came in one piece");
    assert.ok(usage, "no usage_metadata");
  });

  await t.step("bindTools gets the 400 that says tools are not supported", async () => {
    const weather = {
      name: "weather",
      description: "get weather",
      schema: z.object({ city: z.string() }),
    };
    await assert.rejects(
      llm.bindTools([weather]).invoke("Weather in Paris?"),
      /400 tools is not supported: AI Engine answers with text only/,
    );
  });

  await t.step("withStructuredOutput gets the 400 naming response_format", async () => {
    await assert.rejects(
      llm.withStructuredOutput(z.object({ answer: z.string() })).invoke("Hi"),
      /400 response_format is not supported/,
    );
  });

  await t.step("the snippet of docs/clients.md gets the answer whole and streamed", async () => {
    assert.deepEqual(await ask(gw.base, "k", "Hello"), [ANSWER, ANSWER]);
  });
});
