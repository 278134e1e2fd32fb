import assert from "node:assert/strict";
import { AiEngineError, classifyUpstreamMessage } from "../../lib/ai_engine/ai_engine_error.ts";

Deno.test("AiEngineError carries its type, message and cause, and no status or wait unless given", () => {
  const cause = new TypeError("connection reset");
  const error = new AiEngineError("unreachable", "Could not reach AI Engine", { cause });
  assert.ok(error instanceof Error);
  assert.equal(error.name, "AiEngineError");
  assert.equal(error.type, "unreachable");
  assert.equal(error.message, "Could not reach AI Engine");
  assert.equal(error.cause, cause);
  assert.equal(error.upstreamStatus, null);
  assert.equal(error.retryAfter, null);
  assert.match(String(error), /^AiEngineError: Could not reach AI Engine$/);
});

Deno.test("AiEngineError keeps the upstream status and the site's Retry-After", () => {
  const error = new AiEngineError("rate_limited", "Slow down", {
    upstreamStatus: 429,
    retryAfter: 20,
  });
  assert.deepEqual([error.upstreamStatus, error.retryAfter], [429, 20]);
  assert.equal(error.cause, undefined);
});

Deno.test("AiEngineError takes an explicit null status and wait as none", () => {
  const error = new AiEngineError("upstream_failed", "x", {
    upstreamStatus: null,
    retryAfter: null,
  });
  assert.deepEqual([error.upstreamStatus, error.retryAfter], [null, null]);
});

// [the message AI Engine wrote, the type it must be classified as]
const MESSAGES: [string, AiEngineError["type"]][] = [
  ["Sorry, your query has been rejected.", "rejected"],
  ["SORRY, YOUR QUERY HAS BEEN REJECTED", "rejected"],
  [
    "FakeLLM: Error: Rate limit reached for fake-model (fake LLM). (rate_limit_exceeded) (requests)",
    "rate_limited",
  ],
  ["FakeLLM: Rate limit reached for fake-model (fake LLM).", "rate_limited"],
  ["Error: ratelimit hit", "rate_limited"],
  ["OpenAI: rate-limit exceeded for gpt-4o", "rate_limited"],
  ["Anthropic: rate_limit_error", "rate_limited"],
  ["Error: (rate_limit_exceeded)", "rate_limited"],
  ["Google: 429 Too Many Requests", "rate_limited"],
  ["too many requests, please wait", "rate_limited"],
  [
    "OpenAI: Error: The model `gpt-9` does not exist or you do not have access to it.",
    "upstream_failed",
  ],
  ["Incorrect API key provided: sk-****", "upstream_failed"],
  ["Anthropic: Overloaded", "upstream_failed"],
  ["", "upstream_failed"],
];

for (const [message, type] of MESSAGES) {
  Deno.test(`classifyUpstreamMessage calls ${JSON.stringify(message)} ${type}`, () => {
    const error = classifyUpstreamMessage(message);
    assert.ok(error instanceof AiEngineError);
    assert.equal(error.type, type);
    assert.equal(error.message, message);
  });
}

Deno.test("classifyUpstreamMessage takes a rejection for a rejection even when it speaks of rate limits", () => {
  const error = classifyUpstreamMessage("Sorry, your query has been rejected. (rate limit)");
  assert.equal(error.type, "rejected");
});

Deno.test("classifyUpstreamMessage does not take a mere mention of a rate or a limit for a rate limit", () => {
  for (const message of ["The generation rate was low", "Context limit exceeded", "Token limit"]) {
    assert.equal(classifyUpstreamMessage(message).type, "upstream_failed", message);
  }
});

Deno.test("classifyUpstreamMessage does not find a rate limit inside another word", () => {
  for (const message of ["Separate limits apply to this model", "A moderate limit was hit"]) {
    assert.equal(classifyUpstreamMessage(message).type, "upstream_failed", message);
  }
});

Deno.test("classifyUpstreamMessage passes on the upstream status and Retry-After", () => {
  const error = classifyUpstreamMessage("Rate limit reached", 429, 30);
  assert.deepEqual([error.type, error.upstreamStatus, error.retryAfter], ["rate_limited", 429, 30]);
  const bare = classifyUpstreamMessage("Rate limit reached");
  assert.deepEqual([bare.upstreamStatus, bare.retryAfter], [null, null]);
});
