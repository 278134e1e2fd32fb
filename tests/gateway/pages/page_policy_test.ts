import assert from "node:assert/strict";
import { demoPage } from "../../../lib/gateway/pages/demo_page.ts";
import { pagePolicy, TURNSTILE_ORIGIN } from "../../../lib/gateway/pages/page_policy.ts";

async function sha256(text: string): Promise<string> {
  const digest = await crypto.subtle.digest("SHA-256", new TextEncoder().encode(text));
  return btoa(String.fromCharCode(...new Uint8Array(digest)));
}

Deno.test("the page's policy allows its own inline script by hash, and Turnstile's", async () => {
  const html = demoPage(undefined, "1x00000000000000000000AA");
  const script = html.match(/<script>([\s\S]*?)<\/script>/)![1]!;
  const policy = await pagePolicy(html);
  assert.ok(policy.includes(`script-src 'sha256-${await sha256(script)}' ${TURNSTILE_ORIGIN};`));
  assert.ok(policy.includes(`frame-src ${TURNSTILE_ORIGIN}`));
  assert.ok(policy.startsWith("default-src 'none'"));
});

Deno.test("the page's policy allows no inline script of another text", async () => {
  const policy = await pagePolicy("<script>one()</script>");
  assert.ok(!policy.includes(await sha256("two()")));
  assert.ok(!/unsafe-inline'[^;]*;?/.test(policy.match(/script-src[^;]*/)![0]));
});
