import assert from "node:assert/strict";
import { SealedJson } from "../../../lib/gateway/responses/sealed_json.ts";

const SECRET = "a secret of sixteen or more";

Deno.test("a sealed value opens with the same secret, label and context", async () => {
  const value = { text: "Привет 👋", list: [1, 2, 3] };
  const token = await new SealedJson(SECRET, "a").seal(value, "ctx");
  assert.match(token, /^[A-Za-z0-9_-]+$/);
  assert.deepEqual(await new SealedJson(SECRET, "a").open(token, "ctx"), value);
});

Deno.test("a token opens with no other secret, label or context", async () => {
  const token = await new SealedJson(SECRET, "a").seal("hello", "ctx");
  assert.equal(await new SealedJson(`${SECRET}!`, "a").open(token, "ctx"), null);
  assert.equal(await new SealedJson(SECRET, "b").open(token, "ctx"), null);
  assert.equal(await new SealedJson(SECRET, "a").open(token, ""), null);
});

Deno.test("an altered, cut or foreign token is null, never an exception", async () => {
  const sealer = new SealedJson(SECRET, "a");
  const token = await sealer.seal({ a: 1 });
  const flipped = token.slice(0, 20) + (token[20] === "A" ? "B" : "A") + token.slice(21);
  for (const bad of [flipped, token.slice(0, -1), token.slice(0, 10), "", "not base64!", "===="]) {
    assert.equal(await sealer.open(bad), null, bad);
  }
});

Deno.test("without a secret, tokens open only in the instance that sealed them", async () => {
  const sealer = new SealedJson(null, "a");
  assert.equal(sealer.stable, false);
  const token = await sealer.seal(42);
  assert.equal(await sealer.open(token), 42);
  assert.equal(await new SealedJson(null, "a").open(token), null);
});

Deno.test("a long repetitive text seals into a token far shorter than it", async () => {
  const text = "The same sentence, said again. ".repeat(500);
  const token = await new SealedJson(SECRET, "a").seal(text);
  assert.ok(token.length < text.length / 10, `${token.length} characters`);
});

Deno.test("two seals of one value differ (a fresh IV each time)", async () => {
  const sealer = new SealedJson(SECRET, "a");
  assert.notEqual(await sealer.seal("same"), await sealer.seal("same"));
});
