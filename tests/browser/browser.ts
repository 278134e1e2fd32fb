/**
 * Debian's Chromium driven by playwright-core, for the browser tests. Without
 * `/usr/bin/chromium` the tests are skipped with a message, unless
 * `MWAI_REQUIRE_BROWSER=1` (CI) makes them run, and so fail.
 *
 * playwright-core is imported when a browser starts, not at module load: it probes
 * `/proc/sys/fs/binfmt_misc` as it loads, which Deno allows only under `--allow-all`
 * (hence the `test:browser` task), and a skipped test should not need that.
 */
import assert from "node:assert/strict";
import type { BrowserContext, Locator, Page } from "playwright-core";
import type { AiEngineEmulator } from "../emulator/ai_engine_emulator.ts";
import { ANSWER } from "../contract/http_client.ts";

/** Where Debian's `apt-get install chromium` puts the browser. */
export const CHROMIUM = "/usr/bin/chromium";

const ARGS = [
  "--headless",
  "--no-sandbox",
  "--disable-gpu",
  "--disable-background-networking",
  "--disable-component-update",
  "--disable-sync",
  "--no-first-run",
];

/** The `ignore` of every browser test: true when there is no browser and CI does not ask for one. */
export const NO_BROWSER = skipWithoutBrowser();

function skipWithoutBrowser(): boolean {
  if (Deno.env.get("MWAI_REQUIRE_BROWSER") === "1") return false;
  try {
    Deno.statSync(CHROMIUM);
    return false;
  } catch {
    console.warn(
      `Browser tests skipped: ${CHROMIUM} not found. Install it with ` +
        "`apt-get install -y chromium`; set MWAI_REQUIRE_BROWSER=1 to fail instead.",
    );
    return true;
  }
}

/** A running Chromium with a fresh profile, and the errors its pages threw. */
export interface Browser extends AsyncDisposable {
  context: BrowserContext;
  /** Uncaught errors of every page opened with {@linkcode Browser.open}. */
  pageErrors: string[];
  /** Opens a page at `url`, with a phone's width when `viewport` says so. */
  open(url: string, viewport?: { width: number; height: number }): Promise<Page>;
  close(): Promise<void>;
}

/** Starts Chromium on a fresh user-data-dir, removed again by `close()`. */
export async function launchBrowser(): Promise<Browser> {
  try {
    Deno.statSync(CHROMIUM);
  } catch {
    throw new Error(`MWAI_REQUIRE_BROWSER=1 but ${CHROMIUM} is missing: apt-get install chromium`);
  }
  const { chromium } = await import("playwright-core");
  const profile = await Deno.makeTempDir({ prefix: "mwai-edge-chromium-" });
  const context = await chromium.launchPersistentContext(profile, {
    executablePath: CHROMIUM,
    args: ARGS,
    viewport: { width: 1024, height: 768 },
  });
  const pageErrors: string[] = [];
  const close = async () => {
    await context.close();
    await Deno.remove(profile, { recursive: true });
  };
  return {
    context,
    pageErrors,
    async open(url, viewport) {
      const page = await context.newPage();
      page.on("pageerror", (error) => pageErrors.push(error.message));
      if (viewport) await page.setViewportSize(viewport);
      await page.goto(url);
      return page;
    },
    close,
    [Symbol.asyncDispose]: close,
  };
}

/** One answer of the chat as it was watched: every text it showed, and how it ended. */
export interface WatchedAnswer {
  /** The distinct texts seen while the answer was still streaming, in order. */
  streamed: string[];
  /** The final text. */
  text: string;
  /** `done`, `stopped` or `failed`. */
  state: string;
  /** The words shown under it (empty when done). */
  note: string;
}

/**
 * Polls an answer bubble until it is no longer streaming, noting each text it showed on
 * the way (the emulator's pieces come 100 ms or more apart, polls a few ms).
 */
export async function watchAnswer(answer: Locator, timeoutMs = 10_000): Promise<WatchedAnswer> {
  const streamed: string[] = [];
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const state = await answer.getAttribute("data-state");
    const text = await answer.locator(".mwai-text").textContent() ?? "";
    if (state === "streaming") {
      if (text && streamed.at(-1) !== text) streamed.push(text);
    } else if (state) {
      const note = await answer.locator(".mwai-note").textContent() ?? "";
      return { streamed, text, state, note };
    }
    if (Date.now() > deadline) throw new Error(`The answer did not end in ${timeoutMs} ms`);
    await new Promise((resolve) => setTimeout(resolve, 5));
  }
}

/**
 * A description of the focused element, looking through shadow roots:
 * `tag.class "text"`, e.g. `button.mwai-launcher "Ask us"`.
 */
export function focused(page: Page): Promise<string> {
  return page.evaluate(`(() => {
    let el = document.activeElement;
    while (el && el.shadowRoot && el.shadowRoot.activeElement) el = el.shadowRoot.activeElement;
    if (!el) return "";
    const name = el.tagName.toLowerCase() + (el.className ? "." + el.className : "");
    return name + ' "' + (el.textContent || "").trim().slice(0, 30) + '"';
  })()`);
}

/** Where the browser tests leave their screenshots (gitignored). */
export const ARTIFACTS = new URL("../artifacts/", import.meta.url).pathname;

/** Saves a screenshot of the page as `tests/artifacts/<name>.png`; returns its path. */
export async function screenshot(page: Page, name: string): Promise<string> {
  await Deno.mkdir(ARTIFACTS, { recursive: true });
  const path = `${ARTIFACTS}${name}.png`;
  await page.screenshot({ path });
  return path;
}

/** Whether the page scrolls sideways (it should not, at any width). */
export function overflowsSideways(page: Page): Promise<boolean> {
  return page.evaluate("document.documentElement.scrollWidth > window.innerWidth");
}

/**
 * Sends a long answer's message, presses Stop once its text has begun, and checks what a
 * user and the site see: the site saw the abort, the answer says "Stopped." after part of
 * its text, and Stop is disabled again.
 */
export async function stopMidAnswer(
  page: Page,
  site: AiEngineEmulator,
  message: Locator,
  answer: Locator,
): Promise<void> {
  site.options.pieceDelayMs = 400;
  const aborts = site.aborts;
  await message.fill("Tell me a long story");
  await message.press("Enter");
  await answer.locator(".mwai-text").filter({ hasText: /./ }).waitFor();
  await page.getByRole("button", { name: "Stop" }).click();
  await site.waitForAborts(aborts + 1);
  const stopped = await watchAnswer(answer);
  assert.equal(stopped.state, "stopped");
  assert.equal(stopped.note, "Stopped.");
  assert.ok(stopped.text.length > 0 && stopped.text.length < ANSWER.length);
  assert.ok(await page.getByRole("button", { name: "Stop" }).isDisabled());
  site.options.pieceDelayMs = 120;
}
