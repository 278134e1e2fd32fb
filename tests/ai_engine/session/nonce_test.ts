import assert from "node:assert/strict";
import { isNonce, notANonce } from "../../../lib/ai_engine/session/nonce.ts";

Deno.test("a nonce is 1 to 64 letters, digits, _ or -, and nothing that could break a header", () => {
  for (const good of ["55b8d074d1", "a", "A".repeat(64), "x_y-Z9"]) assert.ok(isNonce(good), good);
  for (
    const bad of ["", "A".repeat(65), "abc\r\nX-Evil: 1", "a b", "é", "a;b", 1234567890, null]
  ) assert.ok(!isNonce(bad), String(bad));
});

Deno.test("notANonce says what is wrong without a character of the value", () => {
  assert.equal(notANonce("EVIL".repeat(20)), "80 characters, more than a nonce has");
  assert.equal(notANonce("EVIL\r\n"), "characters a nonce cannot hold");
});
