import type { ChatMessage } from "./submit.ts";
import { hex } from "../util/hex.ts";

/** What a client's `chatId` may be: a short token of letters, digits, `_` and `-`. */
const CHAT_ID_PATTERN = /^[A-Za-z0-9_-]{1,64}$/;

/**
 * Whether `value` can be AI Engine's `chatId`: 1 to 64 letters, digits, `_` or `-`
 * (the plugin keys its Discussions rows and transients by it).
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { isChatId } from "./chat_id.ts";
 * assert.ok(isChatId("chat-1a2b"));
 * assert.ok(!isChatId("a b"));
 * ```
 */
export function isChatId(value: unknown): value is string {
  return typeof value === "string" && CHAT_ID_PATTERN.test(value);
}

/**
 * A `chatId` derived from the conversation, so that its next turn maps to the same id:
 * a hash of the bot, the first user message and `client` (an input that tells clients
 * apart without being a secret, e.g. the hash of the caller's API key; empty when there
 * is none). Two clients of the same `client` whose conversations begin with the same
 * words share the id: clients that can should send a `chatId` of their own.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { deriveChatId } from "./chat_id.ts";
 * const first = await deriveChatId("default", [{ role: "user", content: "Hi" }]);
 * const next = await deriveChatId("default", [
 *   { role: "user", content: "Hi" },
 *   { role: "assistant", content: "Hello!" },
 *   { role: "user", content: "How are you?" },
 * ]);
 * assert.equal(first, next);
 * ```
 */
export async function deriveChatId(
  bot: string,
  messages: readonly ChatMessage[],
  client = "",
): Promise<string> {
  const first = messages.find((message) => message.role === "user")?.content ?? "";
  const input = new TextEncoder().encode(
    JSON.stringify(["mwai-edge chatId v1", bot, client, first]),
  );
  const digest = new Uint8Array(await crypto.subtle.digest("SHA-256", input));
  return `gw-${hex(digest.subarray(0, 12))}`;
}
