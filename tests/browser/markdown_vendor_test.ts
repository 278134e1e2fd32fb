// With the browser tests because it needs what they have: --allow-all (npm, esbuild) and the
// npm registry. It is what keeps the vendored renderer honest: the file is generated.
import assert from "node:assert/strict";
import {
  MARKDOWN_VENDOR,
  MARKDOWN_VENDOR_PACKAGES,
} from "../../lib/gateway/pages/markdown_vendor.ts";
import { buildMarkdownVendor, PACKAGES, VENDOR_PATH } from "../../scripts/vendor_markdown.ts";

Deno.test("the vendored Markdown renderer carries micromark and its GFM extensions", () => {
  assert.deepEqual(MARKDOWN_VENDOR_PACKAGES.map((p) => p.replace(/@[^@]*$/, "")), PACKAGES);
  assert.ok(MARKDOWN_VENDOR.startsWith(`/*! ${MARKDOWN_VENDOR_PACKAGES.join(" ")} | MIT License`));
});

Deno.test("the vendored Markdown renderer is what scripts/vendor_markdown.ts builds", async () => {
  const committed = await Deno.readTextFile(new URL(`../../${VENDOR_PATH}`, import.meta.url));
  const built = await buildMarkdownVendor();
  assert.ok(committed === built, `${VENDOR_PATH} differs: deno run -A scripts/vendor_markdown.ts`);
});
