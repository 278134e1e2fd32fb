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
        if (child.data.trim() || child.parentNode.closest?.("pre")) lines.push(depth + "#" + JSON.stringify(child.data));
        continue;
      }
      const attributes = child.getAttributeNames().sort().map((n) => n + "=" + child.getAttribute(n));
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
    const failures: string[] = [];
    for (const example of examples) {
      const [got, want] = await page.evaluate(
        `((canonical, example) => [
          canonical(window.markdown.markdownHtml(example.markdown)),
          canonical(example.ours ?? example.html),
        ])(${CANONICAL}, ${JSON.stringify(example)})`,
      ) as [string, string];
      if (got !== want) {
        failures.push(
          `${example.spec} example ${example.example} (${example.section}):\n` +
            `${JSON.stringify(example.markdown)}\n--- got\n${got}\n--- want\n${want}`,
        );
      }
    }
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
    let compared = 0;
    for (const example of examples) {
      const html = example.ours ?? example.html;
      // Links and images are rewritten on purpose (markdown_test.ts checks them).
      if (/<(a|img|pre)[ >]/.test(html)) continue;
      const [shown, want] = await page.evaluate(
        `((canonical, html) => {
          const div = document.createElement("div");
          div.append(window.markdown.markdownFragment(document, html, () => {}));
          return [canonical(div.innerHTML), canonical(html)];
        })(${CANONICAL}, ${JSON.stringify(html)})`,
      ) as [string, string];
      assert.equal(shown, want, `example ${example.example}`);
      compared++;
    }
    assert.ok(compared > 60, `only ${compared} compared`);
  },
});
