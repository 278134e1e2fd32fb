import assert from "node:assert/strict";
import { isRecord } from "../../lib/util/is_record.ts";

Deno.test("isRecord is true for JSON objects, empty or not", () => {
  assert.equal(isRecord({}), true);
  assert.equal(isRecord(JSON.parse('{"a":{"b":1}}')), true);
  assert.equal(isRecord(Object.create(null)), true);
});

Deno.test("isRecord is false for null, arrays and every other JSON value", () => {
  for (const value of [null, undefined, [], [{}], "{}", 0, 1, true, false]) {
    assert.equal(isRecord(value), false, JSON.stringify(value) ?? "undefined");
  }
});
