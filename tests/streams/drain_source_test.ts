import assert from "node:assert/strict";
import { drainSource } from "../../lib/streams/drain_source.ts";
import { bytesOf, type ByteSource } from "../../lib/streams/byte_source.ts";

/** A source that yields `pieces`, then waits forever; records whether it was cancelled. */
function hangingSource(pieces: Uint8Array[]): ByteSource & { cancelled: boolean } {
  let waiting: ((bytes: null) => void) | undefined;
  const source = {
    cancelled: false,
    read: () =>
      pieces.length > 0
        ? Promise.resolve(pieces.shift()!)
        : new Promise<null>((resolve) => waiting = resolve),
    cancel() {
      source.cancelled = true;
      waiting?.(null);
      return Promise.resolve();
    },
  };
  return source;
}

Deno.test("a body that ends by itself is read to its end and not cancelled", async () => {
  let cancelled = false;
  const source = bytesOf([new Uint8Array(5), new Uint8Array(0)]);
  const watched = { read: () => source.read(), cancel: () => (cancelled = true, source.cancel()) };
  assert.equal(await drainSource(watched), true);
  assert.equal(cancelled, false);
});

Deno.test("a body that does not end in time is cancelled, the wait over", async () => {
  const source = hangingSource([new Uint8Array(2)]);
  assert.equal(await drainSource(source, 20), false);
  assert.equal(source.cancelled, true);
});

Deno.test("a body that goes on past the byte cap is cancelled", async () => {
  const pieces = Array.from({ length: 10 }, () => new Uint8Array(1000));
  const source = hangingSource(pieces);
  assert.equal(await drainSource(source, 10_000, 2500), false);
  assert.equal(source.cancelled, true);
  assert.ok(pieces.length >= 6, "it stopped reading at the cap");
});

Deno.test("a body that fails as it ends resolves false, and throws nothing", async () => {
  const failing: ByteSource = {
    read: () => Promise.reject(new Error("reset")),
    cancel: () => Promise.resolve(),
  };
  assert.equal(await drainSource(failing), false);
});
