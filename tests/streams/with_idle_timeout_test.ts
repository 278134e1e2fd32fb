import assert from "node:assert/strict";
import { bytesOf, type ByteSource } from "../../lib/streams/byte_source.ts";
import { withIdleTimeout } from "../../lib/streams/with_idle_timeout.ts";
import { byteCuts } from "../support/chunking.ts";
import { silentSource, sourceOf, spied } from "../support/byte_sources.ts";

// Deno's sanitizers stay on: a timer this stage left running would fail the test.

const delay = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** The timeout as a function to apply to a source, and a record of whether it fired. */
function stage(timeoutMs: number) {
  const fired: Error[] = [];
  const timed = (source: ByteSource) =>
    withIdleTimeout(source, timeoutMs, () => {
      const error = new Error(`Silent for ${timeoutMs} ms`);
      fired.push(error);
      return error;
    });
  return { timed, fired };
}

/**
 * A source that yields `count` one-byte chunks (0, 1, ...) `everyMs` apart, then ends
 * or goes silent until it is cancelled.
 */
function ticking(count: number, everyMs: number, then: "close" | "silence") {
  let sent = 0;
  const silent = silentSource();
  return spied({
    async read() {
      if (sent === count) return then === "close" ? null : await silent.read();
      if (sent > 0) await delay(everyMs);
      return Uint8Array.of(sent++);
    },
    cancel: (reason) => silent.cancel(reason),
  });
}

/** Reads a source to its end: the first byte of each chunk, and how it ended. */
async function outcomeOf(source: ByteSource): Promise<{ values: number[]; error?: unknown }> {
  const values: number[] = [];
  try {
    for (let bytes = await source.read(); bytes !== null; bytes = await source.read()) {
      values.push(bytes[0]!);
    }
    return { values };
  } catch (error) {
    return { values, error };
  }
}

Deno.test("withIdleTimeout: chunks pass through unchanged, whole, randomly cut and byte by byte", async () => {
  const bytes = new TextEncoder().encode("data: Привет 👋\n\n".repeat(5));
  for (const cut of byteCuts(bytes)) {
    const { timed, fired } = stage(10_000);
    const chunks = await Array.fromAsync(cut.stream());
    const source = timed(bytesOf(chunks));
    const passed: Uint8Array[] = [];
    for (let chunk = await source.read(); chunk !== null; chunk = await source.read()) {
      passed.push(chunk);
    }
    assert.equal(passed.length, chunks.length, cut.label);
    passed.forEach((chunk, i) => assert.equal(chunk, chunks[i], `${cut.label}: the same bytes`));
    assert.equal(fired.length, 0, cut.label);
  }
});

Deno.test("withIdleTimeout: a silent source fails the read after the limit, with onTimeout's error", async () => {
  const { timed, fired } = stage(40);
  const started = performance.now();
  const outcome = await outcomeOf(timed(ticking(0, 0, "silence").source));
  const elapsed = performance.now() - started;
  assert.equal(fired.length, 1);
  assert.equal(outcome.error, fired[0], "the very error onTimeout returned");
  assert.ok(elapsed >= 35, `fired after ${elapsed} ms for a limit of 40 ms`);
});

Deno.test("withIdleTimeout: the timeout cancels the silent source with the same error", async () => {
  const { timed, fired } = stage(20);
  const { source, record } = ticking(0, 0, "silence");
  await outcomeOf(timed(source));
  assert.equal(record.cancelledWith, fired[0]);
});

Deno.test("withIdleTimeout: a read that the timeout's cancel ends by rejecting still rejects with the timeout", async () => {
  const silence = new Error("Silent");
  const aborted = new Error("Aborted by the cancel");
  const timedSource = withIdleTimeout(
    silentSource({ error: aborted }),
    20,
    () => silence,
    () => new Error("Not a read error"),
  );
  assert.equal(await timedSource.read().then(() => null, (error: unknown) => error), silence);
});

Deno.test("withIdleTimeout: after the timeout every read rejects with the same error, without reading the source", async () => {
  const { timed, fired } = stage(20);
  const { source, record } = ticking(0, 0, "silence");
  const timedSource = timed(source);
  await outcomeOf(timedSource);
  const reads = record.reads;
  assert.equal(await timedSource.read().then(() => null, (error: unknown) => error), fired[0]);
  assert.equal(record.reads, reads);
});

