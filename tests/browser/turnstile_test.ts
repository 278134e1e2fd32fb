/**
 * Turnstile in the chat page and the embed, in Chromium, over real HTTP: the gateway
 * verifies tokens with the local siteverify stand-in, and the widget is the fake `api.js`
 * of fake_turnstile.ts (the machine is offline; the fake keeps to Cloudflare's API).
 */
import assert from "node:assert/strict";
import type { Page } from "playwright-core";
import { startGateway } from "../contract/gateway.ts";
import { ANSWER } from "../contract/http_client.ts";
import {
  STAND_IN_SECRET,
  startTurnstileStandIn,
  type TurnstileStandIn,
} from "../gateway/limits/turnstile_stand_in.ts";
import type { Variables } from "../../lib/gateway/config.ts";
import type { EmulatorOptions } from "../emulator/ai_engine_emulator.ts";
import { type Browser, launchBrowser, NO_BROWSER, screenshot, watchAnswer } from "./browser.ts";
import { checkbox, fakeTurnstile, turnstileCalls } from "./fake_turnstile.ts";
import { hostPage, startStaticSite, type StaticSite } from "./static_site.ts";

const SITE_KEY = "1x00000000000000000000AA";
const API_JS = "https://challenges.cloudflare.com/turnstile/v0/api.js?render=explicit";
const CHECK_AGAIN = /^Please complete the check above the message box, then send your message/;

function turnstileVars(standIn: TurnstileStandIn) {
  return {
    TURNSTILE_SITE_KEY: SITE_KEY,
    TURNSTILE_SECRET_KEY: STAND_IN_SECRET,
    TURNSTILE_VERIFY_URL: standIn.url,
  };
}

/** A gateway, a static site on another origin that embeds its chat, and a browser. */
async function startEmbedded(vars: Variables, siteOptions: EmulatorOptions = {}) {
  let gateway = "";
  const site: StaticSite = startStaticSite({ "/index.html": () => hostPage(gateway) });
  const stack = new AsyncDisposableStack();
  stack.use(site);
  try {
    const gw = stack.use(
      await startGateway({ ALLOWED_ORIGINS: site.origin, ...vars }, siteOptions),
    );
    gateway = gw.base;
    const browser: Browser = stack.use(await launchBrowser());
    const rest = stack.move();
    return { site, gw, browser, [Symbol.asyncDispose]: () => rest.disposeAsync() };
  } catch (error) {
    await stack.disposeAsync();
    throw error;
  }
}

/** The Turnstile headers of each message the page sent to the gateway, in order. */
function sentChecks(page: Page): { token?: string; pass?: string }[] {
  const sent: { token?: string; pass?: string }[] = [];
  page.on("request", (request) => {
    if (request.method() !== "POST" || !request.url().endsWith("/api/chat")) return;
    const headers = request.headers();
    sent.push({
      ...(headers["x-turnstile-token"] ? { token: headers["x-turnstile-token"] } : {}),
      ...(headers["x-gateway-pass"] ? { pass: headers["x-gateway-pass"] } : {}),
    });
  });
  return sent;
}

