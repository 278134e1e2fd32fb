import assert from "node:assert/strict";
import type { Locator, Page } from "playwright-core";
import { startGateway } from "../contract/gateway.ts";
import { launchBrowser, NO_BROWSER, screenshot, watchAnswer } from "./browser.ts";
import {
  ask,
  assertGfm,
  assertHarmless,
  assertRendered,
  GFM_ANSWER,
  MARKDOWN_ANSWER,
  MARKDOWN_CODE,
  serveImage,
  XSS_ANSWER,
} from "./markdown_answers.ts";
import { hostPage, startStaticSite } from "./static_site.ts";

const LONG_ANSWER = Array.from({ length: 60 }, (_, i) => `- line ${i + 1} of a long answer`)
  .join("\n");

/** Where the log is scrolled, and how far its end is below what shows. */
function scrollOf(log: Locator): Promise<{ top: number; below: number }> {
  return log.evaluate((el: { scrollTop: number; scrollHeight: number; clientHeight: number }) => ({
    top: el.scrollTop,
    below: el.scrollHeight - el.scrollTop - el.clientHeight,
  }));
}

/** Clicks an answer's Copy button and checks that the clipboard holds the code. */
async function assertCopies(page: Page, answer: Locator): Promise<void> {
  const copy = answer.getByRole("button", { name: "Copy code" });
  await copy.click();
  await answer.getByRole("button", { name: "Copied" }).waitFor();
  assert.equal(await page.evaluate("navigator.clipboard.readText()"), MARKDOWN_CODE);
}

Deno.test({
  name: "the page at / shows answers as Markdown, harmlessly, keeping the reader's place",
  ignore: NO_BROWSER,
  async fn(t) {
    await using gw = await startGateway({}, { pieceDelayMs: 40 });
    await using browser = await launchBrowser();
    await browser.context.grantPermissions(["clipboard-read", "clipboard-write"], {
      origin: gw.base,
    });
    const page = await browser.open(`${gw.base}/`);
    const dialogs: string[] = [];
    page.on("dialog", (dialog) => dialogs.push(dialog.message()) && dialog.dismiss());
    await serveImage(page);
    const answers = page.locator(".mwai-assistant");
    const log = page.locator(".mwai-log");

    await t.step("a list, a code block, a link and an image show as such", async () => {
      gw.site.options.answer = MARKDOWN_ANSWER;
      await ask(page, "Show me");
      assert.equal((await watchAnswer(answers.nth(0))).state, "done");
      await assertRendered(answers.nth(0));
      await screenshot(page, "chat_page_markdown");
    });

    await t.step("the code block's Copy button copies its code", async () => {
      await assertCopies(page, answers.nth(0));
    });

    await t.step("the history sends the answer's Markdown, not what it rendered", async () => {
      const before = gw.site.submits.length;
      await ask(page, "Thanks");
      await watchAnswer(answers.nth(1));
      const sent = gw.site.submits[before]!.body as { messages: { content: string }[] };
      assert.equal(sent.messages[1]!.content, MARKDOWN_ANSWER);
    });

    await t.step("an answer of XSS payloads runs nothing and injects nothing", async () => {
      gw.site.options.answer = XSS_ANSWER;
      await ask(page, "Attack");
      assert.equal((await watchAnswer(answers.nth(2))).state, "done");
      await assertHarmless(page, answers.nth(2), dialogs);
    });

    await t.step("the page's policy runs no inline script but its own", async () => {
      const policy = (await fetch(`${gw.base}/`).then(async (r) => (await r.body?.cancel(), r)))
        .headers.get("content-security-policy") ?? "";
      assert.match(policy, /script-src 'sha256-[^']+' https:\/\/challenges\.cloudflare\.com;/);
      const blocked = await page.evaluate(`new Promise((resolve) => {
        document.addEventListener("securitypolicyviolation", (e) => resolve(e.violatedDirective));
        const script = document.createElement("script");
        script.textContent = "window.pwned = 10";
        document.body.append(script);
      })`);
      assert.match(String(blocked), /^script-src/);
      assert.equal(await page.evaluate("window.pwned"), undefined);
    });

    await t.step("citations, snake_case, an aligned table: CommonMark and GFM", async () => {
      gw.site.options.answer = GFM_ANSWER;
      await ask(page, "GFM");
      assert.equal((await watchAnswer(answers.nth(3))).state, "done");
      await assertGfm(answers.nth(3));
      await screenshot(page, "chat_page_gfm");
    });

    await t.step(
      "a reader at the end of the log stays there while the answer streams",
      async () => {
        gw.site.options.answer = LONG_ANSWER;
        gw.site.options.pieces = 30;
        await ask(page, "Tell me more");
        const answer = answers.nth(4);
        let checked = 0;
        while ((await answer.getAttribute("data-state")) === "streaming") {
          const { below } = await scrollOf(log);
          assert.ok(below < 2, `the end is ${below}px below the view`);
          checked++;
        }
        assert.ok(checked > 3, "the answer was not watched as it streamed");
        const { top, below } = await scrollOf(log);
        assert.ok(top > 0 && below < 2, `scrollTop ${top}, ${below}px below`);
      },
    );

    await t.step("a reader who scrolled up stays where they are as text comes", async () => {
      gw.site.options.pieceDelayMs = 120;
      await ask(page, "And more");
      const answer = answers.nth(5);
      await answer.locator("li").nth(5).waitFor();
      const box = (await log.boundingBox())!;
      await page.mouse.move(box.x + box.width / 2, box.y + box.height / 2);
      const before = await scrollOf(log);
      await page.mouse.wheel(0, -400);
      // mouse.wheel() returns once Chromium has taken the input; the log's scrollTop moves
      // at a later frame, so a read right after it can still see the place before the wheel.
      await log.evaluate(
        (el: { scrollTop: number }, top: number) =>
          new Promise<void>((resolve, reject) => {
            const giveUp = Date.now() + 5000;
            const check = () => {
              if (el.scrollTop < top) resolve();
              else if (Date.now() > giveUp) reject(new Error("the wheel never moved the log"));
              else setTimeout(check, 5);
            };
            check();
          }),
        before.top - 200,
      );
      let place = await scrollOf(log);
      for (let last = -1; place.top !== last;) {
        last = place.top;
        await page.waitForTimeout(100);
        place = await scrollOf(log); // until a smooth scroll has come to rest
      }
      const lines = await answer.locator("li").count();
      assert.equal((await watchAnswer(answer)).state, "done");
      assert.ok((await answer.locator("li").count()) > lines, "no text came after the scroll");
      assert.equal((await scrollOf(log)).top, place.top, "the log moved under the reader");
    });

    assert.deepEqual(browser.pageErrors, []);
  },
});

