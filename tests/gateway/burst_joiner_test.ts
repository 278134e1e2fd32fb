import assert from "node:assert/strict";
import type { AnswerChunk } from "../../lib/ai_engine/answer/events.ts";
import { BurstJoiner, MAX_JOINED_CHARS } from "../../lib/gateway/burst_joiner.ts";
import { answerAtTestPace, finish, scriptedAnswer } from "../support/answer_readers.ts";

/** A clock that never moves: every chunk comes within the same millisecond. */
const frozen = () => 1_000;

/** A chunk of text, not the last. */
const text = (text: string): AnswerChunk => ({ text, finish: null });

Deno.test("BurstJoiner: the first chunk is handed out at once, even amid a burst", async () => {
  const { answer, record } = scriptedAnswer([text("a"), text("b"), { text: "", finish: null }]);
  const joined = new BurstJoiner(answer, { now: frozen });
  assert.equal((await joined.read())?.text, "a");
  assert.equal(record.reads, 1, "nothing was read after it");
});

Deno.test("BurstJoiner: chunks that come at once after a chunk handed out are joined, up to the finish", async () => {
  const end = finish("abcd");
  const { answer, record } = scriptedAnswer([text("a"), text("b"), text("c"), {
    text: "d",
    finish: end,
  }]);
  const joined = new BurstJoiner(answer, { now: frozen });
  await joined.read();
  assert.deepEqual(await joined.read(), { text: "bcd", finish: end });
  assert.equal(record.reads, 4, "nothing is read past the finish");
  assert.equal(await joined.read(), null);
});

Deno.test("BurstJoiner: a paced answer is not held: each chunk is handed out before the next is read", async () => {
  let clock = 0;
  const { answer, give, reads } = answerAtTestPace();
  const joined = new BurstJoiner(answer, { now: () => clock });
  for (const piece of ["He", "l", "lo", "!"]) {
    const read = joined.read();
    clock += 2; // the site writes a piece every 2 ms
    give(text(piece));
    assert.equal((await read)?.text, piece);
  }
  assert.equal(reads(), 4, "no read ran ahead of the client");
  await joined.cancel();
});

Deno.test("BurstJoiner: when the burst stops, the text held is handed out and the read in flight is kept for the next", async () => {
  const { answer, give, reads } = answerAtTestPace();
  const joined = new BurstJoiner(answer, { now: frozen });
  give(text("a"));
  give(text("b"));
  give(text("c"));
  assert.equal((await joined.read())?.text, "a");
  assert.equal((await joined.read())?.text, "bc", "held until nothing more came in time");
  assert.equal(reads(), 4);
  give(text("d"));
  assert.equal((await joined.read())?.text, "d", "the read in flight, not a new one");
  assert.equal(reads(), 5);
  await joined.cancel();
});

Deno.test("BurstJoiner: a failure met while holding comes after the text held", async () => {
  const cut = new Error("Cut");
  const { answer } = scriptedAnswer([text("a"), text("b"), { error: cut }]);
  const joined = new BurstJoiner(answer, { now: frozen });
  await joined.read();
  assert.equal((await joined.read())?.text, "b");
  await assert.rejects(joined.read(), (error) => error === cut);
});

Deno.test("BurstJoiner: an answer that ends while held hands out its text, then the end", async () => {
  const { answer } = scriptedAnswer([text("a"), text("b")]);
  const joined = new BurstJoiner(answer, { now: frozen });
  await joined.read();
  assert.equal((await joined.read())?.text, "b");
  assert.equal(await joined.read(), null);
});

Deno.test("BurstJoiner: a long burst is handed out in pieces of about the cap", async () => {
  const piece = "x".repeat(1024);
  const steps = Array.from({ length: 40 }, () => text(piece));
  const { answer } = scriptedAnswer(steps);
  const joined = new BurstJoiner(answer, { now: frozen });
  const sizes: number[] = [];
  for (let chunk = await joined.read(); chunk !== null; chunk = await joined.read()) {
    sizes.push(chunk.text.length);
  }
  assert.equal(sizes.reduce((a, b) => a + b), 40 * 1024);
  assert.deepEqual(sizes, [1024, MAX_JOINED_CHARS, MAX_JOINED_CHARS, 7 * 1024]);
});

Deno.test("BurstJoiner: cancelling it cancels the answer with the same reason", async () => {
  const { answer, record } = scriptedAnswer([text("a")]);
  const why = new Error("Client went away");
  await new BurstJoiner(answer).cancel(why);
  assert.equal(record.cancelledWith, why);
});
