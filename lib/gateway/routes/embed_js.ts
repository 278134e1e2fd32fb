import type { Context } from "hono";
import { embedScript } from "../pages/embed_script.ts";
import type { GatewayEnv } from "../gateway_env.ts";

const HEADERS = {
  "content-type": "text/javascript; charset=utf-8",
  // Sites load it on every page view: an hour from cache, then a cheap 304 thanks to the
  // ETag. A new version of the gateway changes the tag.
  "cache-control": "public, max-age=3600",
  "x-content-type-options": "nosniff",
  // Sites that isolate themselves (COEP: require-corp) may still load it.
  "cross-origin-resource-policy": "cross-origin",
  // CORS answers differ by Origin (a 403, or headers for an allowed one): a cache that
  // kept a copy made for one Origin must not hand it to another. On the 304 too.
  vary: "Origin",
};

/**
 * `GET /embed.js`: the chat widget's script, cacheable, with a 304 for a matching
 * `If-None-Match` (compared weakly, as a compressing runtime turns the tag weak).
 */
export function embedJs(c: Context<GatewayEnv>): Response {
  const { source, etag } = embedScript(c.var.config.limits.turnstile?.siteKey ?? null);
  const headers = { ...HEADERS, etag };
  const ifNoneMatch = c.req.header("if-none-match") ?? "";
  const tags = ifNoneMatch.split(",").map((tag) => tag.trim().replace(/^W\//, ""));
  if (tags.includes(etag) || tags.includes("*")) {
    return new Response(null, { status: 304, headers });
  }
  return new Response(source, { headers });
}
