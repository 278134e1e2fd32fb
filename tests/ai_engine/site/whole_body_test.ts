import assert from "node:assert/strict";
import { AiEngineError } from "../../../lib/ai_engine/ai_engine_error.ts";
import { readJson, readText } from "../../../lib/ai_engine/site/whole_body.ts";
import { byteSource } from "../../../lib/streams/byte_source.ts";
import { byteCuts } from "../../support/chunking.ts";
import { sourceOf, spied, utf8 } from "../../support/byte_sources.ts";

const TEXT = '{"reply":"Grüße 👋 — ça va ?"}';

Deno.test("a body read whole is its text, however its bytes were cut", async () => {
  for (const cut of byteCuts(utf8(TEXT))) {
    assert.equal(await readText(cut.stream(), 1000), TEXT, cut.label);
    assert.deepEqual(await readJson(byteSource(cut.stream()), 1000), JSON.parse(TEXT), cut.label);
  }
});

Deno.test("the bytes already read come first, then the rest of the body", async () => {
  const bytes = utf8(TEXT);
  const source = sourceOf([bytes.subarray(5), bytes.subarray(0, 0)]);
  assert.equal(await readText(source, 1000, bytes.subarray(0, 5)), TEXT);
});

Deno.test("a body over the cap is refused as too large, and the site's body cancelled", async () => {
  const { source, record } = spied(sourceOf([utf8("x".repeat(60)), utf8("x".repeat(60))]));
  await assert.rejects(readText(source, 100), (error) => {
    assert.ok(error instanceof AiEngineError);
    assert.equal(error.type, "too_large");
    assert.match(error.message, /over 100 characters/);
    return true;
  });
  assert.equal(record.cancels, 1);
});

Deno.test("a body that is not JSON is malformed, saying so", async () => {
  await assert.rejects(readJson(sourceOf([utf8("<html>")]), 100), (error) => {
    assert.ok(error instanceof AiEngineError);
    assert.equal(error.type, "malformed");
    assert.equal(error.message, "Invalid upstream answer: not JSON");
    return true;
  });
});
