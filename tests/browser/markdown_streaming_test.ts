/**
 * A long Markdown answer streaming into the page at `/` as a model sends it: 20 KB in 500
 * pieces, 50 a second, split wherever the pieces fall (inside `**`, a link, a table row).
 * The page's main thread must stay idle for nine tenths of the time, and the reader must
 * never see raw syntax that later turns into formatting, nor a closed block redrawn.
 */
import assert from "node:assert/strict";
import type { Page } from "playwright-core";
import { startGateway } from "../contract/gateway.ts";
import { ask } from "./markdown_answers.ts";
import { longAnswer } from "./long_answer.ts";
import { launchBrowser, NO_BROWSER, screenshot } from "./browser.ts";

// The page's own globals, for a function that runs in it (Deno's types have no DOM).
type Dom = { document: { querySelector(selector: string): unknown } };

const PIECES = 500;
const PIECE_DELAY_MS = 20; // 50 pieces a second

/**
 * The page's main thread from now on, from Chromium's own counters: CPU time (`ThreadTime`,
 * which a loaded machine does not inflate) and wall time in tasks (`TaskDuration`), each less
 * the time spent answering the test's own DevTools commands.
 */
async function mainThread(page: Page): Promise<() => Promise<{ cpuMs: number; taskMs: number }>> {
  const cdp = await page.context().newCDPSession(page);
  await cdp.send("Performance.enable");
  const read = async () => {
    const { metrics } = await cdp.send("Performance.getMetrics");
    const ms = (name: string) => 1000 * (metrics.find((m) => m.name === name)?.value ?? NaN);
    const devtools = ms("DevToolsCommandDuration");
    return { cpuMs: ms("ThreadTime") - devtools, taskMs: ms("TaskDuration") - devtools };
  };
  const start = await read();
  return async () => {
    const end = await read();
    return { cpuMs: end.cpuMs - start.cpuMs, taskMs: end.taskMs - start.taskMs };
  };
}

Deno.test({
  name: "a 20 KB answer streams at 50 pieces a second on under a tenth of the main thread",
  ignore: NO_BROWSER,
  async fn() {
    await using gw = await startGateway({}, {
      answer: longAnswer(),
      pieces: PIECES,
      pieceDelayMs: PIECE_DELAY_MS,
    });
    await using browser = await launchBrowser();
    const page = await browser.open(`${gw.base}/`);
    const busy = await mainThread(page);
    const started = performance.now();
    await ask(page, "Explain");
    // Polled twice a second: playwright's default polls every frame, on the thread measured.
    await page.waitForFunction(
      () =>
        (globalThis as unknown as Dom).document.querySelector(".mwai-assistant[data-state=done]"),
      null,
      { polling: 500, timeout: 60_000 },
    );
    const wallMs = performance.now() - started;
    const { cpuMs, taskMs } = await busy();
    const percent = (ms: number) => `${(100 * ms / wallMs).toFixed(1)}%`;
    console.log(
      `20 KB answer, ${PIECES} pieces at 50/s over ${wallMs.toFixed(0)} ms: main thread CPU ` +
        `${cpuMs.toFixed(0)} ms (${percent(cpuMs)}), in tasks ${taskMs.toFixed(0)} ms ` +
        `(${percent(taskMs)})`,
    );
    assert.ok(cpuMs / wallMs < 0.1, `the main thread worked ${percent(cpuMs)} of the time`);
    assert.deepEqual(browser.pageErrors, []);
  },
});

Deno.test({
  name: "a streaming answer shows no raw syntax and never redraws a closed block",
  ignore: NO_BROWSER,
  async fn() {
    const answer = longAnswer(6_000);
    await using gw = await startGateway({}, { answer, pieces: 150, pieceDelayMs: 30 });
    await using browser = await launchBrowser();
    const page = await browser.open(`${gw.base}/`);
    await ask(page, "Explain");
    const body = page.locator(".mwai-assistant .mwai-text");
    await body.locator("h2").first().waitFor();
    // The first heading's node, marked: a redraw would put a new, unmarked one in its place.
    await body.locator("h2").first().evaluate((el) => Object.assign(el, { seen: true }));
    let looks = 0;
    while ((await page.locator(".mwai-assistant").getAttribute("data-state")) === "streaming") {
      const text = await body.textContent() ?? "";
      assert.ok(!/\*\*|\]\(|\|:?--|^#|\u0060/.test(text), `raw syntax shows: ${text.slice(-80)}`);
      const kept = await body.locator("h2").first().evaluate((el) => "seen" in el);
      assert.ok(kept, "the first heading was drawn again");
      if (++looks === 20) await screenshot(page, "chat_page_streaming");
    }
    assert.ok(looks > 20, `looked only ${looks} times while it streamed`);
    assert.equal(await body.locator("table").count(), await body.locator("h2").count());
    assert.deepEqual(browser.pageErrors, []);
  },
});
