/**
 * Whether a parsed JSON value is a plain object (not null, not an array).
 *
 * @example
 * ```ts
 * import { isRecord } from "./is_record.ts";
 * console.log(isRecord(JSON.parse('{"a":1}')), isRecord(JSON.parse("[1]"))); // true false
 * ```
 */
export function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}
