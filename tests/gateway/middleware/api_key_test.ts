import assert from "node:assert/strict";
import { hasValidKey, requireKey } from "../../../lib/gateway/middleware/api_key.ts";
import { HttpError } from "../../../lib/gateway/http_error.ts";

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

Deno.test("with no keys configured no key is valid, but requireKey lets every request in", async () => {
  assert.equal(await hasValidKey("Bearer anything", []), false);
  await requireKey(null, []);
  await requireKey("Bearer anything", []);
});

Deno.test("requireKey lets a valid key in", async () => {
  await requireKey("Bearer k2-secret", KEYS);
});

Deno.test("requireKey refuses a missing key with 401, saying how to send one", async () => {
  await assert.rejects(requireKey(null, KEYS), (error) => {
    assert.ok(error instanceof HttpError);
    assert.equal(error.status, 401);
    assert.equal(error.type, "authentication_error");
    assert.equal(error.code, "invalid_api_key");
    assert.match(error.message, /^Missing API key/);
    assert.equal(error.headers["www-authenticate"], 'Bearer realm="mwai-edge"');
    return true;
  });
});

Deno.test("requireKey refuses a wrong key with 401 and does not echo it", async () => {
  await assert.rejects(requireKey("Bearer k3-secret", KEYS), (error) => {
    assert.ok(error instanceof HttpError);
    assert.equal(error.status, 401);
    assert.equal(error.message, "Invalid API key");
    assert.ok(!JSON.stringify(error.toJSON()).includes("k3-secret"));
    return true;
  });
});