Deno.test({
  name: "the page asks for a Turnstile check once, then sends the gateway's pass",
  ignore: NO_BROWSER,
  async fn(t) {
    await using standIn = startTurnstileStandIn();
    await using world = await startEmbedded(turnstileVars(standIn), { pieceDelayMs: 20 });
    const { gw, browser } = world;
    const fake = await fakeTurnstile(browser.context, ["forged", "good-1", "good-2"]);
    const page = await browser.open(`${gw.base}/`);
    const sent = sentChecks(page);
    const message = page.getByRole("textbox", { name: "Message" });
    const answers = page.locator(".mwai-assistant");
    const status = page.locator(".mwai-check [role=status]");

    await t.step("api.js is loaded once, and the widget renders with the site key", async () => {
      await checkbox(page).waitFor();
      assert.deepEqual(fake.requests, [API_JS]);
      assert.deepEqual((await turnstileCalls(page)).sitekeys, [SITE_KEY]);
    });

    await t.step("a message before the check stays in the box, and nothing is sent", async () => {
      await message.fill("Hello");
      await message.press("Enter");
      assert.match(await status.textContent() ?? "", CHECK_AGAIN);
      assert.equal(await message.inputValue(), "Hello");
      assert.equal(sent.length, 0);
      assert.equal(await answers.count(), 0);
    });

    await t.step("a refused token is said in words, and the message comes back", async () => {
      await checkbox(page).check();
      await message.press("Enter");
      const refused = await watchAnswer(answers.nth(0));
      assert.equal(refused.state, "failed");
      assert.match(refused.note, CHECK_AGAIN);
      assert.deepEqual(sent, [{ token: "forged" }]);
      assert.equal(await message.inputValue(), "Hello");
      assert.equal(await checkbox(page).isChecked(), false, "the widget was not reset");
      assert.equal(gw.site.submits.length, 0);
    });

    await t.step("after a new check the message goes with its token", async () => {
      await checkbox(page).check();
      assert.equal(await status.textContent(), "");
      await message.press("Enter");
      assert.equal((await watchAnswer(answers.nth(1))).text, ANSWER);
      assert.deepEqual(sent[1], { token: "good-1" });
      assert.equal(standIn.forms.at(-1)?.get("response"), "good-1");
      assert.equal((gw.site.submits[0]!.body as { newMessage: string }).newMessage, "Hello");
      assert.equal(await checkbox(page).isVisible(), false, "the check stays while a pass holds");
      const held = await page.evaluate("window.turnstile.getResponse()");
      assert.equal(held, undefined, "the widget kept a token that was sent");
    });

    await t.step("the next messages send the pass, and no token", async () => {
      for (const [i, words] of ["And then?", "More"].entries()) {
        await message.fill(words);
        await message.press("Enter");
        assert.equal((await watchAnswer(answers.nth(2 + i))).text, ANSWER);
      }
      assert.equal(sent.length, 4);
      assert.match(sent[2]!.pass ?? "", /^\d+\.[\w-]{43}$/);
      assert.deepEqual(sent[3], { pass: sent[2]!.pass });
      assert.equal(standIn.forms.length, 2, "siteverify was asked again");
    });

    await t.step("a pass the gateway refuses brings the check back", async () => {
      await page.route(`${gw.base}/api/chat`, async (route) => {
        const headers = { ...route.request().headers(), "x-gateway-pass": "1.refused" };
        await route.continue({ headers });
      }, { times: 1 });
      await message.fill("Once more");
      await message.press("Enter");
      const refused = await watchAnswer(answers.nth(4));
      assert.equal(refused.state, "failed");
      assert.match(refused.note, CHECK_AGAIN);
      assert.equal(await message.inputValue(), "Once more");
      await checkbox(page).check();
      await message.press("Enter");
      assert.equal((await watchAnswer(answers.nth(5))).text, ANSWER);
      assert.deepEqual(sent.at(-1), { token: "good-2" });
      await screenshot(page, "chat_page_turnstile");
    });

    assert.deepEqual(fake.requests, [API_JS], "api.js was loaded more than once");
    assert.deepEqual(browser.pageErrors, []);
  },
});

