import assert from "node:assert/strict";
import { refuseUnsupportedResponses } from "../../../lib/gateway/request/responses_fields.ts";
import { HttpError } from "../../../lib/gateway/http_error.ts";

function refusal(request: Record<string, unknown>): HttpError {
  try {
    refuseUnsupportedResponses(request);
  } catch (error) {
    assert.ok(error instanceof HttpError);
    return error;
  }
  throw new Error(`Not refused: ${JSON.stringify(request)}`);
}

Deno.test("what the SDKs send with their features off passes", () => {
  // The Agents SDK's and the AI SDK's defaults, and what a plain client sets.
  refuseUnsupportedResponses({
    tools: [],
    tool_choice: "auto",
    text: { format: { type: "text" }, verbosity: "low" },
    reasoning: { effort: "none" },
    include: [],
    store: false,
    parallel_tool_calls: false,
    truncation: "auto",
    temperature: 0.3,
    top_p: 1,
    max_output_tokens: 100,
    service_tier: "auto",
    prompt_cache_key: "k",
    stream_options: { include_obfuscation: false },
    background: false,
    top_logprobs: 0,
  });
  refuseUnsupportedResponses({ include: ["reasoning.encrypted_content"], reasoning: {} });
});

Deno.test("each feature AI Engine cannot give is unsupported_parameter naming it", () => {
  const cases: [Record<string, unknown>, string][] = [
    [{ tools: [{ type: "web_search" }] }, "tools"],
    [{ tool_choice: "required" }, "tool_choice"],
    [{ tool_choice: { type: "function", name: "f" } }, "tool_choice"],
    [{ text: { format: { type: "json_schema", name: "x", schema: {} } } }, "text.format"],
    [{ text: { format: { type: "json_object" } } }, "text.format"],
    [{ reasoning: { effort: "high" } }, "reasoning"],
    [{ reasoning: { summary: "auto" } }, "reasoning"],
    [{ background: true }, "background"],
    [{ conversation: { id: "conv_1" } }, "conversation"],
    [{ prompt: { id: "pmpt_1" } }, "prompt"],
    [{ context_management: [{ type: "compaction" }] }, "context_management"],
    [{ top_logprobs: 5 }, "top_logprobs"],
    [{ include: ["message.output_text.logprobs"] }, "include"],
    [{ include: ["web_search_call.action.sources"] }, "include"],
  ];
  for (const [request, param] of cases) {
    const error = refusal(request);
    assert.equal(error.status, 400);
    assert.equal(error.code, "unsupported_parameter", JSON.stringify(request));
    assert.equal(error.param, param);
  }
  assert.match(refusal({ include: ["file_search_call.results"] }).message, /file_search_call/);
});

Deno.test("an ignored parameter of the wrong type is invalid_request naming it", () => {
  const cases: [Record<string, unknown>, string][] = [
    [{ temperature: 3 }, "temperature"],
    [{ top_p: "1" }, "top_p"],
    [{ max_output_tokens: 0 }, "max_output_tokens"],
    [{ store: "yes" }, "store"],
    [{ truncation: "middle" }, "truncation"],
    [{ text: "plain" }, "text"],
    [{ include: "all" }, "include"],
  ];
  for (const [request, param] of cases) {
    const error = refusal(request);
    assert.equal(error.code, "invalid_request", JSON.stringify(request));
    assert.equal(error.param, param);
  }
});
