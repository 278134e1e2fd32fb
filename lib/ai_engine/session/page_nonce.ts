import { AiEngineError } from "../ai_engine_error.ts";
import { isNonce } from "./nonce.ts";
import type { SiteClient } from "../site/site_client.ts";
import { isRecord } from "../../util/is_record.ts";
import { tryParseJson } from "../../util/try_parse_json.ts";

/** More than a page with the chatbot in its footer: past this much HTML, reading stops. */
export const PAGE_MAX_BYTES = 2 * 1024 * 1024;

// The container AI Engine 2.0.1–2.4.3 prints per chatbot (2.4.3:…/chatbot.php:525) or for
// `[mwai_discussions]` (:582), its attributes single-quoted: htmlspecialchars(ENT_QUOTES)
// escapes every `'` inside them, so the value runs to the next one.
const CONTAINER =
  /<div\s[^>]*?class=(["'])[^"']*\bmwai-(?:chatbot|discussions)-container\b[^"']*\1[^>]*?\sdata-system='([^']*)'/;

/**
 * The REST nonce in a page's chatbot container, or null: the `data-system` attribute of
 * the first `mwai-chatbot-container` (or `mwai-discussions-container`), HTML-unescaped and
 * JSON-parsed, its `restNonce` if it {@linkcode isNonce}. AI Engine 2.0.1–2.2.91 turned a
 * nonce that looks like a number into a JSON number (`cleanParams`), dropping leading
 * zeros: a whole number of at most 10 digits is given back its zeros (WordPress nonces
 * are 10 characters); one with an exponent (`12e4567890`) is lost.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { nonceInPage } from "./page_nonce.ts";
 * const html = `<div class='mwai-chatbot-container' data-params='{}' ` +
 *   `data-system='{&quot;restNonce&quot;:&quot;8f3a2b1c9d&quot;}'></div>`;
 * assert.equal(nonceInPage(html), "8f3a2b1c9d");
 * assert.equal(nonceInPage(html.replace("&quot;8f3a2b1c9d&quot;", "123456789")), "0123456789");
 * ```
 */
export function nonceInPage(html: string): string | null {
  const attribute = CONTAINER.exec(html)?.[2];
  if (attribute === undefined) return null;
  const system = tryParseJson(htmlUnescape(attribute));
  const nonce = isRecord(system) ? system.restNonce : undefined;
  if (isNonce(nonce)) return nonce;
  if (typeof nonce === "number" && Number.isInteger(nonce) && nonce >= 0 && nonce < 1e10) {
    return String(nonce).padStart(10, "0");
  }
  return null;
}

const ENTITIES: Record<string, string> = { quot: '"', apos: "'", lt: "<", gt: ">", amp: "&" };

/** HTML's character references, as far as `htmlspecialchars` writes them (and numeric ones). */
function htmlUnescape(text: string): string {
  return text.replace(/&(#x[0-9a-f]{1,6}|#[0-9]{1,7}|[a-z]+);/gi, (whole, name: string) => {
    if (name[0] !== "#") return ENTITIES[name.toLowerCase()] ?? whole;
    const code = name[1] === "x" || name[1] === "X"
      ? parseInt(name.slice(2), 16)
      : parseInt(name.slice(1), 10);
    return code <= 0x10ffff ? String.fromCodePoint(code) : whole;
  });
}

/**
 * GETs a page through the site client and reads the nonce in its chatbot container (see
 * {@linkcode nonceInPage}): no redirect followed, at most {@linkcode PAGE_MAX_BYTES}
 * read, within `timeoutMs`. Rejects with an `AiEngineError` that says what to configure
 * when there is none.
 */
export async function fetchPageNonce(
  site: SiteClient,
  url: string,
  timeoutMs: number,
): Promise<string> {
  const failed = "Could not read the nonce page";
  const response = await site.call(url, {
    method: "GET",
    headers: { accept: "text/html" },
    // Bounds the page's body as well as its headers.
    signal: AbortSignal.timeout(timeoutMs),
    headersTimeoutMs: timeoutMs,
    timedOut: () => new AiEngineError("timeout", `${failed}: the site took over ${timeoutMs} ms`),
    what: `${failed}: the page`,
    failed,
    check: "AI_ENGINE_NONCE_PAGE",
  });
  if (response.status !== 200) {
    await response.body.cancel();
    throw noNonce(`the page answered ${response.status}`, response.status);
  }
  const utf8 = new TextDecoder();
  let html = "";
  let bytes = 0;
  try {
    for (let read = await response.body.read(); read !== null; read = await response.body.read()) {
      bytes += read.length;
      html += utf8.decode(read, { stream: true });
      const nonce = nonceInPage(html);
      if (nonce !== null) return nonce;
      if (bytes > PAGE_MAX_BYTES) break;
    }
  } finally {
    response.body.cancel().catch(() => {});
  }
  throw noNonce("the page shows no chatbot with a nonce", 200);
}

/** A page that is not there, redirects or shows no chatbot stays so: only a 5xx may pass. */
function noNonce(why: string, status: number): AiEngineError {
  return new AiEngineError(
    "upstream_failed",
    `AI Engine wants a nonce and has no start_session (2.0.1–2.4.3), and ${why}: ` +
      "set AI_ENGINE_NONCE_PAGE to a page that shows the chatbot",
    { upstreamStatus: status, ...(status < 500 ? { retryable: false as const } : {}) },
  );
}
