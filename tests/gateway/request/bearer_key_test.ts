import assert from "node:assert/strict";
import { hasValidKey } from "../../../lib/gateway/request/bearer_key.ts";

const KEYS = ["k1-secret", "k2-secret"];

Deno.test("a bearer key among the accepted ones is valid, whichever it is", async () => {
  assert.equal(await hasValidKey("Bearer k1-secret", KEYS), true);
  assert.equal(await hasValidKey("Bearer k2-secret", KEYS), true);
});

Deno.test("the Bearer scheme is case-insensitive and spaces around the key are allowed", async () => {
  for (
    const header of [
      "bearer k1-secret",
      "BEARER k1-secret",
      "Bearer   k1-secret",
      "Bearer k1-secret  ",
    ]
  ) {
    assert.equal(await hasValidKey(header, KEYS), true, header);
  }
});

for (
  const [what, header] of [
    ["no header", null],
    ["an empty header", ""],
    ["a key that is not accepted", "Bearer k3-secret"],
    ["a prefix of a key", "Bearer k1-secre"],
    ["a key with more after it", "Bearer k1-secretX"],
    ["a key in another case", "Bearer K1-SECRET"],
    ["a key without the scheme", "k1-secret"],
    ["another scheme", "Basic k1-secret"],
    ["the scheme alone", "Bearer"],
    ["the scheme and a space", "Bearer "],
    ["two keys", "Bearer k1-secret k2-secret"],
  ] as const
) {
  Deno.test(`${what} is not a valid key`, async () => {
    assert.equal(await hasValidKey(header, KEYS), false);
  });
}
