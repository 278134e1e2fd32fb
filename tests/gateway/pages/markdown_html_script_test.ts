import assert from "node:assert/strict";
import { MARKDOWN_HTML_SCRIPT } from "../../../lib/gateway/pages/markdown_html_script.ts";
import { MARKDOWN_VENDOR } from "../../../lib/gateway/pages/markdown_vendor.ts";
import { browserFunctions } from "./browser_script.ts";

const { markdownHtml, lastBlockStart } = browserFunctions<{
  markdownHtml(text: string): string;
  lastBlockStart(text: string): number;
}>([MARKDOWN_VENDOR, MARKDOWN_HTML_SCRIPT], ["markdownHtml", "lastBlockStart"]);

Deno.test("an answer's Markdown becomes CommonMark's HTML, with GFM's tables", () => {
  assert.equal(markdownHtml("Cites [1] and [2][3]."), "<p>Cites [1] and [2][3].</p>");
  assert.equal(markdownHtml("a snake_case_name"), "<p>a snake_case_name</p>");
  assert.equal(
    markdownHtml("| a | b |\n|:--|--:|\n| 1 | 2 |"),
    '<table>\n<thead>\n<tr>\n<th align="left">a</th>\n<th align="right">b</th>\n</tr>\n' +
      '</thead>\n<tbody>\n<tr>\n<td align="left">1</td>\n<td align="right">2</td>\n</tr>\n' +
      "</tbody>\n</table>",
  );
});

Deno.test("raw HTML comes out escaped, and a javascript: link has no destination", () => {
  assert.equal(markdownHtml("<b onclick=x>hi</b>"), "<p>&lt;b onclick=x&gt;hi&lt;/b&gt;</p>");
  assert.equal(markdownHtml("[click](javascript:alert(2))"), '<p><a href="">click</a></p>');
});

const BLOCKS: [string, string, number][] = [
  ["no block yet", "", 0],
  ["one paragraph", "Hello there", 0],
  ["a paragraph's lines are one block", "line one\nline two\n", 0],
  ["a heading, then a paragraph", "# Title\n\nSome text", 0],
  ["a heading, then a complete paragraph line", "# Title\n\nSome text\n", 9],
  ["a list is one block, however many items", "Intro\n\n- a\n- b\n- c\n", 7],
  ["a fence is one block until it closes", "Intro\n\n```js\nx\n\ny\n", 7],
  ["a quote's lazy line belongs to it", "Intro\n\n> quote\nlazy\n", 7],
  ["a setext underline belongs to its paragraph", "Intro\n\nTitle\n---\n", 7],
];

for (const [name, text, start] of BLOCKS) {
  Deno.test(`the last block starts where it should: ${name}`, () => {
    assert.equal(lastBlockStart(text), start);
  });
}

Deno.test("the blocks before the last render as they do in the whole text", () => {
  const text = "# Title\n\nA paragraph with **bold**.\n\n- a\n- b\n\n| x |\n|---|\n| 1 |\n\nEnd\n";
  const start = lastBlockStart(text);
  assert.equal(text.slice(start), "End\n");
  assert.equal(
    markdownHtml(text.slice(0, start)) + markdownHtml(text.slice(start)),
    markdownHtml(text),
  );
});
