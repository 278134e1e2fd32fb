import assert from "node:assert/strict";
import { startGateway } from "../contract/gateway.ts";
import { ANSWER } from "../contract/http_client.ts";
import {
  focused,
  launchBrowser,
  NO_BROWSER,
  overflowsSideways,
  screenshot,
  stopMidAnswer,
  watchAnswer,
} from "./browser.ts";
import { hostPage, startStaticSite } from "./static_site.ts";

// The browser's, for the functions that run in the page (Deno's types have no DOM).
declare function getComputedStyle(element: unknown): {
  getPropertyValue(name: string): string;
};

Deno.test({
  name: "a site on another origin gets the chat from one script tag",
  ignore: NO_BROWSER,
  async fn(t) {
    let gateway = "";
    await using site = startStaticSite({
      "/index.html": () => hostPage(gateway, 'data-title="Ask us"'),
      "/support.html": () => hostPage(gateway, 'data-title="Support" data-model="support"'),
    });
    await using stranger = startStaticSite({ "/index.html": () => hostPage(gateway) });
    await using gw = await startGateway(
      { ALLOWED_ORIGINS: site.origin, AI_ENGINE_BOTS: "default,support" },
      { pieceDelayMs: 120 },
    );
    gateway = gw.base;
    await using browser = await launchBrowser();
    const page = await browser.open(`${site.origin}/`);
    const launcher = page.getByRole("button", { name: "Ask us" });
    const message = page.getByRole("textbox", { name: "Message" });
    const answers = page.locator(".mwai-assistant");

    await t.step("its button opens a panel where the answer streams in, in steps", async () => {
      assert.equal(await launcher.getAttribute("aria-expanded"), "false");
      await launcher.click();
      assert.equal(await launcher.getAttribute("aria-expanded"), "true");
      assert.ok(await page.getByRole("dialog", { name: "Ask us" }).isVisible());
      await message.fill("Hello");
      await page.getByRole("button", { name: "Send" }).click();
      const answer = await watchAnswer(answers.nth(0));
      assert.equal(answer.state, "done");
      assert.equal(answer.text, ANSWER);
      assert.ok(answer.streamed.length >= 2, `seen only ${answer.streamed}`);
      assert.ok(answer.streamed[0]!.length < ANSWER.length);
      await screenshot(page, "embed_chat");
    });

    await t.step("the next message carries the history as messages", async () => {
      const before = gw.site.submits.length;
      await message.fill("And then?");
      await message.press("Enter");
      assert.equal((await watchAnswer(answers.nth(1))).text, ANSWER);
      const sent = gw.site.submits[before]!.body as Record<string, unknown>;
      assert.equal(sent.newMessage, "And then?");
      assert.deepEqual(sent.messages, [
        { role: "user", content: "Hello" },
        { role: "assistant", content: ANSWER },
      ]);
    });

    await t.step("the site's CSS does not leak into the widget", async () => {
      const style = (selector: string, property: string) =>
        page.locator(selector).first().evaluate(
          (el, name) => getComputedStyle(el).getPropertyValue(name),
          property,
        );
      assert.equal(await style(".mwai-launcher", "background-color"), "rgb(26, 86, 201)");
      assert.equal(await style(".mwai-launcher", "color"), "rgb(255, 255, 255)");
      assert.doesNotMatch(await style(".mwai-launcher", "font-family"), /Comic/);
      assert.doesNotMatch(await style(".mwai-text", "color"), /255, 0, 255/);
      assert.equal(await style(".mwai-chat", "font-size"), "16px");
      const box = await message.boundingBox();
      assert.ok(box && box.width > 100, `the message box is ${box?.width}px wide`);
      assert.ok(!(await page.locator(".mwai-key").isVisible()), "the site showed [hidden]");
    });

    await t.step("Stop aborts the request, and the site sees the abort", async () => {
      await stopMidAnswer(page, gw.site, message, answers.nth(2));
    });

    await t.step("an upstream error is shown in words", async () => {
      await message.fill("Hello __fake:500");
      await message.press("Enter");
      const failed = await watchAnswer(answers.nth(3));
      assert.equal(failed.state, "failed");
      assert.match(failed.note, /^The chat service could not answer: .*exploded/);
    });

    await t.step("an answer cut off midway says so", async () => {
      await message.fill("Hello __fake:reset:2");
      await message.press("Enter");
      const cut = await watchAnswer(answers.nth(4));
      assert.equal(cut.state, "failed");
      assert.ok(cut.text.length > 0, "no text came before the cut");
      assert.match(cut.note, /^The answer was cut off before it was complete/);
    });

    await t.step("it works from the keyboard alone (Tab, Enter, Escape)", async () => {
      const keys = await browser.open(`${site.origin}/`);
      for (let i = 0; i < 5 && !(await focused(keys)).startsWith("button.mwai-launcher"); i++) {
        await keys.keyboard.press("Tab");
      }
      assert.equal(await focused(keys), 'button.mwai-launcher "Ask us"');
      await keys.keyboard.press("Enter");
      assert.match(await focused(keys), /^textarea/);
      await keys.keyboard.type("Hello");
      await keys.keyboard.press("Enter");
      assert.equal((await watchAnswer(keys.locator(".mwai-assistant").nth(0))).text, ANSWER);
      // Stop, reached with Tab while an answer streams.
      gw.site.options.pieceDelayMs = 400;
      const aborts = gw.site.aborts;
      await keys.keyboard.type("Another");
      await keys.keyboard.press("Enter");
      await keys.keyboard.press("Tab");
      await keys.keyboard.press("Tab");
      assert.equal(await focused(keys), 'button "Stop"');
      await keys.keyboard.press("Enter");
      await gw.site.waitForAborts(aborts + 1);
      assert.equal((await watchAnswer(keys.locator(".mwai-assistant").nth(1))).state, "stopped");
      assert.match(await focused(keys), /^textarea/, "the focus was lost with the Stop button");
      gw.site.options.pieceDelayMs = 120;
      await keys.keyboard.press("Escape");
      assert.equal(await focused(keys), 'button.mwai-launcher "Ask us"');
      assert.ok(!(await keys.getByRole("dialog").isVisible()));
      await keys.close();
    });

    await t.step("data-model picks the bot and data-title names the chat", async () => {
      const support = await browser.open(`${site.origin}/support.html`);
      const before = gw.site.submits.length;
      await support.getByRole("button", { name: "Support" }).click();
      await support.getByRole("textbox", { name: "Message" }).fill("Hello");
      await support.keyboard.press("Enter");
      assert.equal((await watchAnswer(support.locator(".mwai-assistant").nth(0))).text, ANSWER);
      assert.equal((gw.site.submits[before]!.body as { botId: string }).botId, "support");
      await support.close();
    });

    await t.step("on a phone the panel fills the screen, without sideways scrolling", async () => {
      const phone = await browser.open(`${site.origin}/`, { width: 375, height: 740 });
      await phone.getByRole("button", { name: "Ask us" }).click();
      const panel = await phone.getByRole("dialog").boundingBox();
      assert.deepEqual(panel, { x: 0, y: 0, width: 375, height: 740 });
      await phone.getByRole("textbox", { name: "Message" }).fill("Hello");
      await phone.keyboard.press("Enter");
      assert.equal((await watchAnswer(phone.locator(".mwai-assistant").nth(0))).text, ANSWER);
      assert.equal(await overflowsSideways(phone), false);
      await screenshot(phone, "embed_chat_phone");
      await phone.close();
    });

    await t.step(
      "a site not in ALLOWED_ORIGINS is refused, and the site hears nothing",
      async () => {
        const before = gw.site.requests.length;
        const refused = await browser.open(`${stranger.origin}/`);
        await refused.getByRole("button", { name: "Chat" }).click();
        await refused.getByRole("textbox", { name: "Message" }).fill("Hello");
        await refused.keyboard.press("Enter");
        const answer = await watchAnswer(refused.locator(".mwai-assistant").nth(0));
        assert.equal(answer.state, "failed");
        assert.match(answer.note, /^Could not reach the chat service\..*not be allowed/);
        assert.equal(gw.site.requests.length, before);
        await refused.close();
      },
    );

    assert.deepEqual(browser.pageErrors, []);
  },
});
