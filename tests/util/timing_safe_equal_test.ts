import assert from "node:assert/strict";
import { timingSafeEqual } from "../../lib/util/timing_safe_equal.ts";

Deno.test("timingSafeEqual tells equal bytes from different ones, of any length", () => {
  const a = new Uint8Array([1, 2, 3, 4]);
  assert.equal(timingSafeEqual(a, new Uint8Array([1, 2, 3, 4])), true);
  assert.equal(timingSafeEqual(a, new Uint8Array([1, 2, 3, 5])), false);
  assert.equal(timingSafeEqual(a, new Uint8Array([0, 2, 3, 4])), false);
  assert.equal(timingSafeEqual(a, new Uint8Array([1, 2, 3])), false);
  assert.equal(timingSafeEqual(new Uint8Array(0), new Uint8Array(0)), true);
});
