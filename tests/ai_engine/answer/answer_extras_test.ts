import assert from "node:assert/strict";
import {
  MAX_EXTRA_ITEM_CHARS,
  MAX_EXTRA_ITEMS,
  parseExtras,
} from "../../../lib/ai_engine/answer/answer_extras.ts";

const action = { type: "function", data: { name: "openCart", args: {} } };
const shortcut = { type: "message", data: { label: "Yes", message: "Yes please" } };
const block = { type: "content", data: { html: "<b>Hi</b>" } };

Deno.test("an end object without images, actions, shortcuts or blocks has no extras", () => {
  assert.equal(parseExtras({ reply: "Hi" }), null);
  assert.equal(parseExtras({ images: [], actions: [], shortcuts: [], blocks: [] }), null);
  assert.equal(parseExtras({ images: null, actions: "x", shortcuts: {}, blocks: 1 }), null);
});

Deno.test("each list the site sent is kept as it came, the others empty", () => {
  const end = { images: ["https://h/a.png"], actions: [action], shortcuts: [shortcut] };
  assert.deepEqual(parseExtras({ ...end, blocks: [block] }), {
    images: ["https://h/a.png"],
    actions: [action],
    shortcuts: [shortcut],
    blocks: [block],
  });
  assert.deepEqual(parseExtras({ blocks: [block] }), {
    images: [],
    actions: [],
    shortcuts: [],
    blocks: [block],
  });
});

Deno.test("items of the wrong shape are dropped: images are non-empty strings, the rest typed objects", () => {
  const extras = parseExtras({
    images: ["", 7, null, { url: "x" }, "https://h/b.png"],
    actions: [action, { data: {} }, { type: 3 }, "function", null, []],
  });
  assert.deepEqual(extras?.images, ["https://h/b.png"]);
  assert.deepEqual(extras?.actions, [action]);
});

Deno.test("a list keeps at most MAX_EXTRA_ITEMS items, the first ones", () => {
  const images = Array.from({ length: MAX_EXTRA_ITEMS + 5 }, (_, i) => `https://h/${i}.png`);
  const kept = parseExtras({ images })!.images;
  assert.equal(kept.length, MAX_EXTRA_ITEMS);
  assert.equal(kept.at(-1), `https://h/${MAX_EXTRA_ITEMS - 1}.png`);
});

Deno.test("an item whose JSON is longer than MAX_EXTRA_ITEM_CHARS is dropped, one at the bound kept", () => {
  // JSON of a string is the string and its two quotes.
  const atBound = "x".repeat(MAX_EXTRA_ITEM_CHARS - 2);
  const over = `${atBound}x`;
  assert.deepEqual(parseExtras({ images: [over, atBound] })!.images, [atBound]);
  const huge = { type: "content", data: { html: "y".repeat(MAX_EXTRA_ITEM_CHARS) } };
  assert.equal(parseExtras({ blocks: [huge] }), null);
});

Deno.test("dropped items still count against the bound, so a hostile list costs at most its first items", () => {
  const junk = Array.from({ length: MAX_EXTRA_ITEMS }, () => 0);
  assert.equal(parseExtras({ images: [...junk, "https://h/late.png"] }), null);
});
