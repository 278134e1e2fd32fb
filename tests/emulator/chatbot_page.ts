/**
 * A WordPress page that shows the chatbot (`[mwai_chatbot]`, or the site-wide chatbot
 * `inject_chat()` prints in `wp_footer`): the container whose `data-system` attribute
 * carries `restNonce`, a real nonce for visitors only from 2.0.1 to 2.4.3.
 *
 * @module
 */

import type { AnswerStep } from "./answer_plan.ts";
import { phpJsonEncode } from "./php_json.ts";
import type { Site } from "./site_request.ts";
import { wholeAnswer } from "./wordpress_wire.ts";

/**
 * PHP's `htmlspecialchars($text, ENT_QUOTES, 'UTF-8')`.
 *
 * @example
 * ```ts
 * import { htmlSpecialChars } from "./chatbot_page.ts";
 * htmlSpecialChars(`{"a":"<b> & 'c'"}`); // "{&quot;a&quot;:&quot;&lt;b&gt; &amp; &#039;c&#039;&quot;}"
 * ```
 */
export function htmlSpecialChars(text: string): string {
  return text.replace(/[&"'<>]/g, (c) => ESCAPES[c]!);
}

const ESCAPES: Record<string, string> = {
  "&": "&amp;",
  '"': "&quot;",
  "'": "&#039;",
  "<": "&lt;",
  ">": "&gt;",
};

/**
 * The page's `data-system` object (`build_front_params`, 2.4.3:…/chatbot.php:396-412),
 * with the nonce a visitor gets: the site's for 2.0.1–2.4.3, else `null`.
 *
 * @example
 * ```ts ignore
 * import { frontSystem } from "./chatbot_page.ts";
 * frontSystem(site).restNonce; // site.nonce on 2.0-2.4.3
 * ```
 */
export function frontSystem(site: Site): Record<string, unknown> {
  return {
    botId: "default",
    customId: null,
    userData: null,
    sessionId: "N/A",
    restNonce: site.traits.nonceInPage ? site.nonce : null,
    contextId: 42,
    pluginUrl: `${site.url}/wp-content/plugins/ai-engine/`,
    restUrl: `${site.url}/wp-json`,
    debugMode: false,
    typewriter: false,
    speech_recognition: false,
    speech_synthesis: false,
    stream: true,
  };
}

/**
 * The page: 200 `text/html` with one chatbot container, its attributes single-quoted and
 * filled with `htmlspecialchars(json_encode(...))` (2.4.3:…/chatbot.php:520-525).
 *
 * @example
 * ```ts ignore
 * import { chatbotPageAnswer } from "./chatbot_page.ts";
 * const steps = chatbotPageAnswer(site);
 * ```
 */
export function chatbotPageAnswer(site: Site): AnswerStep[] {
  const system = site.pageSystem ?? htmlSpecialChars(phpJsonEncode(frontSystem(site)));
  const params = htmlSpecialChars(phpJsonEncode({ aiName: "AI: ", userName: "User: " }));
  const theme = htmlSpecialChars(phpJsonEncode({ type: "internal", themeId: "chatgpt" }));
  const page = `<!DOCTYPE html>\n<html lang="en-US">\n<head>\n<meta charset="UTF-8" />\n` +
    `<title>Emulated AI Engine site</title>\n</head>\n<body class="home">\n` +
    `<div class="entry-content">\n` +
    `<div class='mwai-chatbot-container' data-params='${params}' data-system='${system}' ` +
    `data-theme='${theme}'></div>\n</div>\n` +
    `<script src='${site.url}/wp-content/plugins/ai-engine/app/chatbot.js?ver=1718900000' ` +
    `id='mwai_chatbot-js'></script>\n</body>\n</html>\n`;
  return wholeAnswer({
    status: 200,
    headers: [
      ["Content-Type", "text/html; charset=UTF-8"],
      ["Link", `<${site.url}/wp-json/>; rel="https://api.w.org/"`],
    ],
  }, page);
}
