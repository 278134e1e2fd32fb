import assert from "node:assert/strict";
import { DEFAULT_ANSWER } from "../../emulator/ai_engine_emulator.ts";
import { askDefault, mcpGateway, resultOf } from "./mcp_test_gateway.ts";

Deno.test("an answer's characters are spent from the client's budget, as on the other routes", async () => {
  await using gw = await mcpGateway({ ANON_ANSWER_BUDGET_PER_DAY: "10" });
  const first = await resultOf(await gw.post(askDefault({ question: "Hi" })));
  assert.equal(first.structuredContent.answer, DEFAULT_ANSWER);
  const second = await resultOf(await gw.post(askDefault({ question: "Hi" })));
  assert.equal(second.isError, true);
  assert.match(second.content[0].text, /^Gateway limit: an answer budget of 10 a day/);
  assert.equal(gw.site.submits.length, 1);
});

Deno.test("a question that is missing, blank or not text is a tool error, and the site is not called", async () => {
  await using gw = await mcpGateway();
  for (const args of [{}, { question: "  " }, { question: 42 }]) {
    const result = await resultOf(await gw.post(askDefault(args)));
    assert.equal(result.isError, true);
    assert.match(result.content[0].text, /question must be a non-empty string/);
    assert.equal(result._meta.error.param, "question");
  }
  assert.equal(gw.site.submits.length, 0);
});

Deno.test("each new conversation gets an id of its own", async () => {
  await using gw = await mcpGateway();
  const ids = new Set();
  for (let i = 0; i < 3; i++) {
    const result = await resultOf(await gw.post(askDefault({ question: "Same words" })));
    ids.add(result.structuredContent.conversation_id);
  }
  assert.equal(ids.size, 3);
});

Deno.test("a failed call is noted in the request's log line by its code", async () => {
  await using gw = await mcpGateway();
  await resultOf(await gw.post(askDefault({ question: "__fake:429" })));
  const line = gw.lines().at(-1);
  assert.equal(line.route, "/mcp");
  assert.equal(line.status, 200);
  assert.equal(line.error, "rate_limit_exceeded");
});
