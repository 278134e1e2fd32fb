import assert from "node:assert/strict";
import { deriveChatId, isChatId } from "../../lib/ai_engine/chat_id.ts";
import type { ChatMessage } from "../../lib/ai_engine/submit.ts";

const hi: ChatMessage[] = [{ role: "user", content: "Hi" }];

Deno.test("a chatId is 1 to 64 letters, digits, _ or -", () => {
  for (const good of ["a", "chat-1a2b", "A_b-9", "x".repeat(64)]) assert.ok(isChatId(good), good);
  for (const bad of ["", "x".repeat(65), "a b", "a/b", "é", "a\n", "a;b", 42, null, undefined]) {
    assert.ok(!isChatId(bad), JSON.stringify(bad));
  }
});

Deno.test("a derived chatId is gw- and 24 hex digits, itself a valid chatId", async () => {
  const id = await deriveChatId("default", hi);
  assert.match(id, /^gw-[0-9a-f]{24}$/);
  assert.ok(isChatId(id));
});

Deno.test("every turn of a conversation derives the same chatId: only the first user message counts", async () => {
  const later: ChatMessage[] = [
    ...hi,
    { role: "assistant", content: "Hello!" },
    { role: "user", content: "And then?" },
  ];
  assert.equal(await deriveChatId("default", later), await deriveChatId("default", hi));
});

Deno.test("another bot, another opening or another client derives another chatId", async () => {
  const base = await deriveChatId("default", hi, "client-a");
  const others = await Promise.all([
    deriveChatId("support", hi, "client-a"),
    deriveChatId("default", [{ role: "user", content: "Hi!" }], "client-a"),
    deriveChatId("default", hi, "client-b"),
    deriveChatId("default", hi),
  ]);
  assert.equal(new Set([base, ...others]).size, 5);
});

Deno.test("the parts are kept apart, so moving text from one to the next changes the chatId", async () => {
  const a = await deriveChatId("ab", [{ role: "user", content: "c" }]);
  const b = await deriveChatId("a", [{ role: "user", content: "bc" }]);
  assert.notEqual(a, b);
});

Deno.test("a conversation that opens with the assistant is keyed by its first user message", async () => {
  const greeted: ChatMessage[] = [{ role: "assistant", content: "Welcome!" }, ...hi];
  assert.equal(await deriveChatId("default", greeted), await deriveChatId("default", hi));
});

Deno.test("a conversation without a user message still derives a chatId", async () => {
  const none = await deriveChatId("default", [{ role: "assistant", content: "Welcome!" }]);
  assert.equal(none, await deriveChatId("default", []));
  assert.ok(isChatId(none));
});
