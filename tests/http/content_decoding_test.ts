import assert from "node:assert/strict";
import {
  decodableCodings,
  decodedBody,
  UnsupportedContentEncoding,
} from "../../lib/http/content_decoding.ts";
import { BodyCompressor } from "../emulator/body_compressor.ts";

const encoder = new TextEncoder();
const EVENTS = ['data: {"type":"live","data":"Hi"}\n\n', 'data: {"type":"end"}\n\n'];

/** The events compressed as the emulator sends them: one flushed piece each, then the trailer. */
async function compressed(coding: "deflate" | "gzip" | "br"): Promise<Uint8Array[]> {
  const compressor = new BodyCompressor(coding);
  const pieces = [];
  for (const event of EVENTS) pieces.push(await compressor.compress(encoder.encode(event)));
  return [...pieces, await compressor.end()];
}

function streamOf(pieces: Uint8Array[]): ReadableStream<Uint8Array> {
  return ReadableStream.from(pieces);
}

Deno.test("decodedBody: no coding, or identity, leaves the body as it is", () => {
  const body = streamOf([encoder.encode("x")]);
  assert.equal(decodedBody(body, new Headers()), body);
  assert.equal(decodedBody(body, new Headers({ "content-encoding": " Identity " })), body);
});

Deno.test("decodedBody: gzip and br are left to fetch, which has decoded them", () => {
  const body = streamOf([encoder.encode("data: x\n\n")]);
  for (const coding of ["gzip", "br", "GZIP"]) {
    assert.equal(decodedBody(body, new Headers({ "content-encoding": coding })), body);
  }
});

Deno.test("decodedBody: deflate is decoded, each flushed event as soon as its bytes come", async () => {
  const pieces = await compressed("deflate");
  let sent = 0;
  const body = new ReadableStream<Uint8Array>({
    pull(controller) {
      if (sent < pieces.length) controller.enqueue(pieces[sent++]!);
      else controller.close();
    },
  });
  const reader = decodedBody(body, new Headers({ "content-encoding": "deflate" }))
    .pipeThrough(new TextDecoderStream()).getReader();
  const first = await reader.read();
  assert.equal(first.value, EVENTS[0]);
  // The pipe may read one piece ahead, but not to the end: the trailer was still to come.
  assert.ok(sent < pieces.length, "the first event waited for the end of the body");
  let rest = "";
  for (let read = await reader.read(); !read.done; read = await reader.read()) rest += read.value;
  assert.equal(rest, EVENTS[1]);
});

Deno.test("decodedBody: a coding it cannot decode, or a stack of them, is an UnsupportedContentEncoding", () => {
  const body = streamOf([]);
  for (const value of ["zstd", "compress", "gzip, deflate", "x-gzip"]) {
    assert.throws(
      () => decodedBody(body, new Headers({ "content-encoding": value })),
      (error: unknown) => error instanceof UnsupportedContentEncoding && error.encoding === value,
    );
  }
});

Deno.test("decodableCodings: what a socket asks for is what DecompressionStream undoes here", () => {
  // Deno 2.9's DecompressionStream knows "brotli".
  assert.equal(decodableCodings(), "gzip, deflate, br");
});

Deno.test("decodedBody: for a body nothing decoded before (a socket's), gzip and br are decoded here", async () => {
  for (const coding of ["gzip", "br", "deflate"] as const) {
    const body = streamOf(await compressed(coding));
    const decoded = decodedBody(body, new Headers({ "content-encoding": coding }), new Set());
    assert.equal(await new Response(decoded).text(), EVENTS.join(""), coding);
  }
  assert.throws(
    () => decodedBody(streamOf([]), new Headers({ "content-encoding": "zstd" }), new Set()),
    UnsupportedContentEncoding,
  );
});
