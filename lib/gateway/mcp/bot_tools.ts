import type { Tool } from "@modelcontextprotocol/sdk/types.js";
import type { Config } from "../config.ts";
import { toolNames } from "./tool_name.ts";

/** One bot offered as an MCP tool. */
export interface BotTool {
  /** The bot's name in `AI_ENGINE_BOTS`. */
  bot: string;
  /** The tool as `tools/list` shows it. */
  tool: Tool;
}

const INPUT_SCHEMA = {
  type: "object",
  properties: {
    question: { type: "string", minLength: 1, description: "The question or message" },
    conversation_id: {
      type: "string",
      pattern: "^[A-Za-z0-9_-]{1,64}$",
      description: "The conversation_id of an earlier answer, to continue that conversation",
    },
  },
  required: ["question"],
  additionalProperties: false,
} as const;

const OUTPUT_SCHEMA = {
  type: "object",
  properties: {
    answer: { type: "string", description: "The chatbot's answer" },
    conversation_id: { type: "string", description: "Pass it back to continue" },
    images: { type: "array", items: { type: "string" }, description: "Image URLs" },
  },
  required: ["answer", "conversation_id"],
} as const;

/**
 * The tools of a gateway: one per bot of `AI_ENGINE_BOTS`, named by {@linkcode toolNames},
 * described by `AI_ENGINE_BOT_DESCRIPTIONS` or else by a sentence naming the bot and the
 * site. Each takes a `question` and an optional `conversation_id`.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { parseConfig } from "../config.ts";
 * import { botTools } from "./bot_tools.ts";
 * const config = parseConfig({
 *   AI_ENGINE_BOTS: "default,support",
 *   AI_ENGINE_BOT_DESCRIPTIONS: '{"support": "Orders and returns"}',
 * });
 * const [first, second] = botTools(config);
 * assert.equal(first?.tool.name, "ask_default");
 * assert.equal(second?.tool.description, "Orders and returns");
 * ```
 */
export function botTools(config: Config): BotTool[] {
  const names = toolNames(config.bots);
  const site = new URL(config.siteUrl).host;
  return config.bots.map((bot, index) => ({
    bot,
    tool: {
      name: names[index]!,
      title: `Ask ${bot}`,
      description: config.botDescriptions[bot] ??
        `Asks the chatbot "${bot}" of ${site} a question and returns its answer. ` +
          "To continue the conversation, pass the conversation_id of its answer.",
      inputSchema: INPUT_SCHEMA,
      outputSchema: OUTPUT_SCHEMA,
      annotations: { readOnlyHint: true, openWorldHint: true },
    },
  }));
}
