import { HttpError } from "../http_error.ts";

/**
 * Checks `Authorization: Bearer <key>` against the accepted keys. Keys are compared as
 * SHA-256 digests in constant time, so neither a key's content nor its length leaks
 * through timing.
 *
 * @example
 * ```ts
 * import { hasValidKey } from "./api_key.ts";
 * console.log(await hasValidKey("Bearer k1", ["k1", "k2"])); // true
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

/** Refuses a request without a valid key (when keys are configured). */
export async function requireKey(
  authorization: string | null,
  keys: readonly string[],
): Promise<void> {
  if (keys.length === 0 || await hasValidKey(authorization, keys)) return;
  throw new HttpError(
    401,
    authorization ? "Invalid API key" : "Missing API key: send Authorization: Bearer <key>",
    {
      type: "authentication_error",
      code: "invalid_api_key",
      headers: { "www-authenticate": 'Bearer realm="mwai-edge"' },
    },
  );
}

async function digest(text: string): Promise<Uint8Array> {
  return new Uint8Array(await crypto.subtle.digest("SHA-256", new TextEncoder().encode(text)));
}

/** Compares two byte arrays of equal length without an early exit. */
export function timingSafeEqual(a: Uint8Array, b: Uint8Array): boolean {
  if (a.length !== b.length) return false;
  let difference = 0;
  for (let i = 0; i < a.length; i++) difference |= a[i]! ^ b[i]!;
  return difference === 0;
}
