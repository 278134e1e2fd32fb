/**
 * `answerView` (lib/gateway/pages/answer_view_script.ts) on its own, in Chromium: however
 * the answer is split, it ends as the whole answer's rendering; closed blocks keep their
 * nodes (and a selection in them) while more text comes.
 */
import assert from "node:assert/strict";
import type { Page } from "playwright-core";
import { launchBrowser, NO_BROWSER } from "./browser.ts";
import { GFM_ANSWER, MARKDOWN_ANSWER } from "./markdown_answers.ts";
import { loadMarkdown } from "./markdown_page.ts";

const ANSWER =
  `${MARKDOWN_ANSWER}\n\n${GFM_ANSWER}\n\nSee [docs][1].\n\n[1]: https://docs.example/one`;

/** Splits `text` at `count - 1` random places (a seeded generator: the same every run). */
function randomPieces(text: string, count: number, seed: number): string[] {
  const cuts = new Set<number>();
  for (let x = seed; cuts.size < count - 1;) {
    x = (x * 1103515245 + 12345) % 2 ** 31;
    cuts.add(1 + (x % (text.length - 1)));
  }
  const sorted = [0, ...[...cuts].sort((a, b) => a - b), text.length];
  return sorted.slice(1).map((end, i) => text.slice(sorted[i], end));
}

/** Streams `pieces` into a fresh view, `gapMs` apart; returns its HTML and a whole render's. */
function stream(page: Page, pieces: string[], gapMs: number): Promise<[string, string]> {
  return page.evaluate(`(async (pieces, gapMs) => {
    const body = document.createElement("div");
    document.body.append(body);
    const view = window.markdown.answerView(body, () => {});
    for (const piece of pieces) {
      view.write(piece);
      await new Promise((resolve) => setTimeout(resolve, gapMs));
    }
    view.end();
    const whole = document.createElement("div");
    whole.append(window.markdown.markdownFragment(document,
      window.markdown.markdownHtml(pieces.join("")), () => {}));
    return [body.innerHTML, whole.innerHTML];
  })(${JSON.stringify(pieces)}, ${gapMs})`) as Promise<[string, string]>;
}

Deno.test({
  name: "however an answer is split, the view ends as the whole answer's rendering",
  ignore: NO_BROWSER,
  async fn(t) {
    await using browser = await launchBrowser();
    const page = await browser.open("about:blank");
    await page.route("https://images.example/**", (route) => route.fulfill({ status: 404 }));
    await loadMarkdown(page);
    for (const seed of [1, 2, 3]) {
      await t.step(`in 40 random pieces (seed ${seed})`, async () => {
        const [shown, whole] = await stream(page, randomPieces(ANSWER, 40, seed), 35);
        assert.equal(shown, whole);
      });
    }
    await t.step("one character at a time", async () => {
      const [shown, whole] = await stream(page, [...ANSWER], 0);
      assert.equal(shown, whole);
    });
    await t.step("a citation links once its definition comes, at the end", async () => {
      const [shown] = await stream(page, randomPieces(ANSWER, 20, 7), 35);
      assert.match(shown, /See <a href="https:\/\/docs\.example\/one"[^>]*>docs<\/a>\./);
    });
    assert.deepEqual(browser.pageErrors, []);
  },
});

Deno.test({
  name: "a closed block keeps its nodes, and a selection in it, while the answer streams",
  ignore: NO_BROWSER,
  async fn() {
    await using browser = await launchBrowser();
    const page = await browser.open("about:blank");
    await loadMarkdown(page);
    const kept = await page.evaluate(`(async () => {
      const body = document.createElement("div");
      document.body.append(body);
      const view = window.markdown.answerView(body, () => {});
      const rendered = () => new Promise((resolve) => setTimeout(resolve, 250));
      view.write("First paragraph, to select.\\n\\nSecond");
      await rendered();
      const first = body.querySelector("p");
      const range = document.createRange();
      range.selectNodeContents(first);
      getSelection().addRange(range);
      for (const piece of [" paragraph **bo", "ld** text.\\n\\n- a list", "\\n- of items"]) {
        view.write(piece);
        await rendered();
      }
      view.end();
      return [body.querySelector("p") === first, getSelection().toString(),
        body.querySelectorAll("li").length, body.querySelector("strong")?.textContent];
    })()`);
    assert.deepEqual(kept, [true, "First paragraph, to select.", 2, "bold"]);
  },
});
