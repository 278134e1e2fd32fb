import assert from "node:assert/strict";
import { HttpError, toHttpError } from "../../../lib/gateway/http_error.ts";
import { AiEngineError } from "../../../lib/ai_engine/ai_engine_error.ts";
import { toolError } from "../../../lib/gateway/mcp/tool_error.ts";

Deno.test("a failure is an isError result naming its code and status", () => {
  const result = toolError(
    toHttpError(new AiEngineError("rejected", "Sorry, your query has been rejected.")),
  );
  assert.equal(result.isError, true);
  assert.deepEqual(result.content, [{
    type: "text",
    text: "Sorry, your query has been rejected. (upstream_rejected, 400).",
  }]);
  assert.deepEqual(result._meta?.error, {
    message: "Sorry, your query has been rejected.",
    type: "invalid_request_error",
    param: null,
    code: "upstream_rejected",
    status: 400,
    retry: false,
  });
});

Deno.test("a wait is said only where trying again can help", () => {
  const headers = { "retry-after": "30" };
  const limited = new HttpError(429, "Gateway limit", {
    type: "rate_limit_error",
    code: "rate_limit_exceeded",
    headers,
  });
  const spent = new HttpError(429, "Budget spent", {
    type: "rate_limit_error",
    code: "rate_limit_exceeded",
    headers,
    retry: false,
  });
  const text = (error: HttpError) => (toolError(error).content[0] as { text: string }).text;
  assert.match(text(limited), /Try again in 30 s\.$/);
  assert.doesNotMatch(text(spent), /Try again/);
});
