import assert from "node:assert/strict";
import { ChatAnswer } from "../lib/chat_answer.ts";
import type { AnswerReader } from "../lib/ai_engine/answer/answer_reader.ts";
import type { AnswerChunk } from "../lib/ai_engine/answer/events.ts";

/** A reader that gives these chunks in turn, and whether it was cancelled. */
function readerOf(chunks: (AnswerChunk | Error)[]) {
  const seen = { cancelled: false };
  const reader: AnswerReader = {
    read() {
      const next = chunks.shift() ?? null;
      return next instanceof Error ? Promise.reject(next) : Promise.resolve(next);
    },
    cancel() {
      seen.cancelled = true;
      return Promise.resolve();
    },
  };
  return { reader, seen };
}

const finish = (reply: string) => ({
  type: "finish" as const,
  reply,
  usage: null,
  newToken: null,
});

Deno.test("ChatAnswer: iterating gives the text as it comes, and settles done", async () => {
  const { reader } = readerOf([
    { text: "Hel", finish: null },
    { text: "", finish: null },
    { text: "lo", finish: finish("Hello") },
  ]);
  const answer = new ChatAnswer(Promise.resolve(reader), "default");
  assert.deepEqual(await Array.fromAsync(answer), ["Hel", "lo"]);
  assert.deepEqual(await answer.done, {
    reply: "Hello",
    usage: null,
    model: "default",
    extras: null,
  });
});

Deno.test("ChatAnswer: an answer is read once; a second reading is refused", async () => {
  const { reader } = readerOf([{ text: "Hi", finish: finish("Hi") }]);
  const answer = new ChatAnswer(Promise.resolve(reader), "default");
  assert.equal((await answer.done).reply, "Hi");
  await assert.rejects(Array.fromAsync(answer), /already been read/);
});

Deno.test("ChatAnswer: a failure mid-answer rejects the reading and done alike", async () => {
  const failure = new Error("cut");
  const { reader } = readerOf([{ text: "Hi", finish: null }, failure]);
  const answer = new ChatAnswer(Promise.resolve(reader), "default");
  await assert.rejects(Array.fromAsync(answer.textStream), (error) => error === failure);
  await assert.rejects(answer.done, (error) => error === failure);
});

Deno.test("ChatAnswer: a loop left early cancels the answer", async () => {
  const { reader, seen } = readerOf([{ text: "a", finish: null }, { text: "b", finish: null }]);
  for await (const _ of new ChatAnswer(Promise.resolve(reader), "default")) break;
  assert.equal(seen.cancelled, true);
});
