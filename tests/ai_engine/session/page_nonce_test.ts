import assert from "node:assert/strict";
import { nonceInPage } from "../../../lib/ai_engine/session/page_nonce.ts";

const container = (system: string, cls = "mwai-chatbot-container") =>
  `<p>x</p><div class='${cls}' data-params='{&quot;a&quot;:1}' data-system='${system}' ` +
  `data-theme='{}'></div>`;
const withNonce = (value: string) =>
  `{&quot;botId&quot;:&quot;default&quot;,&quot;sessionId&quot;:&quot;N\\/A&quot;,` +
  `&quot;restNonce&quot;:${value},&quot;restUrl&quot;:&quot;https:\\/\\/h\\/wp-json&quot;}`;

Deno.test("the chatbot container's restNonce is read, HTML-unescaped and JSON-parsed", () => {
  assert.equal(nonceInPage(container(withNonce("&quot;8f3a2b1c9d&quot;"))), "8f3a2b1c9d");
});

Deno.test("the discussions container carries the nonce too", () => {
  const html = container(withNonce("&quot;8f3a2b1c9d&quot;"), "mwai-discussions-container");
  assert.equal(nonceInPage(html), "8f3a2b1c9d");
});

Deno.test("numeric character references are unescaped as well", () => {
  const system = withNonce("&#34;8f3a2b1c9d&#x22;").replaceAll("&quot;", "&#34;");
  assert.equal(nonceInPage(container(system)), "8f3a2b1c9d");
});

Deno.test("a nonce printed as a whole number gets its leading zeros back", () => {
  assert.equal(nonceInPage(container(withNonce("123456789"))), "0123456789");
  assert.equal(nonceInPage(container(withNonce("1234567890"))), "1234567890");
});

Deno.test("a nonce printed with an exponent, or too big, is lost", () => {
  assert.equal(nonceInPage(container(withNonce("1.2e+35"))), null);
  assert.equal(nonceInPage(container(withNonce("12345678901"))), null);
});

Deno.test("null, a value that is no nonce, and a page without a container give null", () => {
  assert.equal(nonceInPage(container(withNonce("null"))), null);
  assert.equal(nonceInPage(container(withNonce("&quot;a\\r\\nX-Evil: 1&quot;"))), null);
  assert.equal(nonceInPage("<div class='other' data-system='{}'></div>"), null);
  assert.equal(nonceInPage(container("not json")), null);
});
