import type { CallToolResult } from "@modelcontextprotocol/sdk/types.js";
import type { HttpError } from "../http_error.ts";

/**
 * A failure as an MCP tool result with `isError`: one text an agent can act on, naming
 * the failure's code and status as the other routes' error JSON does, and when to try
 * again where that can help (`Retry-After`); `_meta.error` holds the same as that JSON.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { HttpError } from "../http_error.ts";
 * import { toolError } from "./tool_error.ts";
 * const result = toolError(new HttpError(429, "Rate limit reached", {
 *   type: "rate_limit_error",
 *   code: "rate_limit_exceeded",
 *   headers: { "retry-after": "20" },
 * }));
 * assert.equal(result.isError, true);
 * assert.equal(
 *   result.content[0]?.type === "text" && result.content[0].text,
 *   "Rate limit reached (rate_limit_exceeded, 429). Try again in 20 s.",
 * );
 * ```
 */
export function toolError(error: HttpError): CallToolResult {
  const wait = error.retry ? error.headers["retry-after"] : undefined;
  const text = `${error.message} (${error.code}, ${error.status}).` +
    (wait === undefined ? "" : ` Try again in ${wait} s.`);
  return {
    isError: true,
    content: [{ type: "text", text }],
    _meta: { error: { ...error.toJSON().error, status: error.status, retry: error.retry } },
  };
}
