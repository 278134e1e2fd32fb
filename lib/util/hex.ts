/**
 * The bytes as lowercase hex, two digits a byte: digests, MACs and ids.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { hex } from "./hex.ts";
 * assert.equal(hex(new Uint8Array([0, 15, 255])), "000fff");
 * ```
 */
export function hex(bytes: Uint8Array | ArrayBuffer): string {
  return Array.from(new Uint8Array(bytes), (b) => b.toString(16).padStart(2, "0")).join("");
}