Deno.test({
  name:
    "an answer refused after the check still gives its pass; a check the gateway cannot ask spends no token",
  ignore: NO_BROWSER,
  async fn(t) {
    await using standIn = startTurnstileStandIn();
    await using world = await startEmbedded(turnstileVars(standIn));
    const { gw, browser } = world;
    await fakeTurnstile(browser.context, ["good-1"]);
    const page = await browser.open(`${gw.base}/`);
    const sent = sentChecks(page);
    const message = page.getByRole("textbox", { name: "Message" });
    const answers = page.locator(".mwai-assistant");
    const status = page.locator(".mwai-check [role=status]");

    await t.step("the site refuses the message: the pass of its token is kept", async () => {
      await checkbox(page).check();
      await message.fill("Я".repeat(600)); // longer than the bot takes
      await message.press("Enter");
      const refused = await watchAnswer(answers.nth(0));
      assert.equal(refused.state, "failed");
      assert.doesNotMatch(refused.note, CHECK_AGAIN);
      assert.equal(await message.inputValue(), "Я".repeat(600), "the refused message was lost");
      await message.fill("Hello");
      await message.press("Enter");
      assert.equal((await watchAnswer(answers.nth(1))).text, ANSWER);
      assert.deepEqual(sent[0], { token: "good-1" });
      assert.match(sent[1]!.pass ?? "", /^\d+\.[\w-]{43}$/, "the pass was thrown away");
      assert.equal(standIn.forms.length, 1, "the visitor was checked twice");
    });

    await t.step("siteverify down: said in words, no new check asked, the token kept", async () => {
      await using down = await startEmbedded({
        ...turnstileVars(standIn),
        TURNSTILE_VERIFY_URL: "http://127.0.0.1:9/siteverify",
      });
      await fakeTurnstile(down.browser.context, ["good-2"]);
      const other = await down.browser.open(`${down.gw.base}/`);
      const otherSent = sentChecks(other);
      await checkbox(other).check();
      await other.getByRole("textbox", { name: "Message" }).fill("Hello");
      await other.keyboard.press("Enter");
      const failed = await watchAnswer(other.locator(".mwai-assistant").nth(0));
      assert.equal(failed.state, "failed");
      assert.doesNotMatch(failed.note, CHECK_AGAIN);
      assert.doesNotMatch(
        await other.locator(".mwai-check [role=status]").textContent() ?? "",
        CHECK_AGAIN,
      );
      assert.equal(await checkbox(other).isChecked(), true, "the widget was reset");
      assert.deepEqual(otherSent, [{ token: "good-2" }]);
      assert.deepEqual(down.browser.pageErrors, []);
    });
    assert.equal(await status.textContent(), "");
    assert.deepEqual(browser.pageErrors, []);
  },
});

Deno.test({
  name: "the embed on another origin asks for the check once, then sends the pass",
  ignore: NO_BROWSER,
  async fn() {
    await using standIn = startTurnstileStandIn();
    await using world = await startEmbedded(turnstileVars(standIn), { pieceDelayMs: 20 });
    const { site, browser } = world;
    const fake = await fakeTurnstile(browser.context, ["forged", "good-1"]);
    const page = await browser.open(`${site.origin}/`);
    const sent = sentChecks(page);
    const message = page.getByRole("textbox", { name: "Message" });
    const answers = page.locator(".mwai-assistant");

    // Nobody has opened the chat yet: nothing is asked of Cloudflare.
    await page.waitForLoadState("load");
    assert.deepEqual(fake.requests, [], "api.js was loaded before the chat was opened");
    await page.getByRole("button", { name: "Chat" }).click();
    await checkbox(page).check();
    await message.fill("Hello");
    await message.press("Enter");
    const refused = await watchAnswer(answers.nth(0));
    assert.equal(refused.state, "failed");
    assert.match(refused.note, CHECK_AGAIN);
    assert.equal(await message.inputValue(), "Hello");
    await screenshot(page, "embed_turnstile_check");

    await checkbox(page).check();
    await message.press("Enter");
    assert.equal((await watchAnswer(answers.nth(1))).text, ANSWER);
    await message.fill("And then?");
    await message.press("Enter");
    assert.equal((await watchAnswer(answers.nth(2))).text, ANSWER);

    assert.deepEqual(sent.slice(0, 2), [{ token: "forged" }, { token: "good-1" }]);
    assert.match(sent[2]!.pass ?? "", /^\d+\.[\w-]{43}$/, "the pass was not read across origins");
    assert.equal(sent[2]!.token, undefined);
    assert.equal(standIn.forms.length, 2);
    assert.deepEqual(fake.requests, [API_JS]);
    assert.deepEqual((await turnstileCalls(page)).sitekeys, [SITE_KEY]);
    await screenshot(page, "embed_turnstile");
    assert.deepEqual(browser.pageErrors, []);
  },
});