Deno.test("withIdleTimeout: chunks that keep coming keep the timeout from firing, however long the source lasts", async () => {
  // 40 chunks 5 ms apart: 200 ms in all, four times the limit, never 50 ms of silence.
  const { timed, fired } = stage(50);
  const outcome = await outcomeOf(timed(ticking(40, 5, "close").source));
  assert.equal(outcome.error, undefined, String(outcome.error));
  assert.equal(outcome.values.length, 40);
  assert.equal(fired.length, 0);
});

Deno.test("withIdleTimeout: the silence is counted from the last chunk, not from the start", async () => {
  const { timed, fired } = stage(60);
  const source = timed(ticking(4, 20, "silence").source);
  for (let i = 0; i < 4; i++) assert.equal((await source.read())?.[0], i);
  const lastChunk = performance.now();
  const error = await source.read().then(() => null, (error: unknown) => error);
  const silence = performance.now() - lastChunk;
  assert.equal(error, fired[0]);
  assert.ok(silence >= 50, `fired ${silence} ms after the last chunk, for a limit of 60 ms`);
});

Deno.test("withIdleTimeout: a consumer that pauses longer than the limit does not make a busy source look silent", async () => {
  // UPSTREAM_TIMEOUT_MS bounds "any silence between two events" of the upstream, not
  // for a client that reads slowly.
  const { timed, fired } = stage(50);
  const paused = timed(ticking(6, 0, "close").source);
  assert.equal((await paused.read())?.[0], 0);
  await delay(120);
  const rest = await outcomeOf(paused);
  assert.equal(fired.length, 0, "the source was never silent");
  assert.deepEqual(rest.values, [1, 2, 3, 4, 5]);
});

Deno.test("withIdleTimeout: a source that ends stops the timer: it never fires afterwards, and reads give null", async () => {
  const { timed, fired } = stage(20);
  const { source, record } = ticking(2, 0, "close");
  const timedSource = timed(source);
  await outcomeOf(timedSource);
  await delay(50);
  assert.equal(fired.length, 0);
  const reads = record.reads;
  assert.equal(await timedSource.read(), null);
  assert.equal(record.reads, reads, "an ended source is not read again");
});

Deno.test("withIdleTimeout: a cancel reaches the source with its reason, and stops the timer", async () => {
  const { timed, fired } = stage(20);
  const { source, record } = ticking(100, 0, "close");
  const timedSource = timed(source);
  await timedSource.read();
  const reason = new Error("Client went away");
  await timedSource.cancel(reason);
  assert.equal(record.cancelledWith, reason);
  await delay(50);
  assert.equal(fired.length, 0);
  assert.equal(await timedSource.read().then(() => null, (error: unknown) => error), reason);
});

Deno.test("withIdleTimeout: a cancel while a read waits ends that read, and the timeout never fires", async () => {
  const { timed, fired } = stage(30);
  const timedSource = timed(ticking(0, 0, "silence").source);
  const waiting = timedSource.read().then(() => "ended", (error: unknown) => error);
  const reason = new Error("Client went away");
  await timedSource.cancel(reason);
  assert.equal(await waiting, reason, "the waiting read says why it ended");
  await delay(60);
  assert.equal(fired.length, 0);
});

Deno.test("withIdleTimeout: a failed read surfaces as the same error object, and stops the timer", async () => {
  const { timed, fired } = stage(20);
  const boom = new Error("Upstream broke");
  const outcome = await outcomeOf(timed(sourceOf([Uint8Array.of(1)], { error: boom })));
  assert.deepEqual(outcome.values, [1]);
  assert.equal(outcome.error, boom);
  await delay(50);
  assert.equal(fired.length, 0);
});

Deno.test("withIdleTimeout: onReadError says what a failed read means, for this read and every later one", async () => {
  const boom = new Error("Connection reset");
  const seen: unknown[] = [];
  const meaning = new Error("The answer broke off");
  const timedSource = withIdleTimeout(
    sourceOf([], { error: boom }),
    1_000,
    () => new Error("Silent"),
    (error) => {
      seen.push(error);
      return meaning;
    },
  );
  assert.equal(await timedSource.read().then(() => null, (error: unknown) => error), meaning);
  assert.equal(await timedSource.read().then(() => null, (error: unknown) => error), meaning);
  assert.deepEqual(seen, [boom], "asked once, with the source's own error");
});
