import type { AiEngineUsage, AnswerExtras } from "../../ai_engine/answer/events.ts";
import type { ResponseEcho } from "../request/responses_request.ts";

/** What every event of one response repeats. */
export interface ResponseMeta {
  /** `resp_…`, the id the next turn's `previous_response_id` names. */
  id: string;
  /** `msg_…`, the id of the answer's one output message. */
  messageId: string;
  /** Unix seconds. */
  createdAt: number;
  /** The model name the client asked for (or the bot's id). */
  model: string;
  /** The request's fields the response repeats. */
  echo: ResponseEcho;
}

/** Where a response stands, and what it holds so far. */
export interface ResponseState {
  status: "in_progress" | "completed" | "failed";
  /** The answer's text so far, or null before the output message exists. */
  text: string | null;
  usage?: AiEngineUsage | null;
  error?: { code: string; message: string } | null;
  extras?: AnswerExtras | null;
}

/**
 * The output message of a response: one `output_text` part with the answer.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { outputMessage } from "./response_object.ts";
 * const message = outputMessage("msg_1", "Hello", "completed");
 * assert.equal(message.content[0]!.text, "Hello");
 * ```
 */
export function outputMessage(
  id: string,
  text: string,
  status: "in_progress" | "completed" | "incomplete",
) {
  return {
    id,
    type: "message" as const,
    status,
    role: "assistant" as const,
    content: [{ type: "output_text" as const, annotations: [], logprobs: [], text }],
  };
}

/**
 * OpenAI's `response` object, as `POST /v1/responses` answers it and its lifecycle events
 * carry it: the fields the SDKs read (`id`, `status`, `output`, `usage`, `error`), and the
 * request's settings repeated. The usage is AI Engine's (`prompt_tokens` as `input_tokens`,
 * ...), 0 where the site says none; `null` until the answer is complete.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { responseObject } from "./response_object.ts";
 * const meta = {
 *   id: "resp_1", messageId: "msg_1", createdAt: 0, model: "default",
 *   echo: { instructions: null, max_output_tokens: null, temperature: null, top_p: null, metadata: {},
 *     previous_response_id: null, store: true, user: null, safety_identifier: null },
 * };
 * const response = responseObject(meta, { status: "completed", text: "Hi", usage: null });
 * assert.equal(response.object, "response");
 * assert.equal(response.usage?.total_tokens, 0);
 * ```
 */
export function responseObject(meta: ResponseMeta, state: ResponseState) {
  const done = state.status !== "in_progress";
  const messageStatus = state.status === "completed"
    ? "completed"
    : state.status === "failed"
    ? "incomplete"
    : "in_progress";
  return {
    id: meta.id,
    object: "response" as const,
    created_at: meta.createdAt,
    status: state.status,
    background: false,
    completed_at: state.status === "completed" ? Math.floor(Date.now() / 1000) : null,
    error: state.error ?? null,
    incomplete_details: null,
    instructions: meta.echo.instructions,
    max_output_tokens: meta.echo.max_output_tokens,
    max_tool_calls: null,
    model: meta.model,
    output: state.text === null ? [] : [outputMessage(meta.messageId, state.text, messageStatus)],
    parallel_tool_calls: true,
    previous_response_id: meta.echo.previous_response_id,
    reasoning: { effort: null, summary: null },
    safety_identifier: meta.echo.safety_identifier,
    service_tier: "default",
    store: meta.echo.store,
    temperature: meta.echo.temperature,
    text: { format: { type: "text" }, verbosity: "medium" },
    tool_choice: "auto",
    tools: [],
    top_logprobs: 0,
    top_p: meta.echo.top_p,
    truncation: "disabled",
    usage: done ? responsesUsage(state.usage ?? null) : null,
    user: meta.echo.user,
    metadata: meta.echo.metadata,
    ...(state.extras ? { mwai: state.extras } : {}),
  };
}

function responsesUsage(usage: AiEngineUsage | null) {
  return {
    input_tokens: usage?.prompt_tokens ?? 0,
    input_tokens_details: { cached_tokens: 0 },
    output_tokens: usage?.completion_tokens ?? 0,
    output_tokens_details: { reasoning_tokens: 0 },
    total_tokens: usage?.total_tokens ?? 0,
  };
}
