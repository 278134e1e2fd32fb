/**
 * Markdown answers for the browser tests, and the checks that what the chat made of them is
 * rendered, or harmless. The checks look at the answer's `.mwai-text`, so they work the same
 * on the page and in the widget's shadow root (playwright's locators pierce open ones).
 */
import assert from "node:assert/strict";
import { Buffer } from "node:buffer";
import type { Locator, Page } from "playwright-core";

/** What image bots and chat bots answer: a list, a code block, a link and an image. */
export const MARKDOWN_ANSWER = [
  "Here is **what** you asked:",
  "",
  "- first item",
  "- second item",
  "",
  "```js",
  'console.log("hi");',
  "```",
  "",
  "See [the docs](https://docs.example/guide) and ![Image](https://images.example/cat.png)",
].join("\n");

/** The code of {@linkcode MARKDOWN_ANSWER}'s code block. */
export const MARKDOWN_CODE = 'console.log("hi");';

/** The image of {@linkcode MARKDOWN_ANSWER}: a 1×1 PNG, served by {@linkcode serveImage}. */
export const IMAGE_URL = "https://images.example/cat.png";

const PNG = Buffer.from(
  "iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNk+M9QDwADhgGAWjR9awAAAABJRU5ErkJggg==",
  "base64",
);

/** Answers {@linkcode IMAGE_URL} in the browser itself (the tests have no internet). */
export async function serveImage(page: Page): Promise<void> {
  await page.route(
    IMAGE_URL,
    (route) => route.fulfill({ status: 200, contentType: "image/png", body: PNG }),
  );
}

/**
 * An answer that tries every way into the page: each payload, if it ran, sets
 * `window.pwned` or opens a dialog.
 */
export const XSS_ANSWER = [
  'Look: <img src=x onerror="window.pwned=1">',
  "<script>window.pwned=2</script>",
  "[click me](javascript:window.pwned=3) and [me too](JaVaScRiPt:window.pwned=3)",
  "![a refused picture](javascript:window.pwned=4)",
  '<a href="javascript:window.pwned=5">raw link</a>',
  "[data](data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==)",
  '<iframe src="javascript:alert(6)"></iframe>',
  "<svg onload=alert(7)></svg>",
  "![x](x.png) done",
].join("\n\n");

/**
 * What CommonMark and GFM say of the cases an answer meets: citations, a name with
 * underscores, an aligned table, strikethrough, autolinks, a task list, a fence's language
 * and a link the chat refuses.
 */
export const GFM_ANSWER = [
  "Cites [1] and [2][3], see [4].",
  "[0][1][2][3][4][5][6][7]",
  "Use snake_case_name here.",
  "| left | right |\n|:--|--:|\n| a | 1 |",
  "~~old~~ new, see https://docs.example/gfm and <https://docs.example/auto>.",
  "- [x] done\n- [ ] to do",
  "[click](javascript:alert(2))",
  "```py\nprint(1)\n```",
].join("\n\n");

/** Checks, on the DOM, that an answer shows GFM_ANSWER as CommonMark and GFM say. */
export async function assertGfm(answer: Locator): Promise<void> {
  const text = answer.locator(".mwai-text");
  const paragraphs = await text.locator(":scope > p").allTextContents();
  assert.deepEqual(paragraphs, [
    "Cites [1] and [2][3], see [4].",
    "[0][1][2][3][4][5][6][7]",
    "Use snake_case_name here.",
    "old new, see https://docs.example/gfm and https://docs.example/auto.",
    "click",
  ]);
  assert.equal(await text.locator("em").count(), 0, "snake_case_name has no emphasis");
  const align = (cell: Locator) =>
    cell.evaluate((el: { getAttribute(n: string): string | null }) => el.getAttribute("align"));
  const style = (cell: Locator) =>
    cell.evaluate((el: unknown) =>
      (globalThis as unknown as { getComputedStyle(e: unknown): { textAlign: string } })
        .getComputedStyle(el).textAlign
    );
  assert.deepEqual(await text.locator("th").allTextContents(), ["left", "right"]);
  assert.equal(await align(text.locator("th").nth(0)), "left");
  assert.equal(await align(text.locator("td").nth(1)), "right");
  assert.equal(await style(text.locator("td").nth(1)), "right");
  assert.equal(await text.locator("del").textContent(), "old");
  const links = text.locator("a");
  assert.deepEqual(
    await links.evaluateAll((as) =>
      as.map((a) => [a.getAttribute("href"), a.getAttribute("target"), a.getAttribute("rel")])
    ),
    [
      ["https://docs.example/gfm", "_blank", "noopener noreferrer"],
      ["https://docs.example/auto", "_blank", "noopener noreferrer"],
    ],
  );
  const boxes = text.locator('li > input[type="checkbox"][disabled]');
  assert.equal(await boxes.count(), 2);
  assert.deepEqual(
    await boxes.evaluateAll((inputs) =>
      inputs.map((i) => (i as unknown as { checked: boolean }).checked)
    ),
    [true, false],
  );
  assert.equal(await text.locator("pre code.language-py").textContent(), "print(1)\n");
  await assertNoHandlers(answer);
}

