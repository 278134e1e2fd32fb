import { ConfigError } from "../variables.ts";
import { isRecord } from "../util/is_record.ts";

/** The longest description kept: an agent reads every tool's description before it chooses. */
export const MAX_DESCRIPTION_CHARS = 1000;

/**
 * Reads `AI_ENGINE_BOT_DESCRIPTIONS`: a JSON object from bot names of `AI_ENGINE_BOTS` to
 * what each bot knows, which agents read to choose a bot (MCP tool descriptions). JSON,
 * not a list: a description holds commas. Unset or empty is none; a name that is not a
 * bot, a value that is not text, or text longer than 1000 characters throws a
 * {@linkcode ConfigError}.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { parseBotDescriptions } from "./bot_descriptions.ts";
 * const descriptions = parseBotDescriptions('{"support": "Orders, returns, shipping"}', [
 *   "default",
 *   "support",
 * ]);
 * assert.deepEqual(descriptions, { support: "Orders, returns, shipping" });
 * ```
 */
export function parseBotDescriptions(
  value: string | undefined,
  bots: readonly string[],
): Record<string, string> {
  const fail = (why: string): never => {
    throw new ConfigError("AI_ENGINE_BOT_DESCRIPTIONS", why);
  };
  if (value === undefined || value.trim() === "") return {};
  let parsed: unknown;
  try {
    parsed = JSON.parse(value);
  } catch {
    fail('is not JSON: write {"bot name": "what it answers", ...}');
  }
  if (!isRecord(parsed)) return fail('is not a JSON object like {"default": "what it answers"}');
  const descriptions: Record<string, string> = {};
  for (const [name, text] of Object.entries(parsed)) {
    const quoted = JSON.stringify(name.slice(0, 100));
    if (!bots.includes(name)) fail(`names ${quoted}, which is not a bot of AI_ENGINE_BOTS`);
    if (typeof text !== "string" || text.trim() === "") fail(`gives ${quoted} no text`);
    const trimmed = (text as string).trim();
    if (trimmed.length > MAX_DESCRIPTION_CHARS) {
      fail(`gives ${quoted} more than ${MAX_DESCRIPTION_CHARS} characters`);
    }
    descriptions[name] = trimmed;
  }
  return descriptions;
}
