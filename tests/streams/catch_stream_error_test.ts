import assert from "node:assert/strict";
import { catchStreamError } from "../../lib/streams/catch_stream_error.ts";
import { counted, outcomeOf, textCuts } from "../support/chunking.ts";

/** Ends in band: one last chunk describing the error, then a clean close. */
function inBand(error: unknown, controller: ReadableStreamDefaultController<string>): void {
  controller.enqueue(`error: ${(error as Error).message}`);
  controller.close();
}

Deno.test("a stream that does not fail passes unchanged, whole, randomly cut and one by one", async () => {
  const text = 'data: {"choices":[]}\n\ndata: [DONE]\n\n';
  for (const cut of textCuts(text)) {
    const chunks = await Array.fromAsync(cut.stream());
    let called = false;
    const passed = await Array.fromAsync(catchStreamError(cut.stream(), () => called = true));
    assert.deepEqual(passed, chunks, cut.label);
    assert.equal(called, false, `${cut.label}: onError is not called for a clean end`);
  }
});

Deno.test("onError can end a failed stream in band: a last chunk, then a clean close", async () => {
  const outcome = await outcomeOf(
    catchStreamError(counted(["a", "b"], { error: new Error("Boom") }).stream, inBand),
  );
  assert.equal(outcome.failed, false, String(outcome.error));
  assert.deepEqual(outcome.values, ["a", "b", "error: Boom"]);
});

Deno.test("onError can error the result with another reason, after the chunks that came", async () => {
  const hidden = new Error("Upstream failed");
  const outcome = await outcomeOf(
    catchStreamError(
      counted(["a"], { error: new Error("secret answer text") }).stream,
      (_error, controller) => controller.error(hidden),
    ),
  );
  assert.deepEqual(outcome.values, ["a"]);
  assert.equal(outcome.error, hidden);
});

Deno.test("onError receives the very error object the source failed with, once", async () => {
  const boom = new Error("Boom");
  const seen: unknown[] = [];
  await Array.fromAsync(
    catchStreamError(counted<string>([], { error: boom }).stream, (error, controller) => {
      seen.push(error);
      controller.close();
    }),
  );
  assert.deepEqual(seen, [boom]);
  assert.equal(seen[0], boom);
});

Deno.test("a source that fails before any chunk gives the error chunk alone", async () => {
  assert.deepEqual(
    await Array.fromAsync(
      catchStreamError(counted<string>([], { error: new Error("Early") }).stream, inBand),
    ),
    ["error: Early"],
  );
});

Deno.test("it reads the source only as fast as its consumer reads", async () => {
  const source = counted(["a", "b", "c"]);
  const reader = catchStreamError(source.stream, inBand).getReader();
  await new Promise((resolve) => setTimeout(resolve, 0));
  assert.equal(source.record.pulls, 0, "nothing is read before the consumer asks");
  await reader.read();
  assert.equal(source.record.pulls, 1);
  await reader.cancel();
});

Deno.test("a downstream cancel reaches the source with the same reason", async () => {
  const source = counted(["a", "b", "c"]);
  const reader = catchStreamError(source.stream, inBand).getReader();
  assert.equal((await reader.read()).value, "a");
  const reason = new Error("Client went away");
  await reader.cancel(reason);
  assert.equal(source.record.cancelledWith, reason);
});