/** Checks that no element of an answer has an `on…` attribute. */
export async function assertNoHandlers(answer: Locator): Promise<void> {
  const handlers = await answer.locator(".mwai-text *").evaluateAll((nodes) =>
    nodes.flatMap((node) =>
      (node as unknown as { getAttributeNames(): string[] }).getAttributeNames()
        .filter((name) => name.toLowerCase().startsWith("on"))
    )
  );
  assert.deepEqual(handlers, []);
  assert.ok(await answer.locator(".mwai-text *").count() > 0, "no element was checked");
}

/** Types `message` into the chat and sends it. */
export async function ask(page: Page, message: string): Promise<void> {
  await page.getByRole("textbox", { name: "Message" }).fill(message);
  await page.keyboard.press("Enter");
}

/** Checks that an answer shows the list, code block, link and image of MARKDOWN_ANSWER. */
export async function assertRendered(answer: Locator): Promise<void> {
  const text = answer.locator(".mwai-text");
  assert.deepEqual(await text.locator("ul > li").allTextContents(), ["first item", "second item"]);
  assert.equal(await text.locator("strong").textContent(), "what");
  assert.equal(await text.locator("pre code").textContent(), MARKDOWN_CODE + "\n");
  assert.equal(await text.locator("pre code").getAttribute("class"), "language-js");
  const link = text.getByRole("link", { name: "the docs" });
  assert.equal(await link.getAttribute("href"), "https://docs.example/guide");
  assert.equal(await link.getAttribute("rel"), "noopener noreferrer");
  assert.equal(await link.getAttribute("target"), "_blank");
  const image = text.getByRole("img", { name: "Image" });
  assert.equal(await image.getAttribute("src"), IMAGE_URL);
  assert.equal(await image.getAttribute("referrerpolicy"), "no-referrer");
  await answer.page().waitForFunction(
    (img) => (img as { naturalWidth: number } | null)?.naturalWidth === 1,
    await image.elementHandle(),
  );
}

// Elements that a Markdown answer may produce; anything else was injected.
const MARKDOWN_ELEMENTS = new Set(
  ("P BR HR H1 H2 H3 H4 H5 H6 EM STRONG DEL CODE PRE A IMG UL OL LI BLOCKQUOTE TABLE THEAD TBODY " +
    "TR TH TD INPUT DIV BUTTON")
    .split(" "),
);

/**
 * Checks that XSS_ANSWER ran nothing and injected nothing: no payload ran, no dialog
 * opened, every element is one Markdown makes with only the attributes it sets, no link
 * goes anywhere but http(s), no image loads, and the HTML shows as text.
 */
export async function assertHarmless(page: Page, answer: Locator, dialogs: string[]) {
  await page.waitForTimeout(300); // time for an onerror or onload to fire
  assert.equal(await page.evaluate("window.pwned"), undefined);
  assert.deepEqual(dialogs, []);
  const elements = await answer.locator(".mwai-text *").evaluateAll((nodes) =>
    nodes.map((node) => {
      const el = node as unknown as {
        tagName: string;
        getAttributeNames(): string[];
        getAttribute(name: string): string;
      };
      return {
        tag: el.tagName,
        attributes: Object.fromEntries(el.getAttributeNames().map((n) => [n, el.getAttribute(n)])),
      };
    })
  );
  for (const { tag, attributes } of elements) {
    assert.ok(MARKDOWN_ELEMENTS.has(tag), `an injected <${tag}>`);
    for (const [name, value] of Object.entries(attributes)) {
      assert.ok(!name.startsWith("on"), `<${tag} ${name}=${value}>`);
      if (name === "href") assert.match(value, /^(https?|mailto):/, `<${tag} href=${value}>`);
      assert.notEqual(name, "src", `<${tag} src=${value}>`);
    }
  }
  const text = await answer.locator(".mwai-text").textContent() ?? "";
  assert.match(text, /<img src=x onerror="window.pwned=1">/);
  assert.match(text, /<script>window.pwned=2<\/script>/);
  assert.match(text, /<a href="javascript:window.pwned=5">raw link<\/a>/);
  assert.match(text, /click me/);
  assert.match(text, /a refused picture/, "a refused image shows its alt text");
}
