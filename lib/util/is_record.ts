/**
 * Whether a parsed JSON value is a plain object (not null, not an array).
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { isRecord } from "./is_record.ts";
 * assert.equal(isRecord(JSON.parse('{"a":1}')), true);
 * assert.equal(isRecord(JSON.parse("[1]")), false);
 * ```
 */
export function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}
