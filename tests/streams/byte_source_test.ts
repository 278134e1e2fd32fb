import assert from "node:assert/strict";
import { bytesOf, byteSource } from "../../lib/streams/byte_source.ts";

/** A byte stream (`type: "bytes"`, as fetch bodies are) that enqueues `chunks`, then closes. */
function byteStream(chunks: Uint8Array[]) {
  const record = { cancelledWith: "not cancelled" as unknown };
  let next = 0;
  const stream = new ReadableStream({
    type: "bytes",
    pull(controller: ReadableByteStreamController) {
      const chunk = chunks[next++];
      if (chunk === undefined) {
        controller.close();
        controller.byobRequest?.respond(0);
      } else controller.enqueue(chunk);
    },
    cancel(reason) {
      record.cancelledWith = reason;
    },
  });
  return { stream, record };
}

async function readAll(source: { read(): Promise<Uint8Array | null> }): Promise<Uint8Array[]> {
  const copies: Uint8Array[] = [];
  for (let bytes = await source.read(); bytes !== null; bytes = await source.read()) {
    copies.push(bytes.slice()); // the source may reuse the memory on the next read
  }
  return copies;
}

const text = (chunks: Uint8Array[]) =>
  new TextDecoder().decode(new Uint8Array(chunks.flatMap((chunk) => [...chunk])));

Deno.test("byteSource: a byte stream is read into one buffer, handed back to the stream at each read", async () => {
  const chunks = ["Hel", "lo, ", "wor", "ld"].map((t) => new TextEncoder().encode(t));
  const source = byteSource(byteStream(chunks).stream);
  const seen: Uint8Array[] = [];
  for (let bytes = await source.read(); bytes !== null; bytes = await source.read()) {
    assert.equal(bytes.byteOffset, 0);
    assert.equal(bytes.buffer.byteLength, 64 * 1024, "the source's own buffer, not a fresh chunk");
    seen.push(bytes);
  }
  assert.equal(seen.length, 4);
  for (const earlier of seen.slice(0, -1)) {
    // Handed back: the next read transferred this memory into the stream again.
    assert.equal(earlier.buffer.byteLength, 0, "an earlier read's memory was reused");
  }
});

Deno.test("byteSource: a byte stream's bytes come whole and in order, a read larger than the buffer in pieces", async () => {
  const big = new Uint8Array(100 * 1024).map((_, i) => i % 251);
  // The stream takes the memory of what it is given: it is given a copy.
  const source = byteSource(byteStream([new TextEncoder().encode("head"), big.slice()]).stream);
  const reads = await readAll(source);
  assert.deepEqual(reads.map((read) => read.byteLength), [4, 64 * 1024, 36 * 1024]);
  const joined = new Uint8Array([...reads[1]!, ...reads[2]!]);
  assert.ok(joined.every((byte, i) => byte === big[i]), "the bytes, in order");
});

Deno.test("byteSource: a fetch body is a byte stream: it is read into the source's buffer", async () => {
  await using server = Deno.serve({ port: 0, onListen() {} }, () => new Response("Привет 👋"));
  const response = await fetch(`http://127.0.0.1:${server.addr.port}/`);
  const source = byteSource(response.body!);
  const bytes = await source.read();
  assert.equal(bytes?.buffer.byteLength, 64 * 1024);
  assert.equal(new TextDecoder().decode(bytes!), "Привет 👋");
  assert.equal(await source.read(), null);
});

Deno.test("byteSource: a stream that is not a byte stream is read through its default reader, chunk for chunk", async () => {
  const chunks = ["a", "bc", "", "def"].map((t) => new TextEncoder().encode(t));
  const source = byteSource(ReadableStream.from(chunks));
  for (const chunk of chunks) assert.equal(await source.read(), chunk, "the very chunk");
  assert.equal(await source.read(), null);
  assert.equal(await source.read(), null, "and null again");
});

Deno.test("byteSource: cancel reaches the stream with its reason, on both paths, and the source ends", async () => {
  const reason = new Error("Client went away");
  const bytes = byteStream([Uint8Array.of(1), Uint8Array.of(2)]);
  const byob = byteSource(bytes.stream);
  await byob.read();
  await byob.cancel(reason);
  assert.equal(bytes.record.cancelledWith, reason);
  assert.equal(await byob.read(), null);

  let cancelledWith: unknown = "not cancelled";
  const plain = byteSource(
    new ReadableStream<Uint8Array>({
      pull: (controller) => controller.enqueue(Uint8Array.of(1)),
      cancel: (why) => void (cancelledWith = why),
    }),
  );
  await plain.read();
  await plain.cancel(reason);
  assert.equal(cancelledWith, reason);
  assert.equal(await plain.read(), null);
});

Deno.test("byteSource: a stream that errors rejects the read with the same error", async () => {
  const boom = new Error("Reset");
  const bytes = new ReadableStream({ type: "bytes", pull: (controller) => controller.error(boom) });
  await assert.rejects(byteSource(bytes).read(), (error) => error === boom, "a byte stream");
  const plain = new ReadableStream<Uint8Array>({ pull: (controller) => controller.error(boom) });
  await assert.rejects(byteSource(plain).read(), (error) => error === boom, "another stream");
});

Deno.test("bytesOf: it yields its chunks, the very ones, then null; cancelled, it yields nothing more", async () => {
  const chunks = [Uint8Array.of(1), Uint8Array.of(2, 3)];
  const source = bytesOf(chunks);
  assert.equal(await source.read(), chunks[0]);
  await source.cancel();
  assert.equal(await source.read(), null);
  assert.equal(text(await readAll(bytesOf([new TextEncoder().encode("ok")]))), "ok");
  assert.equal(await bytesOf([]).read(), null);
});
