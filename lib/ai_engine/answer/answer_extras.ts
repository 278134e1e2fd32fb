import { isRecord } from "../../util/is_record.ts";

/**
 * What AI Engine's `end` object carries besides the reply: `images` (an images bot's URLs,
 * 1.9+), `actions` (client-side function calls, JavaScript), `shortcuts` (suggested
 * replies), `blocks` (HTML content) (2.4.8+). Each list is the site's, read leniently:
 * items of the wrong shape are dropped, and each list is held to a bound.
 */
export interface AnswerExtras {
  /** Image URLs (strings). */
  images: string[];
  /** `[{type: "function"|"javascript", data: {...}}]`. */
  actions: Record<string, unknown>[];
  /** `[{type: "message"|"callback"|"action", data: {label, message|shortcutId, ...}}]`. */
  shortcuts: Record<string, unknown>[];
  /** `[{type: "content", data: {html, ...}}]`. */
  blocks: Record<string, unknown>[];
}

/** At most this many items per list. */
export const MAX_EXTRA_ITEMS = 32;
/** At most this many characters of JSON per item (an image URL, an action, a block). */
export const MAX_EXTRA_ITEM_CHARS = 64 * 1024;

/**
 * The extras of an `end` object, or null when it has none.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { parseExtras } from "./answer_extras.ts";
 * const end = { images: ["https://h/x.png", 7], actions: [], shortcuts: [], blocks: [] };
 * assert.deepEqual(parseExtras(end)?.images, ["https://h/x.png"]);
 * assert.equal(parseExtras({ images: null, actions: [] }), null);
 * ```
 */
export function parseExtras(end: Record<string, unknown>): AnswerExtras | null {
  const extras: AnswerExtras = {
    images: list(end.images, (item) => typeof item === "string" && item !== "" ? item : null),
    actions: list(end.actions, typedItem),
    shortcuts: list(end.shortcuts, typedItem),
    blocks: list(end.blocks, typedItem),
  };
  const empty = Object.values(extras).every((items) => items.length === 0);
  return empty ? null : extras;
}

function list<T>(value: unknown, item: (value: unknown) => T | null): T[] {
  if (!Array.isArray(value)) return [];
  const items: T[] = [];
  for (const entry of value.slice(0, MAX_EXTRA_ITEMS)) {
    const kept = item(entry);
    if (kept !== null && (JSON.stringify(kept)?.length ?? 0) <= MAX_EXTRA_ITEM_CHARS) {
      items.push(kept);
    }
  }
  return items;
}

// The plugin's own sanitizer keeps items with a `type` (3.6.2:…/chatbot.php:307-320).
function typedItem(value: unknown): Record<string, unknown> | null {
  return isRecord(value) && typeof value.type === "string" ? value : null;
}
