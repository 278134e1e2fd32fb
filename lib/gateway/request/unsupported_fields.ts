import { HttpError } from "../http_error.ts";
import { isRecord } from "../../util/is_record.ts";

/** The code of a 400 for a field AI Engine cannot honour (OpenAI's own for such a field). */
export const UNSUPPORTED = "unsupported_parameter";

/** A 400 for a field the request sets that AI Engine cannot honour, saying why. */
export function unsupported(param: string, why: string, message?: string): HttpError {
  return new HttpError(400, message ?? `${param} is not supported: ${why}`, {
    type: "invalid_request_error",
    code: UNSUPPORTED,
    param,
  });
}

const TOOLS = "AI Engine answers with text only, it cannot call the client's tools";
const FORMAT = "AI Engine answers with the bot's text, it cannot promise JSON or a schema";
const LOGPROBS = "AI Engine does not report token probabilities";
const AUDIO = "AI Engine answers with text only";

const absent = (value: unknown) => value === undefined || value === null;
const emptyList = (value: unknown) => absent(value) || (Array.isArray(value) && value.length === 0);

// Each field a client may set whose meaning AI Engine cannot give, with the values that
// ask for nothing (what clients send when the feature is off), and why it cannot.
const FIELDS: [string, (value: unknown) => boolean, string][] = [
  ["tools", emptyList, TOOLS],
  ["tool_choice", (v) => absent(v) || v === "none", TOOLS],
  ["functions", emptyList, TOOLS],
  ["function_call", (v) => absent(v) || v === "none", TOOLS],
  ["response_format", (v) => absent(v) || (isRecord(v) && v.type === "text"), FORMAT],
  ["logprobs", (v) => absent(v) || v === false, LOGPROBS],
  ["top_logprobs", (v) => absent(v) || v === 0, LOGPROBS],
  [
    "modalities",
    (v) => absent(v) || (Array.isArray(v) && !v.includes("audio")),
    AUDIO,
  ],
  ["audio", absent, AUDIO],
  ["n", (v) => absent(v) || typeof v !== "number" || v <= 1, "AI Engine gives one answer"],
];

/**
 * Refuses an OpenAI request that asks for what AI Engine cannot do (tools, structured
 * output, log probabilities, audio, several answers), rather than answering with prose
 * that agents and structured-output code would misread later. The values clients send
 * when a feature is off (`tool_choice: "none"`, `response_format: {type: "text"}`,
 * `logprobs: false`, `n: 1`) pass.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { refuseUnsupported } from "./unsupported_fields.ts";
 * refuseUnsupported({ tool_choice: "none", logprobs: false });
 * assert.throws(() => refuseUnsupported({ tools: [{ type: "function" }] }), /tools is not supported/);
 * ```
 */
export function refuseUnsupported(request: Record<string, unknown>): void {
  for (const [name, asksNothing, why] of FIELDS) {
    if (!asksNothing(request[name])) throw unsupported(name, why);
  }
  const parallel = request.parallel_tool_calls;
  if (!absent(parallel) && typeof parallel !== "boolean") {
    throw new HttpError(400, "parallel_tool_calls must be a boolean", {
      type: "invalid_request_error",
      code: "invalid_request",
      param: "parallel_tool_calls",
    });
  }
}

/**
 * Refuses a message that belongs to a tool-calling conversation: a `tool` or `function`
 * role, or an assistant turn carrying `tool_calls` / `function_call`.
 */
export function refuseToolMessage(message: Record<string, unknown>, param: string): void {
  const { role } = message;
  if (role === "tool" || role === "function") {
    const said = `${param} is a ${role} message: tool calls are not supported; ${TOOLS}`;
    throw unsupported(`${param}.role`, TOOLS, said);
  }
  if (role !== "assistant") return;
  for (const field of ["tool_calls", "function_call"]) {
    if (!emptyList(message[field])) {
      const said = `${param}.${field}: tool calls are not supported; ${TOOLS}`;
      throw unsupported(`${param}.${field}`, TOOLS, said);
    }
  }
}
