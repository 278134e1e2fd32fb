import assert from "node:assert/strict";
import { concatBytes } from "../../lib/util/concat_bytes.ts";

Deno.test("concatBytes joins the parts in order", () => {
  const joined = concatBytes([
    new Uint8Array([1, 2]),
    new Uint8Array([]),
    new Uint8Array([3]),
    new Uint8Array([4, 5, 6]),
  ]);
  assert.deepEqual(joined, new Uint8Array([1, 2, 3, 4, 5, 6]));
});

Deno.test("concatBytes of no parts is empty", () => {
  assert.deepEqual(concatBytes([]), new Uint8Array(0));
});

Deno.test("concatBytes copies: changing a part later leaves the result as it was", () => {
  const part = new Uint8Array([7, 8]);
  const joined = concatBytes([part]);
  part[0] = 0;
  assert.deepEqual(joined, new Uint8Array([7, 8]));
  assert.notEqual(joined.buffer, part.buffer);
});

Deno.test("concatBytes reads a view into a larger buffer from its offset, not its buffer's start", () => {
  const buffer = new Uint8Array([9, 9, 1, 2, 9]).buffer;
  const joined = concatBytes([new Uint8Array(buffer, 2, 2), new Uint8Array([3])]);
  assert.deepEqual(joined, new Uint8Array([1, 2, 3]));
});

Deno.test("concatBytes joins the bytes of text split inside a character back into that text", () => {
  const bytes = new TextEncoder().encode("6×7 = 42 ✓");
  const parts = Array.from(bytes, (byte) => new Uint8Array([byte]));
  assert.equal(new TextDecoder().decode(concatBytes(parts)), "6×7 = 42 ✓");
});
