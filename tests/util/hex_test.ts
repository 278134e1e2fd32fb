import assert from "node:assert/strict";
import { hex } from "../../lib/util/hex.ts";

Deno.test("hex writes two lowercase digits a byte, from bytes or a buffer", () => {
  assert.equal(hex(new Uint8Array([])), "");
  assert.equal(hex(new Uint8Array([0, 1, 171, 255])), "0001abff");
  assert.equal(hex(new Uint8Array([222, 173]).buffer), "dead");
});
