/** The AI SDK Core's `generateText` and `streamText` through `@ai-sdk/openai-compatible`. */
import assert from "node:assert/strict";
import { createOpenAICompatible } from "@ai-sdk/openai-compatible";
import { generateText, streamText } from "ai";
import { startGateway } from "../contract/gateway.ts";
import { ANSWER } from "../contract/http_client.ts";
import { ask } from "./snippets/ai_sdk_core.ts";
import { assertToolsRefused } from "../support/tool_refusal.ts";

Deno.test("the AI SDK's generateText and streamText against the gateway", async (t) => {
  await using gw = await startGateway({ API_KEYS: "k" });
  // The snippet of docs/clients.md:
  const mwai = createOpenAICompatible({
    name: "mwai",
    baseURL: `${gw.base}/v1`,
    apiKey: "k",
    includeUsage: true,
  });

  await t.step("generateText gets the answer and its usage", async () => {
    const { text, finishReason, usage } = await generateText({
      model: mwai("default"),
      prompt: "Hello",
    });
    assert.equal(text, ANSWER);
    assert.equal(finishReason, "stop");
    assert.ok((usage.totalTokens ?? 0) > 0);
  });

  await t.step("streamText gets it in pieces", async () => {
    const result = streamText({ model: mwai.chatModel("default"), prompt: "Hello" });
    const pieces: string[] = [];
    for await (const piece of result.textStream) pieces.push(piece);
    assert.equal(pieces.join(""), ANSWER);
    assert.ok(pieces.length >= 2, "the answer came in one piece");
    assert.ok(((await result.usage).totalTokens ?? 0) > 0);
  });

  await t.step("tools get a 400 that says why, not retried", async () => {
    const before = gw.site.submits.length;
    await assertToolsRefused(mwai("default"));
    assert.equal(gw.site.submits.length, before);
  });

  await t.step("the snippet of docs/clients.md gets the answer whole and streamed", async () => {
    assert.deepEqual(await ask(gw.base, "k", "Hello"), [ANSWER, ANSWER]);
  });
});
