import { badRequest } from "../http_error.ts";
import { isRecord } from "../../util/is_record.ts";
import { unsupported } from "./unsupported_fields.ts";

const TOOLS = "AI Engine answers with text only, it cannot call the client's tools";
const FORMAT = "AI Engine answers with the bot's text, it cannot promise JSON or a schema";
const REASONING = "the bot's model and its settings are chosen on the site";
const STORED = "the gateway keeps no responses; continue with previous_response_id";

const absent = (value: unknown) => value === undefined || value === null;
const emptyList = (value: unknown) => absent(value) || (Array.isArray(value) && value.length === 0);
const isText = (format: unknown) => absent(format) || (isRecord(format) && format.type === "text");
// What the SDKs send when a feature is off: an empty or "none" effort, no summary.
const noReasoning = (value: unknown) =>
  absent(value) ||
  (isRecord(value) && (absent(value.effort) || value.effort === "none") && absent(value.summary));
// `reasoning.encrypted_content` asks for reasoning items, which never come: nothing to give.
const GIVEN_INCLUDES = new Set(["reasoning.encrypted_content"]);

// Each field of the Responses API whose meaning AI Engine cannot give, with the values that
// ask for nothing (what the SDKs send when the feature is off), and why it cannot.
const FIELDS: [string, (value: unknown) => boolean, string][] = [
  ["tools", emptyList, TOOLS],
  ["tool_choice", (v) => absent(v) || v === "none" || v === "auto", TOOLS],
  ["max_tool_calls", (v) => absent(v) || typeof v === "number", TOOLS],
  ["text.format", isText, FORMAT],
  ["reasoning", noReasoning, REASONING],
  ["background", (v) => absent(v) || v === false, "AI Engine answers while the request waits"],
  ["conversation", absent, STORED],
  ["prompt", absent, "the bot's prompt is chosen on the site"],
  ["context_management", emptyList, STORED],
  ["top_logprobs", (v) => absent(v) || v === 0, "AI Engine does not report token probabilities"],
];

// Accepted when well typed, and not forwarded: the bot's settings on the site stand.
const IGNORED: Record<string, (value: unknown) => boolean> = {
  temperature: (v) => typeof v === "number" && v >= 0 && v <= 2,
  top_p: (v) => typeof v === "number" && v >= 0 && v <= 1,
  max_output_tokens: (v) => Number.isSafeInteger(v) && (v as number) > 0,
  store: (v) => typeof v === "boolean",
  parallel_tool_calls: (v) => typeof v === "boolean",
  truncation: (v) => v === "auto" || v === "disabled",
  service_tier: (v) => typeof v === "string",
  prompt_cache_key: (v) => typeof v === "string",
  prompt_cache_retention: (v) => typeof v === "string",
  stream_options: isRecord,
  text: isRecord,
};

/**
 * Refuses a Responses request that asks for what AI Engine cannot do (tools, structured
 * output, reasoning settings, background runs, stored conversations or prompts) with
 * `400 unsupported_parameter` naming the field, and checks the type of the parameters it
 * accepts without forwarding (`temperature`, `max_output_tokens`, `store`, ...). The values
 * the SDKs send when a feature is off (`tools: []`, `text: {format: {type: "text"}}`,
 * `reasoning: {effort: "none"}`, `store: false`) pass.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { refuseUnsupportedResponses } from "./responses_fields.ts";
 * refuseUnsupportedResponses({ tools: [], text: { format: { type: "text" } }, store: true });
 * assert.throws(
 *   () => refuseUnsupportedResponses({ text: { format: { type: "json_schema" } } }),
 *   /text.format is not supported/,
 * );
 * ```
 */
export function refuseUnsupportedResponses(request: Record<string, unknown>): void {
  for (const [name, isValid] of Object.entries(IGNORED)) {
    if (!absent(request[name]) && !isValid(request[name])) {
      throw badRequest(`Invalid value for ${name}`, name);
    }
  }
  const text = isRecord(request.text) ? request.text : {};
  for (const [name, asksNothing, why] of FIELDS) {
    const value = name === "text.format" ? text.format : request[name];
    if (!asksNothing(value)) throw unsupported(name, why);
  }
  const include = request.include;
  if (absent(include)) return;
  if (!Array.isArray(include)) throw badRequest("include must be an array", "include");
  const asked = include.find((item) => !GIVEN_INCLUDES.has(item));
  if (asked !== undefined) {
    const shown = typeof asked === "string" ? asked.slice(0, 80) : String(asked);
    throw unsupported("include", `AI Engine gives the answer's text only, not ${shown}`);
  }
}
