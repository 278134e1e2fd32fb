import assert from "node:assert/strict";
import { UNFINISHED_MARKDOWN_SCRIPT } from "../../../lib/gateway/pages/unfinished_markdown_script.ts";
import { browserFunctions } from "./browser_script.ts";

const { closeUnfinished } = browserFunctions<{ closeUnfinished(text: string): string }>(
  [UNFINISHED_MARKDOWN_SCRIPT],
  ["closeUnfinished"],
);

const CASES: [string, string, string][] = [
  ["an open strong emphasis is closed", "Here is **bo", "Here is **bo**"],
  ["a strong emphasis opener with nothing in it waits", "Here is **", "Here is"],
  ["half a closer waits for the other half", "Here is **bold*", "Here is **bold**"],
  ["a closer goes right after the last word", "- then **another ", "- then **another**"],
  ["a whole pair is left alone", "Here is **bold** and", "Here is **bold** and"],
  ["an open code span is closed", "Run `deno fm", "Run `deno fm`"],
  ["stars inside a code span open nothing", "Run `a**b` and", "Run `a**b` and"],
  ["an open strikethrough is closed", "It is ~~wron", "It is ~~wron~~"],
  ["an open emphasis with a star is closed", "It is *so", "It is *so*"],
  ["nested openers close innermost first", "**a *b", "**a *b***"],
  ["a star between spaces opens nothing", "2 * 3 = 6", "2 * 3 = 6"],
  ["underscores are left alone", "snake_case_na", "snake_case_na"],
  [
    "a link whose destination is coming is closed",
    "[the docs](https://docs.ex",
    "[the docs](https://docs.ex)",
  ],
  ["a citation is left alone", "Cites [1", "Cites [1"],
  ["a bullet without its text waits", "Items:\n\n- one\n- ", "Items:\n\n- one\n"],
  ["a heading's hashes wait", "para\n\n##", "para\n\n"],
  ["a table's header row waits for its delimiter row", "| a | b |\n|--", ""],
  [
    "a table shows once its delimiter row is complete",
    "| a | b |\n|--|--|\n",
    "| a | b |\n|--|--|\n",
  ],
  ["a fence's first line waits for its end", "Text\n\n```t", "Text\n\n"],
  ["code in a fence shows as it comes", "```js\nconst a = `x", "```js\nconst a = `x"],
  ["complete lines are left alone", "**a\nb", "**a\nb"],
];

for (const [name, text, shown] of CASES) {
  Deno.test(name, () => assert.equal(closeUnfinished(text), shown));
}

Deno.test("no prefix of a long answer shows raw syntax once its last block is closed", async () => {
  const { MARKDOWN_VENDOR } = await import("../../../lib/gateway/pages/markdown_vendor.ts");
  const { MARKDOWN_HTML_SCRIPT } = await import(
    "../../../lib/gateway/pages/markdown_html_script.ts"
  );
  const { longAnswer } = await import("../../browser/long_answer.ts");
  const { markdownHtml, lastBlockStart, closeUnfinished: close } = browserFunctions<{
    markdownHtml(text: string): string;
    lastBlockStart(text: string): number;
    closeUnfinished(text: string): string;
  }>(
    [MARKDOWN_VENDOR, MARKDOWN_HTML_SCRIPT, UNFINISHED_MARKDOWN_SCRIPT],
    ["markdownHtml", "lastBlockStart", "closeUnfinished"],
  );
  const answer = longAnswer(1_200);
  let settled = 0;
  for (let end = 1; end <= answer.length; end++) {
    const tail = answer.slice(settled, end);
    const cut = lastBlockStart(tail);
    settled += cut;
    const shown = markdownHtml(close(tail.slice(cut))).replace(/<[^>]*>/g, "");
    assert.ok(!/\*\*|\]\(|\|:?--|^#|`/m.test(shown), `at ${end}: ${JSON.stringify(shown)}`);
  }
});
