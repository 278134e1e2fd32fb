/**
 * The chat's Markdown against the specs' own examples (tests/fixtures/markdown/), in
 * Chromium: what `markdownHtml` makes of each example must parse to the same DOM as the HTML
 * the spec gives (or, where the chat departs from it on purpose, the HTML noted with why).
 * Then `markdownFragment`, the DOM the chat shows, keeps that DOM wherever it holds nothing
 * the chat refuses: the same elements and text, with the attributes Markdown gives them.
 */
import assert from "node:assert/strict";
import { launchBrowser, NO_BROWSER } from "./browser.ts";
import { loadMarkdown } from "./markdown_page.ts";

interface Example {
  spec: string;
  example: number;
  section: string;
  markdown: string;
  html: string;
  ours?: string;
}

const { examples } = JSON.parse(
  await Deno.readTextFile(new URL("../fixtures/markdown/spec_examples.json", import.meta.url)),
) as { examples: Example[] };

// One line per element and text node, attributes sorted: two HTML texts that parse to one
// DOM read the same.
const CANONICAL = `(html) => {
  const template = document.createElement("template");
  template.innerHTML = html;
  const lines = [];
  const walk = (node, depth) => {
    for (const child of node.childNodes) {
      if (child.nodeType === 3) {
        const kept = child.data.trim() || child.parentNode.closest?.("pre");
        if (kept) lines.push(depth + "#" + JSON.stringify(child.data));
        continue;
      }
      const attributes = child.getAttributeNames().sort()
        .map((n) => n + "=" + child.getAttribute(n));
      lines.push(depth + child.tagName + " " + attributes.join(" "));
      walk(child, depth + "  ");
    }
  };
  walk(template.content, "");
  return lines.join("\\n");
}`;

Deno.test({
  name: "the chat's Markdown renders the specs' examples as the specs say",
  ignore: NO_BROWSER,
  async fn() {
    await using browser = await launchBrowser();
    const page = await browser.open("about:blank");
    await loadMarkdown(page);
    // One evaluation for all: each is a round trip to the browser.
    const rendered = await page.evaluate(
      `((canonical, examples) => examples.map((example) => [
        canonical(window.markdown.markdownHtml(example.markdown)),
        canonical(example.ours ?? example.html),
      ]))(${CANONICAL}, ${JSON.stringify(examples)})`,
    ) as [string, string][];
    const failures: string[] = [];
    examples.forEach((example, i) => {
      const [got, want] = rendered[i]!;
      if (got !== want) {
        failures.push(
          `${example.spec} example ${example.example} (${example.section}):\n` +
            `${JSON.stringify(example.markdown)}\n--- got\n${got}\n--- want\n${want}`,
        );
      }
    });
    assert.deepEqual(failures, []);
    assert.ok(examples.length >= 100, `only ${examples.length} examples`);
    assert.deepEqual(browser.pageErrors, []);
  },
});

Deno.test({
  name: "the DOM the chat shows keeps the specs' DOM where it refuses nothing",
  ignore: NO_BROWSER,
  async fn() {
    await using browser = await launchBrowser();
    const page = await browser.open("about:blank");
    await loadMarkdown(page);
    // Links, images and code blocks are rewritten on purpose (markdown_test.ts checks them).
    const plain = examples.map((e) => e.ours ?? e.html).filter((html) =>
      !/<(a|img|pre)[ >]/.test(html)
    );
    const shown = await page.evaluate(
      `((canonical, htmls) => htmls.map((html) => {
        const div = document.createElement("div");
        div.append(window.markdown.markdownFragment(document, html, () => {}));
        return [canonical(div.innerHTML), canonical(html)];
      }))(${CANONICAL}, ${JSON.stringify(plain)})`,
    ) as [string, string][];
    for (const [i, [got, want]] of shown.entries()) assert.equal(got, want, plain[i]);
    const compared = shown.length;
    assert.ok(compared > 60, `only ${compared} compared`);
  },
});
