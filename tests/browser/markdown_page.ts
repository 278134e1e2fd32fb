/**
 * The chat's Markdown scripts on a page of their own, for tests that call them directly:
 * the very strings the chat script is made of, evaluated in one scope as the chat does, with
 * `window.markdown` holding `markdownHtml`, `markdownFragment` and `answerView`.
 */
import type { Page } from "playwright-core";
import { ANSWER_VIEW_SCRIPT } from "../../lib/gateway/pages/answer_view_script.ts";
import { MARKDOWN_DOM_SCRIPT } from "../../lib/gateway/pages/markdown_dom_script.ts";
import { MARKDOWN_HTML_SCRIPT } from "../../lib/gateway/pages/markdown_html_script.ts";
import { MARKDOWN_VENDOR } from "../../lib/gateway/pages/markdown_vendor.ts";
import { UNFINISHED_MARKDOWN_SCRIPT } from "../../lib/gateway/pages/unfinished_markdown_script.ts";

/** Puts the Markdown scripts on `page`, as `window.markdown`. */
export async function loadMarkdown(page: Page): Promise<void> {
  const scripts = [
    MARKDOWN_VENDOR,
    MARKDOWN_HTML_SCRIPT,
    UNFINISHED_MARKDOWN_SCRIPT,
    MARKDOWN_DOM_SCRIPT,
    ANSWER_VIEW_SCRIPT,
  ].join("\n");
  await page.evaluate(
    `(function () { ${scripts}
window.markdown = { markdownHtml, markdownFragment, answerView };
})()`,
  );
}