Deno.test({
  name: "without a site key the page and the embed load no Turnstile and show no check",
  ignore: NO_BROWSER,
  async fn() {
    await using world = await startEmbedded({});
    const { site, gw, browser } = world;
    const fake = await fakeTurnstile(browser.context);
    for (const url of [`${gw.base}/`, `${site.origin}/`]) {
      const page = await browser.open(url);
      if (url.startsWith(site.origin)) await page.getByRole("button", { name: "Chat" }).click();
      await page.getByRole("textbox", { name: "Message" }).fill("Hello");
      await page.keyboard.press("Enter");
      assert.equal((await watchAnswer(page.locator(".mwai-assistant").nth(0))).text, ANSWER);
      assert.equal(await page.locator(".mwai-check").count(), 0, url);
      await page.close();
    }
    assert.deepEqual(fake.requests, []);
    assert.deepEqual(browser.pageErrors, []);
  },
});

Deno.test({
  name: "the page and the embed say a limit's 429 in words, with the gateway's message",
  ignore: NO_BROWSER,
  async fn() {
    await using world = await startEmbedded({ ANON_REQUESTS_PER_MINUTE: "1" });
    const { site, gw, browser } = world;
    const over = new RegExp(
      "^Too many requests right now; wait a moment and try again: " +
        "Gateway limit: 1 requests a minute per client address; try again in \\d+ s$",
    );

    const page = await browser.open(`${gw.base}/`);
    const message = page.getByRole("textbox", { name: "Message" });
    await message.fill("Hello");
    await message.press("Enter");
    assert.equal((await watchAnswer(page.locator(".mwai-assistant").nth(0))).text, ANSWER);
    await message.fill("Again");
    await message.press("Enter");
    const refused = await watchAnswer(page.locator(".mwai-assistant").nth(1));
    assert.equal(refused.state, "failed");
    assert.match(refused.note, over);
    assert.equal(await message.inputValue(), "Again", "the message waits to be sent again");

    const embed = await browser.open(`${site.origin}/`);
    await embed.getByRole("button", { name: "Chat" }).click();
    await embed.getByRole("textbox", { name: "Message" }).fill("Hello");
    await embed.keyboard.press("Enter");
    const embedRefused = await watchAnswer(embed.locator(".mwai-assistant").nth(0));
    assert.equal(embedRefused.state, "failed");
    assert.match(embedRefused.note, over);
    assert.equal(gw.site.submits.length, 1);
    assert.deepEqual(browser.pageErrors, []);
  },
});

Deno.test({
  name: "a Turnstile that cannot load is said in words, and no message goes without it",
  ignore: NO_BROWSER,
  async fn() {
    await using standIn = startTurnstileStandIn();
    await using world = await startEmbedded(turnstileVars(standIn));
    const { gw, browser } = world;
    await browser.context.route("https://challenges.cloudflare.com/**", (route) => route.abort());
    const page = await browser.open(`${gw.base}/`);
    const status = page.locator(".mwai-check [role=status]");
    await status.filter({ hasText: /./ }).waitFor();
    assert.match(await status.textContent() ?? "", /^The check could not load/);
    const message = page.getByRole("textbox", { name: "Message" });
    await message.fill("Hello");
    await message.press("Enter");
    assert.equal(await message.inputValue(), "Hello");
    assert.match(await status.textContent() ?? "", /^The check could not load/);
    assert.equal(standIn.forms.length, 0);
    assert.equal(gw.site.submits.length, 0);
    assert.deepEqual(browser.pageErrors, []);
  },
});
