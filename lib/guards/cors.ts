import { HttpError } from "../http_error.ts";

/**
 * The CORS decision for a request: `null` when it needs no CORS headers (no `Origin`, or
 * the gateway's own origin), the headers to add when `ALLOWED_ORIGINS` lets the origin
 * in, and a 403 otherwise. Refusing outright, not only withholding the headers, keeps a
 * page on another origin from spending the site's tokens with a request that needs no
 * preflight.
 *
 * @example
 * ```ts
 * import { corsHeaders } from "./cors.ts";
 * const headers = corsHeaders("https://a.example", "https://gw.example", ["https://a.example"]);
 * console.log(headers?.["access-control-allow-origin"]); // https://a.example
 * ```
 */
export function corsHeaders(
  origin: string | null,
  ownOrigin: string,
  allowed: readonly string[] | "*",
): Record<string, string> | null {
  if (origin === null || origin === ownOrigin) return null;
  if (allowed !== "*" && !allowed.includes(origin)) {
    throw new HttpError(403, `Origin ${origin.slice(0, 200)} is not allowed`, {
      type: "permission_error",
      code: "origin_not_allowed",
    });
  }
  return {
    "access-control-allow-origin": allowed === "*" ? "*" : origin,
    "access-control-expose-headers": "x-request-id",
    vary: "Origin",
  };
}

/** The extra headers of a preflight answer. */
export const PREFLIGHT_HEADERS = {
  "access-control-allow-methods": "GET, POST, OPTIONS",
  "access-control-allow-headers":
    "authorization, content-type, x-signature-timestamp, x-signature-256",
  "access-control-max-age": "600",
};
