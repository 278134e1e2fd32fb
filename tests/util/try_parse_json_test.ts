import assert from "node:assert/strict";
import { tryParseJson } from "../../lib/util/try_parse_json.ts";

Deno.test("tryParseJson parses every kind of JSON value", () => {
  assert.deepEqual(tryParseJson('{"a":[1,"b",null]}'), { a: [1, "b", null] });
  assert.deepEqual(tryParseJson("[]"), []);
  assert.equal(tryParseJson('"text"'), "text");
  assert.equal(tryParseJson(" 42 "), 42);
  assert.equal(tryParseJson("false"), false);
  assert.equal(tryParseJson("null"), null);
});

Deno.test("tryParseJson gives undefined for text that is not JSON, without throwing", () => {
  for (const text of ["", "<html>", "{", '{"a":1', "{'a':1}", "undefined", "NaN", '{"a":1} x']) {
    assert.equal(tryParseJson(text), undefined, JSON.stringify(text));
  }
});
