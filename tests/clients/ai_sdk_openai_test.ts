/** The AI SDK's default OpenAI provider, `@ai-sdk/openai`, which speaks the Responses API. */
import assert from "node:assert/strict";
import { createOpenAI } from "@ai-sdk/openai";
import { generateText, type ModelMessage, streamText } from "ai";
import { startGateway } from "../contract/gateway.ts";
import { ANSWER } from "../contract/http_client.ts";
import { ask } from "./snippets/ai_sdk_openai.ts";
import { assertToolsRefused } from "../support/tool_refusal.ts";

Deno.test("the AI SDK's @ai-sdk/openai provider against the gateway", async (t) => {
  await using gw = await startGateway({ API_KEYS: "k" });
  // What the SDK sends, as it sends it.
  const sent: string[] = [];
  const openai = createOpenAI({
    baseURL: `${gw.base}/v1`,
    apiKey: "k",
    fetch: (input, init) => (sent.push(String(init?.body)), fetch(input, init)),
  });
  const submitted = () => gw.site.submits.at(-1)!.body as Record<string, unknown>;

  await t.step("generateText gets the answer, its usage and the response id", async () => {
    const result = await generateText({ model: openai("default"), prompt: "Hello" });
    assert.equal(result.text, ANSWER);
    assert.equal(result.finishReason, "stop");
    assert.ok((result.usage.totalTokens ?? 0) > 0);
    assert.match(String(result.providerMetadata?.openai?.responseId), /^resp_/);
  });

  await t.step("streamText gets it in pieces, and its usage", async () => {
    const result = streamText({ model: openai("default"), prompt: "Hello" });
    const pieces: string[] = [];
    for await (const piece of result.textStream) pieces.push(piece);
    assert.equal(pieces.join(""), ANSWER);
    assert.ok(pieces.length >= 2, "the answer came in one piece");
    assert.equal(await result.finishReason, "stop");
    assert.ok(((await result.usage).outputTokens ?? 0) > 0);
  });

  await t.step("a history of two turns reaches the site as earlier messages", async () => {
    const messages: ModelMessage[] = [{ role: "user", content: "My name is Ada" }];
    const first = await generateText({ model: openai("default"), messages });
    // The answer's own messages, as an app keeps them: the SDK sends an item_reference.
    messages.push(...first.response.messages, { role: "user", content: "What is my name?" });
    const second = await generateText({ model: openai("default"), messages });
    assert.equal(second.text, ANSWER);
    assert.match(sent.at(-1)!, /"type":"item_reference","id":"msg_/);
    assert.deepEqual(submitted().messages, [
      { role: "user", content: "My name is Ada" },
      { role: "assistant", content: ANSWER },
    ]);
    assert.equal(submitted().newMessage, "What is my name?");
    // The same history typed in by hand (no item ids) streams the same way.
    const typed: ModelMessage[] = [
      { role: "user", content: "My name is Ada" },
      { role: "assistant", content: "Hello Ada" },
      { role: "user", content: "What is my name?" },
    ];
    let streamed = "";
    for await (
      const piece of streamText({ model: openai("default"), messages: typed }).textStream
    ) {
      streamed += piece;
    }
    assert.equal(streamed, ANSWER);
    assert.deepEqual(submitted().messages, typed.slice(0, 2));
  });

  await t.step(
    "with store: false the SDK sends the answers' text, which any gateway reads",
    async () => {
      const providerOptions = { openai: { store: false } };
      const messages: ModelMessage[] = [{ role: "user", content: "My name is Ada" }];
      const first = await generateText({ model: openai("default"), messages, providerOptions });
      messages.push(...first.response.messages, { role: "user", content: "What is my name?" });
      await generateText({ model: openai("default"), messages, providerOptions });
      assert.ok(!sent.at(-1)!.includes("item_reference"), sent.at(-1));
      assert.deepEqual(submitted().messages, [
        { role: "user", content: "My name is Ada" },
        { role: "assistant", content: ANSWER },
      ]);
    },
  );

  await t.step("previousResponseId continues the site's conversation", async () => {
    const first = await generateText({ model: openai("default"), prompt: "Hi" });
    const chatId = submitted().chatId;
    await generateText({
      model: openai("default"),
      prompt: "And then?",
      providerOptions: {
        openai: { previousResponseId: first.providerMetadata!.openai!.responseId },
      },
    });
    assert.equal(submitted().chatId, chatId);
  });

  await t.step("a failure after text is a stream error, not a clean end", async () => {
    const errors: unknown[] = [];
    const result = streamText({
      model: openai("default"),
      prompt: "Hello __fake:cut",
      onError: ({ error }) => void errors.push(error),
    });
    const parts: string[] = [];
    for await (const part of result.fullStream) parts.push(part.type);
    assert.ok(parts.includes("text-delta"));
    assert.ok(parts.includes("error"));
    assert.equal(await result.finishReason, "error");
    assert.match(String((errors[0] as Error).message), /transfer closed/);
  });

  await t.step("tools are a 400 that says why", async () => {
    await assertToolsRefused(openai("default"));
  });

  await t.step("the snippet of docs/clients.md gets the answer whole and streamed", async () => {
    assert.deepEqual(await ask(gw.base, "k", "Hello"), [ANSWER, ANSWER]);
  });
});
