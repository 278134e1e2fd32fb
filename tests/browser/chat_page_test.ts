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

Deno.test({
  name: "the page at / chats: streams, keeps the history, stops, says what failed",
  ignore: NO_BROWSER,
  async fn(t) {
    await using gw = await startGateway({}, { pieceDelayMs: 120 });
    await using browser = await launchBrowser();
    const page = await browser.open(`${gw.base}/`);
    const message = page.getByRole("textbox", { name: "Message" });
    const answers = page.locator(".mwai-assistant");

    await t.step("Tab reaches the message box, Enter sends, the answer streams in", async () => {
      await page.keyboard.press("Tab");
      assert.match(await focused(page), /^textarea/);
      await page.keyboard.type("Hello");
      await page.keyboard.press("Enter");
      const answer = await watchAnswer(answers.nth(0));
      assert.equal(answer.state, "done");
      assert.equal(answer.text, ANSWER);
      assert.ok(answer.streamed.length >= 2, `seen only ${answer.streamed}`);
      assert.ok(answer.streamed[0]!.length < ANSWER.length);
      assert.match(await focused(page), /^textarea/);
    });

    await t.step(
      "Shift+Enter starts a new line; the history goes with the next message",
      async () => {
        const before = gw.site.submits.length;
        await message.press("Shift+Enter");
        assert.equal(await message.inputValue(), "\n");
        await message.fill("And then?");
        await page.getByRole("button", { name: "Send" }).click();
        assert.equal((await watchAnswer(answers.nth(1))).text, ANSWER);
        const sent = gw.site.submits[before]!.body as Record<string, unknown>;
        assert.equal(sent.newMessage, "And then?");
        assert.deepEqual(sent.messages, [
          { role: "user", content: "Hello" },
          { role: "assistant", content: ANSWER },
        ]);
        await screenshot(page, "chat_page");
      },
    );

    await t.step("Stop aborts the request, and the site sees the abort", async () => {
      await stopMidAnswer(page, gw.site, message, answers.nth(2));
    });

    await t.step("what was said before Stop stays in the history", async () => {
      const before = gw.site.submits.length;
      await message.fill("Go on");
      await message.press("Enter");
      assert.equal((await watchAnswer(answers.nth(3))).state, "done");
      const sent = gw.site.submits[before]!.body as { messages: { content: string }[] };
      assert.equal(sent.messages.length, 6); // two whole turns, then the stopped one
      // As Markdown shows it: a paragraph's trailing spaces are no text.
      assert.equal(
        sent.messages.at(-1)!.content.trimEnd(),
        await answers.nth(2).locator(".mwai-text").textContent(),
      );
    });

    await t.step(
      "an upstream error is shown in words, and its turn is not sent again",
      async () => {
        await message.fill("Hello __fake:500");
        await message.press("Enter");
        const failed = await watchAnswer(answers.nth(4));
        assert.equal(failed.state, "failed");
        assert.match(failed.note, /^The chat service could not answer: .*exploded/);
        const before = gw.site.submits.length;
        await message.fill("Fine now?");
        await message.press("Enter");
        assert.equal((await watchAnswer(answers.nth(5))).state, "done");
        const sent = gw.site.submits[before]!.body as { messages: { content: string }[] };
        assert.ok(!sent.messages.some((m) => m.content.includes("__fake")));
      },
    );

    await t.step("on a phone's width nothing scrolls sideways", async () => {
      const phone = await browser.open(`${gw.base}/`, { width: 360, height: 740 });
      await phone.getByRole("textbox", { name: "Message" }).fill("Hello");
      await phone.keyboard.press("Enter");
      assert.equal((await watchAnswer(phone.locator(".mwai-assistant").nth(0))).text, ANSWER);
      assert.equal(await overflowsSideways(phone), false);
      const send = await phone.getByRole("button", { name: "Send" }).boundingBox();
      assert.ok(send && send.x + send.width <= 360, "the Send button is off screen");
      await screenshot(phone, "chat_page_phone");
      await phone.close();
    });

    assert.deepEqual(browser.pageErrors, []);
  },
});

Deno.test({
  name: "the page asks for the API key on a 401 and keeps it for the tab",
  ignore: NO_BROWSER,
  async fn() {
    await using gw = await startGateway({ API_KEYS: "key-123" });
    await using browser = await launchBrowser();
    const page = await browser.open(`${gw.base}/`);
    const message = page.getByRole("textbox", { name: "Message" });
    const key = page.getByLabel("API key");
    assert.equal(await key.isVisible(), false);

    await message.fill("Hello");
    await message.press("Enter");
    const refused = await watchAnswer(page.locator(".mwai-assistant").nth(0));
    assert.equal(refused.state, "failed");
    assert.match(refused.note, /needs an API key/);
    assert.match(await focused(page), /^input/, "the key field did not take the focus");
    assert.equal(await message.inputValue(), "Hello", "the message was not kept to send again");

    await page.keyboard.type("wrong-key");
    await page.keyboard.press("Enter");
    assert.match(await focused(page), /^textarea/);
    await page.keyboard.press("Enter");
    const wrong = await watchAnswer(page.locator(".mwai-assistant").nth(1));
    assert.match(wrong.note, /The API key was refused/);

    await page.keyboard.type("key-123");
    await page.keyboard.press("Enter");
    await page.keyboard.press("Enter");
    assert.equal((await watchAnswer(page.locator(".mwai-assistant").nth(2))).text, ANSWER);
    const stored = await page.evaluate(`sessionStorage.getItem("mwai-edge:api-key:${gw.base}")`);
    assert.equal(stored, "key-123");

    await page.reload();
    await message.fill("Hello again");
    await message.press("Enter");
    assert.equal((await watchAnswer(page.locator(".mwai-assistant").nth(0))).text, ANSWER);
    assert.equal(await key.isVisible(), false);
    assert.deepEqual(browser.pageErrors, []);
  },
});
