/**
 * Cloudflare's Turnstile `api.js`, faked for offline browsers: every request to
 * `https://challenges.cloudflare.com/` in the context is answered here. The fake keeps to
 * the explicit-rendering API as Cloudflare documents it
 * (developers.cloudflare.com/turnstile/get-started/client-side-rendering/):
 * `turnstile.render(container, params)` (an element or a selector) returns a widget id and
 * calls `params.callback(token)` once the visitor ticks its checkbox; `reset(id)` clears the
 * response for a new check, `getResponse(id)` returns it, `remove(id)` takes the widget out.
 * An id left out means the last widget rendered, as Cloudflare's does.
 */
import type { BrowserContext, Locator, Page } from "playwright-core";

/** The fake's side of the test: what was asked of it, and the tokens it hands out. */
export interface FakeTurnstile {
  /** The URLs of challenges.cloudflare.com the pages requested. */
  requests: string[];
  /** The tokens its checkboxes give, in order; later ticks give `spent`. */
  tokens: string[];
}

/** Serves the fake `api.js` to every page of `context`. */
export async function fakeTurnstile(
  context: BrowserContext,
  tokens: string[] = [],
): Promise<FakeTurnstile> {
  const fake: FakeTurnstile = { requests: [], tokens };
  await context.route("https://challenges.cloudflare.com/**", async (route) => {
    fake.requests.push(route.request().url());
    await route.fulfill({
      contentType: "text/javascript; charset=utf-8",
      body: API_JS.replace("/*tokens*/[]", () => JSON.stringify(fake.tokens.splice(0))),
    });
  });
  return fake;
}

/** The fake widget's checkbox in `page` (through shadow roots and slots alike). */
export function checkbox(page: Page): Locator {
  return page.getByRole("checkbox", { name: "Verify you are human" });
}

/** What the page's fake widgets were asked: their render parameters' site keys, and resets. */
export function turnstileCalls(page: Page): Promise<{ sitekeys: string[]; resets: number }> {
  return page.evaluate(`({
    sitekeys: (window.fakeTurnstileCalls || { sitekeys: [] }).sitekeys,
    resets: (window.fakeTurnstileCalls || { resets: 0 }).resets,
  })`);
}

const API_JS = String.raw`
(function () {
  "use strict";
  const tokens = /*tokens*/[];
  const widgets = new Map();
  const calls = window.fakeTurnstileCalls = { sitekeys: [], resets: 0 };
  let made = 0;
  function find(id) {
    return widgets.get(id === undefined ? Array.from(widgets.keys()).pop() : id);
  }
  window.turnstile = {
    render(container, params) {
      const box = typeof container === "string" ? document.querySelector(container) : container;
      if (!box || !params || !params.sitekey) throw new Error("Turnstile: no container or sitekey");
      const id = "fake-widget-" + (++made);
      const label = document.createElement("label");
      const input = document.createElement("input");
      input.type = "checkbox";
      label.append(input, " Verify you are human");
      box.append(label);
      const widget = { label, input, response: undefined };
      input.addEventListener("change", () => {
        if (!input.checked) return;
        input.disabled = true;
        widget.response = tokens.shift() || "spent";
        if (params.callback) params.callback(widget.response);
      });
      widgets.set(id, widget);
      calls.sitekeys.push(params.sitekey);
      return id;
    },
    reset(id) {
      const widget = find(id);
      if (!widget) return;
      calls.resets++;
      widget.response = undefined;
      widget.input.checked = false;
      widget.input.disabled = false;
    },
    getResponse(id) {
      const widget = find(id);
      return widget ? widget.response : undefined;
    },
    remove(id) {
      const widget = find(id);
      if (!widget) return;
      widget.label.remove();
      widgets.delete(id === undefined ? Array.from(widgets.keys()).pop() : id);
    },
  };
})();
`;
