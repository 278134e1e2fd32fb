import assert from "node:assert/strict";
import { withIdleTimeout } from "../../lib/streams/with_idle_timeout.ts";
import { outcomeOf, textCuts } from "../support/chunking.ts";

// Deno's sanitizers stay on: a timer this stage left running would fail the test.

const delay = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** The timeout as a function to apply to a source, and a record of whether it fired. */
function stage<T>(timeoutMs: number) {
  const fired: Error[] = [];
  const timed = (source: ReadableStream<T>) =>
    withIdleTimeout(source, timeoutMs, () => {
      const error = new Error(`Silent for ${timeoutMs} ms`);
      fired.push(error);
      return error;
    });
  return { timed, fired };
}

/** A source that yields `count` chunks `everyMs` apart, then closes or goes silent. */
function ticking(count: number, everyMs: number, then: "close" | "silence") {
  let sent = 0;
  const record = { cancelledWith: "not cancelled" as unknown };
  const stream = new ReadableStream<number>({
    async pull(controller) {
      if (sent === count) {
        if (then === "close") controller.close();
        return; // silence: no chunk, and no timer of ours left running
      }
      if (sent > 0) await delay(everyMs);
      controller.enqueue(sent++);
    },
    cancel(reason) {
      record.cancelledWith = reason;
    },
  }, { highWaterMark: 0 });
  return { stream, record };
}

Deno.test("chunks pass through unchanged, whole, randomly cut and one by one", async () => {
  const text = "data: Привет 👋\n\n".repeat(5);
  for (const cut of textCuts(text)) {
    const { timed, fired } = stage<string>(10_000);
    const chunks = await Array.fromAsync(cut.stream());
    const passed = await Array.fromAsync(timed(cut.stream()));
    assert.deepEqual(passed, chunks, cut.label);
    assert.equal(fired.length, 0, cut.label);
  }
});

Deno.test("a silent source errors the stream after the limit, with onTimeout's error", async () => {
  const { timed, fired } = stage<number>(40);
  const source = ticking(0, 0, "silence");
  const started = performance.now();
  const outcome = await outcomeOf(timed(source.stream));
  const elapsed = performance.now() - started;
  assert.equal(fired.length, 1);
  assert.equal(outcome.error, fired[0], "the very error onTimeout returned");
  assert.ok(elapsed >= 35, `fired after ${elapsed} ms for a limit of 40 ms`);
});

Deno.test("the timeout cancels the silent source with the same error", async () => {
  const { timed, fired } = stage<number>(20);
  const source = ticking(0, 0, "silence");
  await outcomeOf(timed(source.stream));
  await delay(0);
  assert.equal(source.record.cancelledWith, fired[0]);
});

Deno.test("chunks that keep coming keep the timeout from firing, however long the stream lasts", async () => {
  // 40 chunks 5 ms apart: 200 ms in all, four times the limit, never 50 ms of silence.
  const { timed, fired } = stage<number>(50);
  const outcome = await outcomeOf(timed(ticking(40, 5, "close").stream));
  assert.equal(outcome.failed, false, String(outcome.error));
  assert.equal(outcome.values.length, 40);
  assert.equal(fired.length, 0);
});

Deno.test("the silence is counted from the last chunk, not from the start", async () => {
  const { timed, fired } = stage<number>(60);
  const reader = timed(ticking(4, 20, "silence").stream).getReader();
  for (let i = 0; i < 4; i++) assert.equal((await reader.read()).value, i);
  const lastChunk = performance.now();
  const error = await reader.read().then(() => null, (error: unknown) => error);
  const silence = performance.now() - lastChunk;
  assert.equal(error, fired[0]);
  assert.ok(silence >= 50, `fired ${silence} ms after the last chunk, for a limit of 60 ms`);
});

Deno.test("a consumer that pauses longer than the limit does not make a busy source look silent", async () => {
  // UPSTREAM_TIMEOUT_MS bounds "any silence between two events" of the upstream, not
  // for a client that reads slowly.
  const { timed, fired } = stage<number>(50);
  const paused = timed(ticking(6, 0, "close").stream);
  const reader = paused.getReader();
  assert.equal((await reader.read()).value, 0);
  await delay(120);
  reader.releaseLock();
  const rest = await outcomeOf(paused);
  assert.equal(fired.length, 0, "the source was never silent");
  assert.deepEqual(rest.values, [1, 2, 3, 4, 5]);
});

Deno.test("a stream that closes stops the timer: it never fires afterwards", async () => {
  const { timed, fired } = stage<number>(20);
  await Array.fromAsync(timed(ticking(2, 0, "close").stream));
  await delay(50);
  assert.equal(fired.length, 0);
});

Deno.test("a downstream cancel reaches the source with its reason, and stops the timer", async () => {
  const { timed, fired } = stage<number>(20);
  const source = ticking(100, 0, "close");
  const reader = timed(source.stream).getReader();
  await reader.read();
  const reason = new Error("Client went away");
  await reader.cancel(reason);
  assert.equal(source.record.cancelledWith, reason);
  await delay(50);
  assert.equal(fired.length, 0);
});

Deno.test("an error upstream surfaces downstream as the same error object, and stops the timer", async () => {
  const { timed, fired } = stage<number>(20);
  const boom = new Error("Upstream broke");
  let pulls = 0;
  const source = new ReadableStream<number>({
    pull(controller) {
      if (pulls++ === 0) controller.enqueue(1);
      else controller.error(boom);
    },
  }, { highWaterMark: 0 });
  const outcome = await outcomeOf(timed(source));
  assert.deepEqual(outcome.values, [1]);
  assert.equal(outcome.error, boom);
  await delay(50);
  assert.equal(fired.length, 0);
});
