/** Where Cloudflare's Turnstile loads from: its `api.js` and its widget's iframe. */
export const TURNSTILE_ORIGIN = "https://challenges.cloudflare.com";

/**
 * The Content-Security-Policy of a page of ours: scripts only the page's own inline ones,
 * each allowed by its SHA-256, and Turnstile's; so no script that an answer could bring
 * into the page (an inline `<script>`, an `onerror`, a `javascript:` URL) runs, even were it
 * to get past the renderer. Images from any http(s) URL (image bots' answers); requests,
 * frames and forms only to the gateway itself and Turnstile (developers.cloudflare.com/
 * turnstile/reference/content-security-policy: `script-src` and `frame-src` of its origin,
 * `connect-src 'self'`).
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { pagePolicy } from "./page_policy.ts";
 * const policy = await pagePolicy("<p>Hi</p><script>go()</script>");
 * assert.match(policy, /script-src 'sha256-[A-Za-z0-9+/]+=' https:\/\/challenges/);
 * ```
 */
export async function pagePolicy(html: string): Promise<string> {
  const hashes: string[] = [];
  for (const [, script] of html.matchAll(/<script>([\s\S]*?)<\/script>/g)) {
    const digest = await crypto.subtle.digest("SHA-256", new TextEncoder().encode(script));
    hashes.push(`'sha256-${btoa(String.fromCharCode(...new Uint8Array(digest)))}'`);
  }
  return [
    "default-src 'none'",
    `script-src ${[...hashes, TURNSTILE_ORIGIN].join(" ")}`,
    "style-src 'unsafe-inline'",
    "img-src http: https:",
    "connect-src 'self'",
    `frame-src ${TURNSTILE_ORIGIN}`,
    "form-action 'self'",
    "base-uri 'none'",
    "object-src 'none'",
  ].join("; ");
}
