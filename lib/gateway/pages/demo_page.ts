import { CHAT_SCRIPT } from "./chat_script.ts";
import { CHAT_STYLE } from "./chat_style.ts";

/**
 * The page at `/`: the chat of {@linkcode CHAT_SCRIPT} on a page of its own, talking to
 * this gateway's `/api/chat`, with a note on how to embed it elsewhere. `notice` is a
 * line shown above the chat (the offline demo says its answers are emulated);
 * `turnstileSiteKey`, when the gateway has one, puts the Turnstile check above the message box.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { demoPage } from "./demo_page.ts";
 * const html = demoPage("Answers come from an emulator");
 * assert.ok(html.includes("Answers come from an emulator"));
 * ```
 */
export function demoPage(notice?: string, turnstileSiteKey: string | null = null): string {
  const banner = notice ? `<p class="notice" role="note">${escapeHtml(notice)}</p>` : "";
  // The key first: a notice that held the marker must not catch it.
  return PAGE.replace("/*site-key*/null", () => scriptValue(turnstileSiteKey))
    .replace("<!--notice-->", () => banner);
}

function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
}

// A value in an inline script: JSON, with "<" escaped so no "</script>" can end it early.
function scriptValue(value: string | null): string {
  return JSON.stringify(value).replaceAll("<", "\\u003c");
}

const PAGE = `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>mwai-edge chat</title>
<style>
html, body { height: 100%; }
body { margin: 0; font: 16px/1.5 system-ui, sans-serif; color: #1f1f1f; background: #fff; }
main { box-sizing: border-box; height: 100%; max-width: 42rem; margin: 0 auto; padding: 1rem;
  display: flex; flex-direction: column; gap: .5rem; }
h1 { font-size: 1.5rem; margin: 0; }
.notice { background: #fff4ce; padding: .5rem .75rem; border-radius: .4rem; margin: 0; }
#chat { flex: 1; }
footer { font-size: .875rem; color: #444; }
footer p { margin: 0; }
footer code { overflow-wrap: anywhere; }
${CHAT_STYLE}
</style>
</head>
<body>
<main>
<h1>mwai-edge</h1>
<!--notice-->
<section id="chat" aria-label="Chat"></section>
<footer><p>Put this chat on any site (allow the site's origin in <code>ALLOWED_ORIGINS</code>):
<code id="embed">&lt;script src="/embed.js" defer&gt;&lt;/script&gt;</code></p></footer>
</main>
<script>
(function () {
"use strict";
${CHAT_SCRIPT}
const endpoint = new URL("./api/chat", location.href).href;
mountChat(document.getElementById("chat"), {
  endpoint,
  model: null,
  storageKey: "mwai-edge:api-key:" + location.origin,
  turnstileSiteKey: /*site-key*/null,
});
document.getElementById("embed").textContent =
  '<script src="' + new URL("./embed.js", location.href).href + '" defer><\\/script>';
})();
</script>
</body>
</html>
`;
