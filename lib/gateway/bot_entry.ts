import { ConfigError } from "../variables.ts";

/**
 * One entry of `AI_ENGINE_BOTS`: the model name clients ask for, and the AI Engine bot it
 * reaches: a bot id, or the `customId` of a bot defined only in a shortcode, and the post
 * id of the page that hosts it (`contextId`, which AI Engine Pro's Content Aware reads).
 */
export interface BotEntry {
  /** The model name (`/v1/models`, `model`). */
  name: string;
  /** The AI Engine bot id; null for a shortcode bot, as the plugin's own widget sends it. */
  botId: string | null;
  /** The shortcode bot's `customId` (its `custom_id` attribute, or the plugin's md5), or null. */
  customId: string | null;
  /** The hosting post's id, or null to send none. */
  contextId: number | null;
}

// Model names (`team/support`) and the plugin's ids (bot ids, `custom_id`, md5 hex): short,
// printable, and free of the syntax's own characters.
const ID = /^[!-~]{1,100}$/;
const SYNTAX = /[=@,]/;
const CONTEXT_ID = /^[1-9][0-9]{0,15}$/;

/**
 * Reads `AI_ENGINE_BOTS`: comma-separated entries `name[=target][@contextId]`, where the
 * target is a bot id (`help=default`) or `custom:<customId>` (`support=custom:abc123`);
 * a bare `name` is the bot of that id. A bad entry throws a {@linkcode ConfigError}.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { parseBotEntries } from "./bot_entry.ts";
 * assert.deepEqual(parseBotEntries("plain, support=custom:abc123@42"), [
 *   { name: "plain", botId: "plain", customId: null, contextId: null },
 *   { name: "support", botId: null, customId: "abc123", contextId: 42 },
 * ]);
 * ```
 */
export function parseBotEntries(value: string): BotEntry[] {
  const entries = value.split(",").map((item) => item.trim()).filter((item) => item !== "")
    .map(parseBotEntry);
  if (entries.length === 0) throw new ConfigError("AI_ENGINE_BOTS", "name at least one bot id");
  const seen = new Set<string>();
  for (const { name } of entries) {
    if (seen.has(name)) throw new ConfigError("AI_ENGINE_BOTS", `"${name}" is named twice`);
    seen.add(name);
  }
  return entries;
}

function parseBotEntry(entry: string): BotEntry {
  const fail = (why: string): never => {
    throw new ConfigError(
      "AI_ENGINE_BOTS",
      `"${entry.slice(0, 100)}" ${why}; write name, name=botId or name=custom:customId, ` +
        "each optionally followed by @postId",
    );
  };
  const equals = entry.indexOf("=");
  const spec = equals === -1 ? entry : entry.slice(equals + 1).trim();
  const at = spec.lastIndexOf("@");
  const target = (at === -1 ? spec : spec.slice(0, at)).trim();
  const context = at === -1 ? null : spec.slice(at + 1).trim();
  const name = equals === -1 ? target : entry.slice(0, equals).trim();
  if (!isId(name)) fail("has no valid name (1 to 100 printable ASCII characters)");
  if (context !== null && !CONTEXT_ID.test(context)) {
    fail("has a post id that is not a positive whole number");
  }
  const contextId = context === null ? null : Number(context);
  const custom = target.match(/^custom:(.*)$/);
  if (custom && equals === -1) fail("names a custom bot without a name");
  const id = custom ? custom[1]! : target;
  if (!isId(id)) fail("names no valid id (1 to 100 printable ASCII characters)");
  return custom
    ? { name, botId: null, customId: id, contextId }
    : { name, botId: id, customId: null, contextId };
}

function isId(value: string): boolean {
  return ID.test(value) && !SYNTAX.test(value);
}
