import { HttpError } from "../http_error.ts";

/**
 * Refuses a browser's request to the MCP server unless its `Origin` is one that
 * `ALLOWED_ORIGINS` lets in, or the origin of `PUBLIC_URL`. The MCP specification asks
 * servers to validate `Origin` against DNS rebinding: a page whose name an attacker
 * points at the gateway sends its own host in `Host` and `Origin` alike, so the
 * request's own origin, which CORS lets in for the demo page, proves nothing here.
 * Agents send no `Origin`, and pass.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { checkMcpOrigin } from "./mcp_origin.ts";
 * checkMcpOrigin(null, null, []);
 * checkMcpOrigin("https://app.example", null, ["https://app.example"]);
 * assert.throws(() => checkMcpOrigin("http://rebound.example:8000", null, []));
 * ```
 */
export function checkMcpOrigin(
  origin: string | null,
  publicOrigin: string | null,
  allowed: readonly string[] | "*",
): void {
  if (origin === null || origin === publicOrigin) return;
  if (allowed === "*" || allowed.includes(origin)) return;
  throw new HttpError(403, `Origin ${origin.slice(0, 200)} is not allowed to use /mcp`, {
    type: "permission_error",
    code: "origin_not_allowed",
  });
}
