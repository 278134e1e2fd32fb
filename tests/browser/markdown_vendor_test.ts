// With the browser tests because it needs what they have: --allow-all (npm, esbuild) and the
// npm registry. It is what keeps the vendored renderer honest: the file is generated.
import assert from "node:assert/strict";
import {
  MARKDOWN_VENDOR,
  MARKDOWN_VENDOR_PACKAGE,
} from "../../lib/gateway/pages/markdown_vendor.ts";
import {
  buildMarkdownVendor,
  PACKAGE,
  VENDOR_PATH,
  VERSION,
} from "../../scripts/vendor_markdown.ts";

Deno.test("the vendored Markdown renderer carries the pinned package and version", () => {
  assert.equal(MARKDOWN_VENDOR_PACKAGE, `${PACKAGE}@${VERSION}`);
  assert.ok(MARKDOWN_VENDOR.startsWith(`/*! ${PACKAGE} ${VERSION} | MIT License`));
});

Deno.test("the vendored Markdown renderer is what scripts/vendor_markdown.ts builds", async () => {
  const committed = await Deno.readTextFile(new URL(`../../${VENDOR_PATH}`, import.meta.url));
  const built = await buildMarkdownVendor();
  assert.ok(committed === built, `${VENDOR_PATH} differs: deno run -A scripts/vendor_markdown.ts`);
});
