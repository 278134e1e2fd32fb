import assert from "node:assert/strict";
import { HttpError } from "../../../lib/gateway/http_error.ts";
import { checkMcpOrigin } from "../../../lib/gateway/mcp/mcp_origin.ts";

const refused = (error: unknown) =>
  error instanceof HttpError && error.status === 403 && error.code === "origin_not_allowed";

Deno.test("a request without Origin (an agent, not a page) passes", () => {
  checkMcpOrigin(null, null, []);
});

Deno.test("an allow-listed origin, any with *, and PUBLIC_URL's pass", () => {
  checkMcpOrigin("https://a.example", null, ["https://a.example"]);
  checkMcpOrigin("https://b.example", null, "*");
  checkMcpOrigin("https://gw.example", "https://gw.example", []);
});

Deno.test("any other origin is 403, a rebound name or a sandboxed page's null too", () => {
  for (const origin of ["http://127.0.0.1:8000", "https://evil.example", "null"]) {
    assert.throws(
      () => checkMcpOrigin(origin, "https://gw.example", ["https://a.example"]),
      refused,
    );
  }
});
