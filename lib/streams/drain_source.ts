import type { ByteSource } from "./byte_source.ts";

/** How long a finished answer's body is given to end by itself, in ms. */
export const DRAIN_MS = 250;
/** How many bytes past an answer's end are read before giving up. */
export const DRAIN_BYTES = 64 * 1024;

/**
 * Reads what is left of `source` after its last useful byte, so that its connection can
 * serve another request: a chunked body ends with its last chunk (`0\r\n\r\n`), which the
 * site often sends a moment after the answer's last event, and a body cancelled before it
 * costs the kept connection. Gives up, cancelling, after `ms` or `maxBytes`; never throws.
 * Resolves true when the source ended by itself.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { drainSource } from "./drain_source.ts";
 * import { bytesOf } from "./byte_source.ts";
 * assert.equal(await drainSource(bytesOf([new Uint8Array(3)])), true);
 * ```
 */
export async function drainSource(
  source: ByteSource,
  ms = DRAIN_MS,
  maxBytes = DRAIN_BYTES,
): Promise<boolean> {
  let timer: ReturnType<typeof setTimeout> | undefined;
  const late = new Promise<"late">((resolve) => timer = setTimeout(resolve, ms, "late"));
  try {
    for (let read = 0; read <= maxBytes;) {
      const bytes = await Promise.race([source.read(), late]);
      if (bytes === null) return true;
      if (bytes === "late") break;
      read += bytes.length;
    }
    await source.cancel();
  } catch {
    // A body that fails as it ends is as good as cancelled: its connection is not kept.
  } finally {
    clearTimeout(timer);
  }
  return false;
}
