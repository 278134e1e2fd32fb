import assert from "node:assert/strict";
import { AiEngineError } from "../../../lib/ai_engine/ai_engine_error.ts";
import { collectAnswer } from "../../../lib/gateway/encoders/collect.ts";
import { finish, scriptedAnswer, streamed } from "../../support/answer_readers.ts";

const USAGE = { prompt_tokens: 7, completion_tokens: 8, total_tokens: 15 };

Deno.test("collectAnswer: it joins the streamed text and keeps the usage", async () => {
  const { answer } = scriptedAnswer(streamed(["Hel", "lo"], finish("Hello", USAGE)));
  assert.deepEqual(await collectAnswer(answer), { text: "Hello", usage: USAGE });
});

Deno.test("collectAnswer: the text of the chunk that carries the finish counts too", async () => {
  const { answer, record } = scriptedAnswer([
    { text: "Hel", finish: null },
    { text: "lo", finish: finish("Hello") },
    { text: "never read", finish: null },
  ]);
  assert.deepEqual(await collectAnswer(answer), { text: "Hello", usage: null });
  assert.equal(record.reads, 2, "nothing is read past the finish");
});

Deno.test("collectAnswer: it falls back to the end's reply when no text streamed", async () => {
  const { answer } = scriptedAnswer(streamed([], finish("Hello", USAGE)));
  assert.deepEqual(await collectAnswer(answer), { text: "Hello", usage: USAGE });
});

Deno.test("collectAnswer: it rejects with the answer's own error after text, never a partial answer", async () => {
  const boom = new AiEngineError("truncated", "Cut");
  const { answer } = scriptedAnswer([{ text: "Hel", finish: null }, { error: boom }]);
  await assert.rejects(collectAnswer(answer), (error) => error === boom);
});

Deno.test("collectAnswer: it rejects an answer that ends without finishing", async () => {
  const { answer } = scriptedAnswer([{ text: "Hel", finish: null }]);
  await assert.rejects(collectAnswer(answer), TypeError);
});

Deno.test("collectAnswer: an answer over maxChars is too_large, and the answer is cancelled", async () => {
  const { answer, record } = scriptedAnswer([
    ...Array.from({ length: 10 }, () => ({ text: "x".repeat(10), finish: null })),
    { text: "x", finish: finish("x".repeat(101)) },
  ]);
  const error = await collectAnswer(answer, 100).then(() => null, (error: unknown) => error);
  assert.ok(error instanceof AiEngineError, String(error));
  assert.equal(error.type, "too_large");
  assert.equal(error.message, "Upstream answer too large: over 100 characters");
  assert.equal(record.cancels, 1);
  assert.equal(record.reads, 11, "it stops at the read that passed the cap");
});

Deno.test("collectAnswer: an answer of exactly maxChars is whole", async () => {
  const { answer } = scriptedAnswer(streamed(["x".repeat(60), "y".repeat(40)]));
  const collected = await collectAnswer(answer, 100);
  assert.equal(collected.text.length, 100);
});
