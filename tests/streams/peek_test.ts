import assert from "node:assert/strict";
import { peek } from "../../lib/streams/peek.ts";
import { counted, outcomeOf, textCuts } from "../support/chunking.ts";

Deno.test("by default peek reads one chunk ahead and the stream yields every chunk again", async () => {
  const { head, done, stream } = await peek(ReadableStream.from(["a", "b", "c"]));
  assert.deepEqual(head, ["a"]);
  assert.equal(done, false);
  assert.deepEqual(await Array.fromAsync(stream), ["a", "b", "c"]);
});

Deno.test("peek reads until enough holds, and loses nothing, however the input is cut", async () => {
  const text = "data: Привет 👋\n\ndata: 42\n\n";
  for (const cut of textCuts(text)) {
    const { head, done, stream } = await peek(cut.stream(), (head) => head.join("").length >= 5);
    assert.ok(head.join("").length >= 5, cut.label);
    assert.equal(done, false, cut.label);
    assert.ok(text.startsWith(head.join("")), cut.label);
    assert.equal((await Array.fromAsync(stream)).join(""), text, cut.label);
  }
});

Deno.test("peek reads no further than enough asks", async () => {
  const source = counted(["a", "b", "c", "d"]);
  const { head, stream } = await peek(source.stream, (head) => head.length === 2);
  assert.deepEqual(head, ["a", "b"]);
  assert.equal(source.record.pulls, 2);
  const reader = stream.getReader();
  assert.equal((await reader.read()).value, "a");
  assert.equal((await reader.read()).value, "b");
  assert.equal(source.record.pulls, 2, "the head is replayed without reading the source");
  assert.equal((await reader.read()).value, "c");
  assert.equal(source.record.pulls, 3);
  await reader.cancel();
});

Deno.test("a source that ends before enough is done, and the stream replays all of it", async () => {
  const { head, done, stream } = await peek(ReadableStream.from(["a", "b"]), () => false);
  assert.deepEqual(head, ["a", "b"]);
  assert.equal(done, true);
  assert.deepEqual(await Array.fromAsync(stream), ["a", "b"]);
});

Deno.test("an empty source is done with an empty head and an empty stream", async () => {
  const { head, done, stream } = await peek(ReadableStream.from<string>([]));
  assert.deepEqual(head, []);
  assert.equal(done, true);
  assert.deepEqual(await Array.fromAsync(stream), []);
});

Deno.test("an error while reading ahead rejects with the same error object", async () => {
  const boom = new Error("Boom");
  const source = counted(["a"], { error: boom });
  await assert.rejects(peek(source.stream, () => false), (error) => error === boom);
});

Deno.test("an error after the peek surfaces in the stream as the same error object", async () => {
  const boom = new Error("Boom");
  const { stream } = await peek(counted(["a", "b"], { error: boom }).stream);
  const outcome = await outcomeOf(stream);
  assert.deepEqual(outcome.values, ["a", "b"]);
  assert.equal(outcome.error, boom);
});

Deno.test("cancelling the returned stream cancels the source with the same reason", async () => {
  const source = counted(["a", "b", "c"]);
  const { stream } = await peek(source.stream);
  const reason = new Error("Client went away");
  await stream.cancel(reason);
  assert.equal(source.record.cancelledWith, reason);
});

Deno.test("cancelling after reading part of the stream still reaches the source", async () => {
  const source = counted(["a", "b", "c"]);
  const reader = (await peek(source.stream)).stream.getReader();
  await reader.read();
  await reader.read();
  await reader.cancel("bye");
  assert.equal(source.record.cancelledWith, "bye");
});
