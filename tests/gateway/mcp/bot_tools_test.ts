import assert from "node:assert/strict";
import { parseConfig } from "../../../lib/gateway/config.ts";
import { botTools } from "../../../lib/gateway/mcp/bot_tools.ts";

Deno.test("one tool per bot, in order, with the configured description or one naming the site", () => {
  const tools = botTools(parseConfig({
    AI_ENGINE_URL: "https://shop.example",
    AI_ENGINE_BOTS: "default,support=custom:abc123",
    AI_ENGINE_BOT_DESCRIPTIONS: '{"support": "Orders and returns"}',
  }));
  assert.deepEqual(tools.map(({ bot, tool }) => [bot, tool.name]), [
    ["default", "ask_default"],
    ["support", "ask_support"],
  ]);
  assert.match(tools[0]!.tool.description!, /chatbot "default" of shop\.example/);
  assert.equal(tools[1]!.tool.description, "Orders and returns");
});

Deno.test("a tool takes a question and an optional conversation_id, and says what it returns", () => {
  const [{ tool }] = botTools(parseConfig({})) as [ReturnType<typeof botTools>[0]];
  assert.deepEqual(tool.inputSchema.required, ["question"]);
  assert.deepEqual(Object.keys(tool.inputSchema.properties!), ["question", "conversation_id"]);
  assert.deepEqual(tool.outputSchema?.required, ["answer", "conversation_id"]);
  assert.equal(tool.annotations?.readOnlyHint, true);
});
