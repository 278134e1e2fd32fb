import assert from "node:assert/strict";
import {
  MAX_AGE_SECONDS,
  MAX_CARRIED_CHARS,
  ResponseThreads,
} from "../../../lib/gateway/responses/response_threads.ts";
import type { ChatMessage } from "../../../lib/ai_engine/submit.ts";

const SECRET = "a secret of sixteen or more";
const user = (content: string): ChatMessage => ({ role: "user", content });
const assistant = (content: string): ChatMessage => ({ role: "assistant", content });

Deno.test("a response id carries the chat id and the turns, the answer once remembered", async () => {
  const threads = new ResponseThreads(SECRET);
  const turns = [user("Hi"), assistant("Hello"), user("Who are you?")];
  const response = await threads.start("chat-1", turns, "key:abc");
  assert.match(response.id, /^resp_[A-Za-z0-9_-]+$/);
  assert.match(response.messageId, /^msg_[0-9a-f]{32}$/);
  assert.deepEqual(await threads.continueFrom(response.id, "key:abc"), { chatId: "chat-1", turns });
  threads.remember(response.key, "A bot");
  const thread = await threads.continueFrom(response.id, "key:abc");
  assert.deepEqual(thread?.turns, [...turns, assistant("A bot")]);
});

Deno.test("another isolate with the same secret continues, without the answer it never saw", async () => {
  const response = await new ResponseThreads(SECRET).start("chat-1", [user("Hi")], "");
  const other = new ResponseThreads(SECRET);
  assert.deepEqual(await other.continueFrom(response.id, ""), {
    chatId: "chat-1",
    turns: [user("Hi")],
  });
  assert.equal(await new ResponseThreads(null).continueFrom(response.id, ""), null);
});

Deno.test("an id opens only for the client it was given to", async () => {
  const threads = new ResponseThreads(SECRET);
  const { id } = await threads.start("chat-1", [user("Hi")], "key:abc");
  assert.equal(await threads.continueFrom(id, "key:def"), null);
  assert.equal(await threads.continueFrom(id, ""), null);
});

Deno.test("a forged id, or one of another kind, is null", async () => {
  const threads = new ResponseThreads(SECRET);
  for (const id of ["resp_", "resp_abc", "msg_abc", "chatcmpl-1", "resp_" + "A".repeat(200)]) {
    assert.equal(await threads.continueFrom(id, ""), null, id);
  }
});

Deno.test("an id over 30 days old is null", async () => {
  const threads = new ResponseThreads(SECRET);
  const { id } = await threads.start("chat-1", [user("Hi")], "");
  const now = Date.now;
  const start = now();
  try {
    Date.now = () => start + (MAX_AGE_SECONDS - 60) * 1000;
    assert.notEqual(await threads.continueFrom(id, ""), null);
    Date.now = () => start + (MAX_AGE_SECONDS + 60) * 1000;
    assert.equal(await threads.continueFrom(id, ""), null);
  } finally {
    Date.now = now;
  }
});

Deno.test("the id carries the newest turns within the bound, the oldest dropped", async () => {
  const threads = new ResponseThreads(SECRET);
  const long = "x".repeat(MAX_CARRIED_CHARS / 3);
  const turns = [
    user(`1${long}`),
    assistant(`2${long}`),
    user(`3${long}`),
    assistant(`4${long}`),
    user("5"),
  ];
  const { id } = await threads.start("chat-1", turns, "");
  const carried = (await threads.continueFrom(id, ""))!.turns;
  assert.deepEqual(carried, turns.slice(2));
  assert.ok(id.length < 2_000, `${id.length} characters`);
});

Deno.test("a newest turn over the bound is carried cut to its end, not dropped with all the rest", async () => {
  const answer = `${"x".repeat(MAX_CARRIED_CHARS)}The end.`;
  const turns = [user("Hi"), assistant("Hello"), user("Write at length"), assistant(answer)];
  const { id } = await new ResponseThreads(SECRET).start("chat-1", turns, "");
  const carried = (await new ResponseThreads(SECRET).continueFrom(id, ""))!.turns;
  assert.deepEqual(carried, [assistant(answer.slice(-MAX_CARRIED_CHARS))]);
  // Cut where an emoji's second half starts, the emoji goes whole.
  const emoji = `${"👋".repeat(MAX_CARRIED_CHARS / 2)}x`;
  const cut = await new ResponseThreads(SECRET).start("chat-1", [user(emoji)], "");
  const [turn] = (await new ResponseThreads(SECRET).continueFrom(cut.id, ""))!.turns;
  assert.equal(turn!.content, `${"👋".repeat(MAX_CARRIED_CHARS / 2 - 1)}x`);
});

Deno.test("an item reference recalls a remembered answer by its message id", async () => {
  const threads = new ResponseThreads(SECRET);
  const response = await threads.start("chat-1", [user("Hi")], "");
  assert.equal(threads.recallMessage(response.messageId), undefined);
  threads.remember(response.key, "Hello");
  assert.equal(threads.recallMessage(response.messageId), "Hello");
  assert.equal(threads.recallMessage(response.key), undefined);
});

Deno.test("an item reference recalls an answer only for the client it was given to", async () => {
  const threads = new ResponseThreads(SECRET);
  const response = await threads.start("chat-1", [user("Hi")], "key:a");
  threads.remember(response.key, "Hello");
  assert.equal(threads.recallMessage(response.messageId, "key:a"), "Hello");
  assert.equal(threads.recallMessage(response.messageId, "key:b"), undefined);
  assert.equal(threads.recallMessage(response.messageId, ""), undefined);
});

Deno.test("memory keeps the newest answers within 2 million characters", () => {
  const threads = new ResponseThreads(SECRET);
  const long = "x".repeat(30_000);
  for (let i = 0; i < 67; i++) threads.remember(`k${i}`, long); // 2,010,000 characters
  assert.equal(threads.recallMessage("msg_k0"), undefined);
  assert.equal(threads.recallMessage("msg_k1"), long);
  assert.equal(threads.recallMessage("msg_k66"), long);
  threads.remember("huge", "x".repeat(32_001));
  assert.equal(threads.recallMessage("msg_huge"), undefined);
});

Deno.test("memory keeps the newest 500 answers", () => {
  const threads = new ResponseThreads(SECRET);
  for (let i = 0; i < 501; i++) threads.remember(`k${i}`, `answer ${i}`);
  assert.equal(threads.recallMessage("msg_k0"), undefined);
  assert.equal(threads.recallMessage("msg_k1"), "answer 1");
  assert.equal(threads.recallMessage("msg_k500"), "answer 500");
});

Deno.test("an id sealed with its answer carries it to any isolate with the secret", async () => {
  const turns = [user("Hi"), assistant("Hello")];
  const response = await new ResponseThreads(SECRET).start("chat-1", turns, "");
  const other = new ResponseThreads(SECRET);
  assert.deepEqual(await other.continueFrom(response.id, ""), { chatId: "chat-1", turns });
  // Remembered too (for an item_reference), the answer is not added twice.
  const threads = new ResponseThreads(SECRET);
  const again = await threads.start("chat-1", turns, "");
  threads.remember(again.key, "Hello");
  assert.deepEqual((await threads.continueFrom(again.id, ""))?.turns, turns);
});
