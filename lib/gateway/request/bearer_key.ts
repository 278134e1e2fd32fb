import { timingSafeEqual } from "../../util/timing_safe_equal.ts";

/**
 * Checks `Authorization: Bearer <key>` against the accepted keys. Keys are compared as
 * SHA-256 digests in constant time, so neither a key's content nor its length leaks
 * through timing.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { hasValidKey } from "./bearer_key.ts";
 * assert.equal(await hasValidKey("Bearer k1", ["k1", "k2"]), true);
 * assert.equal(await hasValidKey("Bearer k3", ["k1", "k2"]), false);
 * ```
 */
export async function hasValidKey(
  authorization: string | null,
  keys: readonly string[],
): Promise<boolean> {
  const match = authorization?.match(/^Bearer\s+(\S+)\s*$/i);
  if (!match?.[1]) return false;
  const given = await digest(match[1]);
  let found = false;
  for (const key of keys) found = timingSafeEqual(given, await digest(key)) || found;
  return found;
}

async function digest(text: string): Promise<Uint8Array> {
  return new Uint8Array(await crypto.subtle.digest("SHA-256", new TextEncoder().encode(text)));
}
