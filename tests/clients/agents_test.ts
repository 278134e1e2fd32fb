/** The OpenAI Agents SDK, `@openai/agents`, with the gateway as its OpenAI client. */
import assert from "node:assert/strict";
import {
  Agent,
  OpenAIProvider,
  run,
  Runner,
  setDefaultOpenAIClient,
  setTracingDisabled,
  tool,
} from "@openai/agents";
import { z } from "zod";
import OpenAI from "openai";
import { startGateway } from "../contract/gateway.ts";
import { ANSWER } from "../contract/http_client.ts";
import { ask } from "./snippets/agents.ts";

Deno.test("the OpenAI Agents SDK's run() against the gateway", async (t) => {
  await using gw = await startGateway({ API_KEYS: "k" });
  setTracingDisabled(true);
  const openAIClient = new OpenAI({ baseURL: `${gw.base}/v1`, apiKey: "k", maxRetries: 0 });
  const runner = new Runner({ modelProvider: new OpenAIProvider({ openAIClient }) });
  const agent = new Agent({ name: "Site assistant", instructions: "Be brief", model: "default" });
  const submitted = () => gw.site.submits.at(-1)!.body as Record<string, unknown>;

  await t.step("run() gets the answer", async () => {
    const result = await runner.run(agent, "Hello");
    assert.equal(result.finalOutput, ANSWER);
    assert.ok(!JSON.stringify(submitted()).includes("Be brief"), "instructions went upstream");
  });

  await t.step("run() streamed gets the answer in pieces", async () => {
    const result = await runner.run(agent, "Hello", { stream: true });
    let text = "";
    for await (const piece of result.toTextStream()) text += piece;
    await result.completed;
    assert.equal(text, ANSWER);
    assert.equal(result.finalOutput, ANSWER);
  });

  await t.step("a cut answer fails the run, streamed or not, never a clean end", async () => {
    await assert.rejects(
      runner.run(agent, "Hello __fake:cut"),
      (error) => error instanceof OpenAI.APIError && error.status === 502,
    );
    const result = await runner.run(agent, "Hello __fake:cut", { stream: true });
    await assert.rejects(async () => {
      for await (const _ of result.toTextStream()) { /* read on */ }
      await result.completed;
    }, /unsuccessful terminal state "response.failed"/);
  });

  await t.step("a second turn with the first's history sends it as earlier messages", async () => {
    const first = await runner.run(agent, "My name is Ada");
    await runner.run(agent, [...first.history, { role: "user", content: "What is my name?" }]);
    assert.deepEqual(submitted().messages, [
      { role: "user", content: "My name is Ada" },
      { role: "assistant", content: ANSWER },
    ]);
  });

  await t.step("previousResponseId continues the site's conversation", async () => {
    const first = await runner.run(agent, "Hi");
    const chatId = submitted().chatId;
    await runner.run(agent, "And then?", { previousResponseId: first.lastResponseId });
    assert.equal(submitted().chatId, chatId);
    assert.equal((submitted().messages as unknown[]).length, 2);
  });

  await t.step("setDefaultOpenAIClient makes the plain run() use the gateway", async () => {
    setDefaultOpenAIClient(openAIClient);
    const result = await run(agent, "Hello");
    assert.equal(result.finalOutput, ANSWER);
  });

  await t.step("an agent with tools is refused, saying why, before the site is asked", async () => {
    const before = gw.site.submits.length;
    const weather = tool({
      name: "weather",
      description: "The weather in a city",
      parameters: z.object({ city: z.string() }),
      execute: ({ city }) => `Sunny in ${city}`,
    });
    const withTools = new Agent({ name: "Forecaster", model: "default", tools: [weather] });
    await assert.rejects(
      runner.run(withTools, "Weather in Paris?"),
      (error) => error instanceof OpenAI.BadRequestError && error.param === "tools",
    );
    assert.equal(gw.site.submits.length, before);
  });

  await t.step("the snippet of docs/clients.md runs the agent", async () => {
    assert.equal(await ask(gw.base, "k", "Hello"), ANSWER);
  });
});
