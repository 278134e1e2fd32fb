import type { MiddlewareHandler } from "hono";
import type { GatewayEnv } from "../gateway_env.ts";
import { HttpError } from "../http_error.ts";
import { type ServedNames, servesHost } from "../served_names.ts";
import { optionsFor, type PerRequest } from "./per_request.ts";

/** Whom CORS lets in (see {@linkcode cors}). */
export interface CorsOptions {
  /** The origins allowed (`ALLOWED_ORIGINS`), or `"*"` for any. */
  allowedOrigins: readonly string[] | "*";
  /** The gateway's own origin (`PUBLIC_URL`'s), or null to take the request's. */
  publicOrigin: string | null;
  /** The names the gateway serves: without `publicOrigin`, the request's is its own only on one. */
  servedNames: ServedNames;
}

/**
 * What a page on another origin may read of an answer's headers, besides the safelisted
 * ones: the limits' and the Turnstile pass its next message sends back.
 */
const EXPOSE = {
  "access-control-expose-headers": "retry-after, ratelimit, ratelimit-policy, x-gateway-pass",
};

/**
 * CORS per `ALLOWED_ORIGINS`: a preflight is answered here, a request from an origin not
 * allowed is refused with 403, and an allowed one gets its headers on whatever answer
 * comes, errors included, so a page can read why it failed.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { Hono } from "hono";
 * import { cors } from "./cors.ts";
 * import { renderError } from "./edge.ts";
 * import { parseServedNames } from "../served_names.ts";
 * import type { GatewayEnv } from "../gateway_env.ts";
 * const servedNames = parseServedNames(undefined, null, null);
 * const app = new Hono<GatewayEnv>().onError(renderError);
 * app.use(cors({ allowedOrigins: ["https://a.example"], publicOrigin: null, servedNames }));
 * app.get("/", (c) => c.text("hi"));
 * const allowed = await app.request("/", { headers: { origin: "https://a.example" } });
 * assert.equal(allowed.headers.get("access-control-allow-origin"), "https://a.example");
 * assert.equal((await app.request("/", { headers: { origin: "https://b.example" } })).status, 403);
 * ```
 */
export function cors(options: PerRequest<CorsOptions>): MiddlewareHandler<GatewayEnv> {
  return async (c, next) => {
    const origin = c.req.header("origin") ?? null;
    const { publicOrigin, allowedOrigins, servedNames } = optionsFor(options, c);
    const headers = corsHeaders(
      origin,
      ownOrigin(c.req.url, publicOrigin, servedNames),
      allowedOrigins,
    );
    if (c.req.method === "OPTIONS") {
      const asked = c.req.header("access-control-request-headers") ?? null;
      c.res = new Response(null, {
        status: 204,
        headers: { ...headers, ...preflightHeaders(asked) },
      });
      return;
    }
    await next();
    if (!headers) return;
    for (const [name, value] of Object.entries({ ...headers, ...EXPOSE })) {
      c.res.headers.set(name, value);
    }
  };
}

/**
 * The gateway's own origin: `PUBLIC_URL`'s when set, else the request URL's (scheme, host
 * and port) when its host is a name the gateway serves, else none (null).
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { ownOrigin } from "./cors.ts";
 * import { parseServedNames } from "../served_names.ts";
 * const served = parseServedNames("chat.example.com", null, null);
 * assert.equal(ownOrigin("http://chat.example.com:8000/api/chat", null, served), "http://chat.example.com:8000");
 * assert.equal(ownOrigin("http://evil.example:8000/api/chat", null, served), null);
 * ```
 */
export function ownOrigin(
  requestUrl: string,
  publicOrigin: string | null,
  served: ServedNames,
): string | null {
  if (publicOrigin !== null) return publicOrigin;
  const url = new URL(requestUrl);
  return servesHost(served, url) ? url.origin : null;
}

/**
 * The CORS decision for a request: `null` when it needs no CORS headers (no `Origin`, or
 * the gateway's own origin, compared whole: scheme, host and port), the headers to add when `ALLOWED_ORIGINS` lets the origin in, and a 403
 * otherwise, as for an `Origin` that is not an origin (one with a user name, a path).
 * Refusing outright, not only withholding the headers, keeps a page on another origin
 * from spending the site's tokens with a request that needs no preflight.
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
  own: string | null,
  allowed: readonly string[] | "*",
): Record<string, string> | null {
  if (origin === null) return null;
  const serialized = serializedOrigin(origin);
  if (serialized !== null && serialized === own) return null;
  if (serialized === null || (allowed !== "*" && !allowed.includes(origin))) {
    throw new HttpError(403, `Origin ${origin.slice(0, 200)} is not allowed`, {
      type: "permission_error",
      code: "origin_not_allowed",
    });
  }
  return { "access-control-allow-origin": allowed === "*" ? "*" : origin, vary: "Origin" };
}

/**
 * The origin an `Origin` header names, or null when it is not one as browsers send it
 * (`scheme://host[:port]`, nothing else: `http://x@gw.example` is refused). Browsers
 * send `null` from sandboxed and opaque contexts: only `*` or the allow-list lets it in.
 */
function serializedOrigin(origin: string): string | null {
  if (origin === "null") return origin;
  try {
    const url = new URL(origin);
    if (url.username || url.password || `${url.protocol}//${url.host}` !== origin) return null;
    return url.origin;
  } catch {
    return null;
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
      : "authorization, content-type, x-signature-timestamp, x-signature-256, " +
        "x-turnstile-token, x-gateway-pass",
    "access-control-max-age": "600",
  };
}
