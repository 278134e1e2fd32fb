import assert from "node:assert/strict";
import { AiEngineError } from "../../lib/ai_engine/ai_engine_error.ts";
import {
  badRequest,
  errorCode,
  HttpError,
  shouldRetry,
  toHttpError,
} from "../../lib/gateway/http_error.ts";

Deno.test("every error response says whether a retry can help", () => {
  const cases: [HttpError, string][] = [
    [badRequest("messages must be an array", "messages"), "false"],
    [toHttpError(new AiEngineError("rate_limited", "Rate limit reached")), "true"],
    [toHttpError(new AiEngineError("upstream_failed", "FakeLLM: boom")), "true"],
    [toHttpError(new AiEngineError("timeout", "AI Engine fell silent")), "false"],
    [toHttpError(new AiEngineError("first_text_timeout", "No text")), "false"],
    [toHttpError(new AiEngineError("malformed", "Not JSON")), "false"],
    [toHttpError(new Error("a bug")), "false"],
  ];
  for (const [error, expected] of cases) {
    assert.equal(error.getResponse().headers.get("x-should-retry"), expected, error.code);
  }
});

Deno.test("a hung site is never worth a retry: each would cost another timeout", () => {
  for (
    const code of ["upstream_timeout", "upstream_first_text_timeout", "upstream_answer_timeout"]
  ) {
    assert.equal(shouldRetry(code), false, code);
  }
});

Deno.test("the site's Retry-After is passed on where a retry can help, and only there", () => {
  const limited = toHttpError(new AiEngineError("rate_limited", "Slow down", { retryAfter: 30 }));
  assert.equal(limited.getResponse().headers.get("retry-after"), "30");
  const malformed = toHttpError(new AiEngineError("malformed", "Not JSON", { retryAfter: 30 }));
  assert.equal(malformed.getResponse().headers.get("retry-after"), null);
  const unsaid = toHttpError(new AiEngineError("rate_limited", "Slow down"));
  assert.equal(unsaid.getResponse().headers.get("retry-after"), null);
});

Deno.test("an error may settle its own retry, over its code's", () => {
  const error = new HttpError(503, "Draining", { type: "server_error", code: "x", retry: true });
  assert.equal(error.getResponse().headers.get("x-should-retry"), "true");
});

Deno.test("an upstream failure the setup must fix says x-should-retry: false, and passes on no wait", () => {
  const passing = toHttpError(new AiEngineError("upstream_failed", "a 503", { retryAfter: 5 }));
  assert.equal(passing.retry, true);
  assert.equal(passing.getResponse().headers.get("retry-after"), "5");
  const settled = toHttpError(
    new AiEngineError("upstream_failed", "a redirect", { retryAfter: 5, retryable: false }),
  );
  assert.equal(settled.status, 502);
  assert.equal(settled.retry, false);
  const response = settled.getResponse();
  assert.equal(response.headers.get("x-should-retry"), "false");
  assert.equal(response.headers.get("retry-after"), null);
});

Deno.test("errorCode names a failure by its code, else its type, else client_closed", () => {
  assert.equal(
    errorCode({ code: "invalid_api_key", type: "authentication_error" }),
    "invalid_api_key",
  );
  assert.equal(errorCode({ type: "timeout" }), "timeout");
  assert.equal(errorCode({ code: 42, type: "malformed" }), "malformed");
  for (const reason of [undefined, null, "a string", new Error("x"), { code: 1 }]) {
    assert.equal(errorCode(reason), "client_closed", String(reason));
  }
});
