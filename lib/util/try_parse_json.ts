/**
 * Parses JSON, or gives `undefined` for text that is not JSON.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { tryParseJson } from "./try_parse_json.ts";
 * assert.deepEqual(tryParseJson('{"a":1}'), { a: 1 });
 * assert.equal(tryParseJson("<html>"), undefined);
 * ```
 */
export function tryParseJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}