Deno.test({
  name: "the widget of /embed.js shows Markdown in its shadow root, harmlessly",
  ignore: NO_BROWSER,
  async fn(t) {
    let gateway = "";
    await using site = startStaticSite({
      "/index.html": () => hostPage(gateway, 'data-open="true"'),
    });
    await using gw = await startGateway({ ALLOWED_ORIGINS: site.origin }, { pieceDelayMs: 40 });
    gateway = gw.base;
    await using browser = await launchBrowser();
    await browser.context.grantPermissions(["clipboard-read", "clipboard-write"], {
      origin: site.origin,
    });
    const page = await browser.open(`${site.origin}/`);
    const dialogs: string[] = [];
    page.on("dialog", (dialog) => dialogs.push(dialog.message()) && dialog.dismiss());
    await serveImage(page);
    const answers = page.locator(".mwai-assistant");

    await t.step("a list, a code block, a link and an image show as such", async () => {
      gw.site.options.answer = MARKDOWN_ANSWER;
      await ask(page, "Show me");
      assert.equal((await watchAnswer(answers.nth(0))).state, "done");
      await assertRendered(answers.nth(0));
      await assertCopies(page, answers.nth(0));
      await screenshot(page, "embed_chat_markdown");
    });

    await t.step("an answer of XSS payloads runs nothing and injects nothing", async () => {
      gw.site.options.answer = XSS_ANSWER;
      await ask(page, "Attack");
      assert.equal((await watchAnswer(answers.nth(1))).state, "done");
      await assertHarmless(page, answers.nth(1), dialogs);
      // Nothing reached the host page either, outside the shadow root.
      assert.equal(await page.evaluate("document.querySelectorAll('img, iframe, svg').length"), 0);
    });

    await t.step("citations, snake_case, an aligned table: CommonMark and GFM", async () => {
      gw.site.options.answer = GFM_ANSWER;
      await ask(page, "GFM");
      assert.equal((await watchAnswer(answers.nth(2))).state, "done");
      await assertGfm(answers.nth(2));
    });

    assert.deepEqual(browser.pageErrors, []);
  },
});
