import assert from "node:assert/strict";
import { ChunkedDecoder } from "../../lib/http/chunked_decoder.ts";

const utf8 = new TextEncoder();

/** Decodes `wire` cut at `cuts` (byte offsets), joining what each piece gave. */
function decodeInPieces(wire: string, cuts: number[]): { text: string; done: boolean } {
  const bytes = utf8.encode(wire);
  const decoder = new ChunkedDecoder();
  const out: number[] = [];
  let from = 0;
  for (const to of [...cuts, bytes.length]) {
    out.push(...decoder.decode(bytes.slice(from, to)));
    from = to;
  }
  return { text: new TextDecoder().decode(new Uint8Array(out)), done: decoder.done };
}

// An AI Engine event as Apache sends it: the data line, then the blank line, as two chunks.
const APACHE = '2a\r\ndata: {"type":"live","data":"Привет"}\r\n2\r\n\n\n\r\n0\r\n\r\n';
const BODY = 'data: {"type":"live","data":"Привет"}\n\n';

Deno.test("ChunkedDecoder: two chunks in one read come out as one contiguous slice", () => {
  const wire = `${utf8.encode(BODY.slice(0, -2)).length.toString(16)}\r\n${BODY.slice(0, -2)}` +
    "\r\n2\r\n\n\n\r\n0\r\n\r\n";
  assert.deepEqual(decodeInPieces(wire, []), { text: BODY, done: true });
});

Deno.test("ChunkedDecoder: a read may end anywhere, the result is the same", () => {
  const wire = `${utf8.encode(BODY.slice(0, -2)).length.toString(16)}\r\n${BODY.slice(0, -2)}` +
    "\r\n2\r\n\n\n\r\n0\r\n\r\n";
  const length = utf8.encode(wire).length;
  for (let cut = 0; cut <= length; cut++) {
    assert.deepEqual(decodeInPieces(wire, [cut]), { text: BODY, done: true }, `cut at ${cut}`);
  }
  const everyByte = Array.from({ length: length - 1 }, (_, i) => i + 1);
  assert.deepEqual(decodeInPieces(wire, everyByte), { text: BODY, done: true });
});

Deno.test("ChunkedDecoder: extensions, upper-case sizes, bare LFs and trailers are read", () => {
  const wire = "5;name=value\r\nHello\r\nA\n, world!!!\n0\r\nX-Trailer: 1\r\n\r\n";
  assert.deepEqual(decodeInPieces(wire, [3, 9]), { text: "Hello, world!!!", done: true });
});

Deno.test("ChunkedDecoder: bytes after the last chunk are not data", () => {
  assert.deepEqual(decodeInPieces("2\r\nok\r\n0\r\n\r\nHTTP/1.1 200 OK\r\n", []), {
    text: "ok",
    done: true,
  });
});

Deno.test("ChunkedDecoder: says when bytes came after the end, and only then", () => {
  const utf8 = new TextEncoder();
  const clean = new ChunkedDecoder();
  clean.decode(utf8.encode("2\r\nok\r\n0\r\n\r\n"));
  assert.equal(clean.done, true);
  assert.equal(clean.overrun, false);
  const over = new ChunkedDecoder();
  over.decode(utf8.encode("2\r\nok\r\n0\r\n\r\nX"));
  assert.equal(over.overrun, true);
});

Deno.test("ChunkedDecoder: a body cut before its last chunk is not done", () => {
  assert.deepEqual(decodeInPieces(APACHE.slice(0, 30), []).done, false);
});

for (
  const [name, wire] of [
    ["a size that is not hex", "zz\r\nab\r\n"],
    ["a missing size", "\r\nab\r\n"],
    ["a chunk longer than its size", "2\r\nabc\r\n"],
    ["a size of more than 8 hex digits", "123456789\r\n"],
    ["a CR not followed by LF after the size", "2\rab"],
  ] as const
) {
  Deno.test(`ChunkedDecoder: ${name} is a SyntaxError`, () => {
    assert.throws(() => new ChunkedDecoder().decode(utf8.encode(wire)), SyntaxError);
  });
}
