import assert from "node:assert/strict";
import { UNFINISHED_MARKDOWN_SCRIPT } from "../../../lib/gateway/pages/unfinished_markdown_script.ts";
import { browserFunctions } from "./browser_script.ts";

const { closeUnfinished } = browserFunctions<{ closeUnfinished(text: string): string }>(
  [UNFINISHED_MARKDOWN_SCRIPT],
  ["closeUnfinished"],
);

const CASES: [string, string, string][] = [
  ["an open strong emphasis is closed", "Here is **bo", "Here is **bo**"],
  ["a strong emphasis opener with nothing in it waits", "Here is **", "Here is "],
  ["half a closer waits for the other half", "Here is **bold*", "Here is **bold**"],
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
  ["code in a fence shows as it comes", "```js\nconst a = `x", "```js\nconst a = `x"],
  ["complete lines are left alone", "**a\nb", "**a\nb"],
];

for (const [name, text, shown] of CASES) {
  Deno.test(name, () => assert.equal(closeUnfinished(text), shown));
}
