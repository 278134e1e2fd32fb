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

/**
 * A hex SHA-256 of a text, to stand for a secret (an API key) without holding it.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { sha256Hex } from "./hex.ts";
 * assert.equal((await sha256Hex("key")).length, 64);
 * ```
 */
export async function sha256Hex(text: string): Promise<string> {
  return hex(await crypto.subtle.digest("SHA-256", new TextEncoder().encode(text)));
}
