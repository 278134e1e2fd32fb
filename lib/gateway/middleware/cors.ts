import type { MiddlewareHandler } from "hono";
import type { GatewayEnv } from "../gateway_env.ts";
import { HttpError } from "../http_error.ts";

/**
 * CORS per `ALLOWED_ORIGINS`: a preflight is answered here, a request from an origin not
 * allowed is refused with 403, and an allowed one gets its headers on whatever answer
 * comes, errors included, so a page can read why it failed.
 */
export function cors(): MiddlewareHandler<GatewayEnv> {
  return async (c, next) => {
    const origin = c.req.header("origin") ?? null;
    const headers = corsHeaders(origin, new URL(c.req.url).origin, c.var.config.allowedOrigins);
    if (c.req.method === "OPTIONS") {
      const asked = c.req.header("access-control-request-headers") ?? null;
      c.res = new Response(null, {
        status: 204,
        headers: { ...headers, ...preflightHeaders(asked) },
      });
      return;
    }
    await next();
    for (const [name, value] of Object.entries(headers ?? {})) c.res.headers.set(name, value);
  };
}

/**
 * The CORS decision for a request: `null` when it needs no CORS headers (no `Origin`, or
 * the gateway's own origin), the headers to add when `ALLOWED_ORIGINS` lets the origin
 * in, and a 403 otherwise. Refusing outright, not only withholding the headers, keeps a
 * page on another origin from spending the site's tokens with a request that needs no
 * preflight.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { corsHeaders } from "./cors.ts";
 * const headers = corsHeaders("https://a.example", "https://gw.example", ["https://a.example"]);
 * assert.equal(headers?.["access-control-allow-origin"], "https://a.example");
 * assert.throws(() => corsHeaders("https://b.example", "https://gw.example", ["https://a.example"]));
 * ```
 */
export function corsHeaders(
  origin: string | null,
  ownOrigin: string,
  allowed: readonly string[] | "*",
): Record<string, string> | null {
  if (origin === null || sameHost(origin, ownOrigin)) return null;
  if (allowed !== "*" && !allowed.includes(origin)) {
    throw new HttpError(403, `Origin ${origin.slice(0, 200)} is not allowed`, {
      type: "permission_error",
      code: "origin_not_allowed",
    });
  }
  return { "access-control-allow-origin": allowed === "*" ? "*" : origin, vary: "Origin" };
}

// The gateway's own page, also behind a proxy that ends TLS (the request then says http:
// while the page's Origin says https:): the same host is the same site.
function sameHost(origin: string, ownOrigin: string): boolean {
  try {
    return new URL(origin).host === new URL(ownOrigin).host;
  } catch {
    return false;
  }
}

const HEADER_LIST = /^[A-Za-z0-9!#$%&'*+.^_`|~-]+(\s*,\s*[A-Za-z0-9!#$%&'*+.^_`|~-]+)*$/;

/**
 * The extra headers of a preflight answer. The request headers asked for are allowed
 * when they form a valid list: clients add their own (the OpenAI SDK its
 * `X-Stainless-*`), and the origin has been allowed already.
 */
export function preflightHeaders(requested: string | null): Record<string, string> {
  const asked = requested?.trim() ?? "";
  return {
    "access-control-allow-methods": "GET, POST, OPTIONS",
    "access-control-allow-headers": asked !== "" && asked.length <= 2000 && HEADER_LIST.test(asked)
      ? asked
      : "authorization, content-type, x-signature-timestamp, x-signature-256",
    "access-control-max-age": "600",
  };
}
