import { VERSION } from "../../version.ts";
import { CHAT_SCRIPT } from "./chat_script.ts";
import { CHAT_STYLE } from "./chat_style.ts";

// The launcher and its panel. `:host { all: initial !important }` stops the site's
// inherited styles (font, colour) at the shadow root; important declarations of the
// inner context beat the site's, even its own `!important` ones.
const WIDGET_STYLE = `
:host { all: initial !important; }
.mwai-launcher { position: fixed; right: 1rem; bottom: 1rem; z-index: 2147483000;
  font: 600 16px/1.2 system-ui, sans-serif; padding: .8rem 1.25rem; border: 0;
  border-radius: 999px; background: #1a56c9; color: #fff; cursor: pointer;
  box-shadow: 0 2px 8px rgba(0, 0, 0, .3); }
.mwai-launcher:focus-visible, .mwai-close:focus-visible { outline: 3px solid #f29900;
  outline-offset: 2px; }
.mwai-panel { position: fixed; right: 1rem; bottom: 4.75rem; z-index: 2147483000;
  width: min(24rem, calc(100vw - 2rem)); height: min(34rem, calc(100vh - 6rem));
  display: flex; flex-direction: column; gap: .25rem; padding: .75rem; box-sizing: border-box;
  background: #fff; color: #1f1f1f; border-radius: .75rem; box-shadow: 0 4px 24px rgba(0, 0, 0, .25); }
.mwai-head { display: flex; align-items: center; justify-content: space-between; }
.mwai-title { font: 600 1.1rem/1.3 system-ui, sans-serif; margin: 0; }
.mwai-close { font: 1.5rem/1 system-ui, sans-serif; background: none; border: 0; color: #1f1f1f;
  min-width: 2.75rem; min-height: 2.75rem; cursor: pointer; border-radius: .4rem; }
.mwai-panel .mwai-chat { flex: 1; }
:host([data-position="left"]) .mwai-launcher, :host([data-position="left"]) .mwai-panel {
  right: auto; left: 1rem; }
@media (max-width: 30rem) {
  .mwai-panel { inset: 0; width: auto; height: auto; border-radius: 0; }
}
`;

// Runs on the embedding site: finds its own <script> tag, takes the gateway from its
// src (so a gateway under a path prefix works too) and its options from data- attributes.
const LOADER = String.raw`
  const script = document.currentScript;
  if (!script || !script.src) {
    console.error("mwai-edge: load embed.js with a classic <script src> tag");
    return;
  }
  const data = script.dataset;
  const title = data.title || "Chat";
  const endpoint = new URL("./api/chat", script.src).href;

  function start() {
    if (document.querySelector("mwai-edge-chat")) return; // the tag was added twice
    const host = document.createElement("mwai-edge-chat");
    if (data.position) host.dataset.position = data.position;
    const shadow = host.attachShadow({ mode: "open" });
    shadow.innerHTML = "<style>" + STYLE + "</style>" +
      '<button class="mwai-launcher" type="button" aria-expanded="false" ' +
      'aria-controls="mwai-panel"></button>' +
      '<div class="mwai-panel" id="mwai-panel" role="dialog" hidden>' +
      '<div class="mwai-head"><h2 class="mwai-title"></h2>' +
      '<button class="mwai-close" type="button" aria-label="Close chat">\u00d7</button></div>' +
      "<section></section></div>";
    const launcher = shadow.querySelector(".mwai-launcher");
    const panel = shadow.querySelector(".mwai-panel");
    const close = shadow.querySelector(".mwai-close");
    launcher.textContent = title;
    shadow.querySelector(".mwai-title").textContent = title;
    panel.setAttribute("aria-label", title);
    // Turnstile's widget renders in the page (a child of the host, slotted into the panel):
    // a third party's iframe is best left in the light DOM it is made for.
    let checkSlot = null;
    if (TURNSTILE_SITE_KEY) {
      checkSlot = document.createElement("div");
      checkSlot.slot = "mwai-check";
      host.append(checkSlot);
    }
    const chat = mountChat(shadow.querySelector("section"), {
      endpoint,
      model: data.model || null,
      storageKey: "mwai-edge:api-key:" + new URL(endpoint).origin,
      turnstileSiteKey: TURNSTILE_SITE_KEY,
      checkSlot,
      checkWhenOpened: true,
    });
    function setOpen(open) {
      panel.hidden = !open;
      launcher.setAttribute("aria-expanded", String(open));
      if (open) chat.focus();
      else launcher.focus();
    }
    launcher.addEventListener("click", () => setOpen(panel.hidden));
    close.addEventListener("click", () => setOpen(false));
    panel.addEventListener("keydown", (event) => {
      if (event.key !== "Escape") return;
      event.stopPropagation();
      setOpen(false);
    });
    document.body.append(host);
    if (data.open === "true") setOpen(true);
  }
  if (document.body) start();
  else document.addEventListener("DOMContentLoaded", start);
`;

/** The source of `/embed.js` and its strong validator: the version and an FNV-1a hash of it. */
export interface EmbedScript {
  source: string;
  etag: string;
}

const built = new Map<string | null, EmbedScript>();

/**
 * The source of `/embed.js`: one `<script src="https://gateway/embed.js" defer>` tag
 * puts a chat button on any page, opening a panel with the chat of
 * {@linkcode CHAT_SCRIPT} inside a shadow root (the site's CSS stays out). Options are
 * the tag's data- attributes: `data-title`, `data-model`, `data-position="left"`,
 * `data-open="true"`. With the gateway's Turnstile site key, the chat asks for the check.
 * Built once per key.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { embedScript } from "./embed_script.ts";
 * assert.ok(!embedScript(null).source.includes("1x00000000000000000000AA"));
 * assert.ok(embedScript("1x00000000000000000000AA").source.includes("1x00000000000000000000AA"));
 * ```
 */
export function embedScript(turnstileSiteKey: string | null): EmbedScript {
  let script = built.get(turnstileSiteKey);
  if (!script) {
    const source = `/*! mwai-edge ${VERSION} chat widget */
(function () {
"use strict";
const STYLE = ${JSON.stringify(CHAT_STYLE + WIDGET_STYLE)};
const TURNSTILE_SITE_KEY = ${JSON.stringify(turnstileSiteKey)};
${CHAT_SCRIPT}
${LOADER}
})();
`;
    script = { source, etag: `"${VERSION}-${fnv1a(source)}"` };
    built.set(turnstileSiteKey, script);
  }
  return script;
}

// A 32-bit FNV-1a over UTF-16 code units: enough to tell two builds apart, and
// synchronous, so the tag is ready when the module loads.
function fnv1a(text: string): string {
  let hash = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) {
    hash = Math.imul(hash ^ text.charCodeAt(i), 0x01000193) >>> 0;
  }
  return hash.toString(16).padStart(8, "0");
}
