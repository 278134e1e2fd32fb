import assert from "node:assert/strict";
import {
  refuseToolMessage,
  refuseUnsupported,
  UNSUPPORTED,
  unsupported,
} from "../../../lib/gateway/request/unsupported_fields.ts";
import { HttpError } from "../../../lib/gateway/http_error.ts";

/** Asserts that `run` throws a 400 `code` naming `param`, its message matching `message`. */
function assertRefused(run: () => void, param: string, message: RegExp, code = UNSUPPORTED): void {
  assert.throws(run, (error) => {
    assert.ok(error instanceof HttpError, String(error));
    assert.deepEqual(
      [error.status, error.type, error.code, error.param],
      [400, "invalid_request_error", code, param],
    );
    assert.match(error.message, message);
    return true;
  }, param);
}

Deno.test("unsupported builds a 400 unsupported_parameter naming the field and saying why", () => {
  const error = unsupported("seed", "AI Engine picks its own");
  assert.equal(UNSUPPORTED, "unsupported_parameter");
  assert.deepEqual([error.status, error.code, error.param], [400, UNSUPPORTED, "seed"]);
  assert.equal(error.message, "seed is not supported: AI Engine picks its own");
  assert.equal(unsupported("seed", "why", "Said otherwise").message, "Said otherwise");
});

// [a field set to ask for something, the words its refusal must hold]
const REFUSED: [Record<string, unknown>, RegExp][] = [
  [{ tools: [{ type: "function" }] }, /^tools is not supported: .*cannot call the client's tools/],
  [{ tool_choice: "auto" }, /^tool_choice is not supported: .*tools/],
  [{ tool_choice: "required" }, /^tool_choice is not supported/],
  [{ functions: [{ name: "f" }] }, /^functions is not supported/],
  [{ function_call: { name: "f" } }, /^function_call is not supported/],
  [{ response_format: { type: "json_object" } }, /^response_format is not supported: .*JSON/],
  [{ response_format: "json" }, /^response_format is not supported/],
  [{ logprobs: true }, /^logprobs is not supported: .*token probabilities/],
  [{ top_logprobs: 5 }, /^top_logprobs is not supported/],
  [{ modalities: ["audio"] }, /^modalities is not supported: .*text only/],
  [{ modalities: "audio" }, /^modalities is not supported/],
  [{ audio: { voice: "alloy" } }, /^audio is not supported/],
  [{ n: 3 }, /^n is not supported: AI Engine gives one answer$/],
];

for (const [request, message] of REFUSED) {
  const [param] = Object.keys(request) as [string];
  Deno.test(`refuseUnsupported refuses ${JSON.stringify(request)} naming ${param}`, () => {
    assertRefused(() => refuseUnsupported(request), param, message);
  });
}

Deno.test("refuseUnsupported lets the values that ask for nothing pass", () => {
  const off: Record<string, unknown>[] = [
    {},
    { tools: [], tool_choice: "none", functions: [], function_call: "none" },
    { tools: null, tool_choice: null, functions: null, function_call: null },
    { response_format: { type: "text" }, logprobs: false, top_logprobs: 0 },
    { modalities: ["text"], audio: null, n: 1 },
    { n: 0, parallel_tool_calls: true },
    { parallel_tool_calls: false, model: "default", temperature: 0.2, seed: 1 },
  ];
  for (const request of off) refuseUnsupported(request);
});

Deno.test("refuseUnsupported names the first refused field when several are set", () => {
  assertRefused(() => refuseUnsupported({ n: 2, tools: [{}] }), "tools", /^tools/);
});

Deno.test("refuseUnsupported takes a parallel_tool_calls that is not a boolean as a bad request", () => {
  for (const value of ["yes", 1, {}]) {
    assertRefused(
      () => refuseUnsupported({ parallel_tool_calls: value }),
      "parallel_tool_calls",
      /^parallel_tool_calls must be a boolean$/,
      "invalid_request",
    );
  }
});

Deno.test("refuseToolMessage refuses a tool or function message, naming its role", () => {
  assertRefused(
    () => refuseToolMessage({ role: "tool", content: "42" }, "messages[2]"),
    "messages[2].role",
    /^messages\[2\] is a tool message: tool calls are not supported; AI Engine/,
  );
  assertRefused(
    () => refuseToolMessage({ role: "function", content: "42" }, "messages[0]"),
    "messages[0].role",
    /^messages\[0\] is a function message/,
  );
});

Deno.test("refuseToolMessage refuses an assistant turn that calls tools, naming the field", () => {
  assertRefused(
    () => refuseToolMessage({ role: "assistant", tool_calls: [{ id: "c1" }] }, "messages[1]"),
    "messages[1].tool_calls",
    /^messages\[1\]\.tool_calls: tool calls are not supported/,
  );
  assertRefused(
    () => refuseToolMessage({ role: "assistant", function_call: { name: "f" } }, "messages[1]"),
    "messages[1].function_call",
    /^messages\[1\]\.function_call: tool calls are not supported/,
  );
});

Deno.test("refuseToolMessage lets ordinary turns pass, and looks for tool calls on assistant turns only", () => {
  refuseToolMessage({ role: "user", content: "Hi" }, "messages[0]");
  refuseToolMessage({ role: "assistant", content: "Hello", tool_calls: [] }, "messages[1]");
  refuseToolMessage({ role: "assistant", content: "Hello", function_call: null }, "messages[1]");
  refuseToolMessage({ role: "system", content: "Be brief" }, "messages[0]");
  refuseToolMessage({ role: "user", content: "Hi", tool_calls: [{ id: "c1" }] }, "messages[0]");
});
