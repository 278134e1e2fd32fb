import { badRequest } from "../http_error.ts";
import { isRecord } from "../../util/is_record.ts";
import { chatIdOf, type ChatInput, endUserOf } from "./chat_request.ts";
import { refuseUnsupportedResponses } from "./responses_fields.ts";
import { readResponsesInput } from "./responses_input.ts";

/** A Responses API request: the chat to ask, and what the response repeats. */
export interface ResponsesRequest {
  /** The chat as every face asks it; `messages` holds only this request's `input`. */
  chat: ChatInput;
  /** The response this one continues (`previous_response_id`), or null. */
  previousResponseId: string | null;
  /** The request's fields that a `response` object repeats (`instructions`, `metadata`, ...). */
  echo: ResponseEcho;
}

/** What a `response` object says of the request it answers. */
export interface ResponseEcho {
  instructions: string | null;
  max_output_tokens: number | null;
  temperature: number | null;
  top_p: number | null;
  metadata: Record<string, unknown>;
  previous_response_id: string | null;
  store: boolean;
  user: string | null;
  safety_identifier: string | null;
}

/**
 * Reads an OpenAI Responses body (`POST /v1/responses`): `model`, `input` (see
 * `readResponsesInput`), `instructions` (checked, then left out as a system message is on
 * Chat Completions: the bot's own instructions stand), `stream`, `previous_response_id`,
 * `metadata.chatId` and `user` / `safety_identifier` as on Chat Completions. What AI Engine
 * cannot honour is refused (see `refuseUnsupportedResponses`); `item_reference`s resolve
 * through `recall`.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { parseResponsesRequest } from "./responses_request.ts";
 * const request = parseResponsesRequest({ model: "default", input: "Hi", stream: true }, () => undefined);
 * assert.deepEqual(request.chat.messages, [{ role: "user", content: "Hi" }]);
 * assert.equal(request.chat.stream, true);
 * ```
 */
export function parseResponsesRequest(
  body: unknown,
  recall: (messageId: string) => string | undefined,
): ResponsesRequest {
  if (!isRecord(body)) throw badRequest("The request body must be a JSON object");
  refuseUnsupportedResponses(body);
  if (body.input === undefined || body.input === null) {
    throw badRequest("Missing input (a string or an array of messages)", "input");
  }
  const { messages, images } = readResponsesInput(body.input, recall);
  if (messages.at(-1)!.content.trim() === "" && images.length === 0) {
    throw badRequest("The user's message is empty", "input");
  }
  const metadata = body.metadata ?? null;
  if (metadata !== null && !isRecord(metadata)) {
    throw badRequest("metadata must be an object", "metadata");
  }
  const instructions = optionalString(body, "instructions", true);
  const previousResponseId = optionalString(body, "previous_response_id");
  const stream = body.stream ?? false;
  if (typeof stream !== "boolean") throw badRequest("stream must be a boolean", "stream");
  const chat: ChatInput = {
    model: optionalString(body, "model"),
    messages,
    images,
    stream,
    includeUsage: true,
    chatId: chatIdOf(metadata?.chatId, "metadata.chatId"),
    endUser: endUserOf(body),
  };
  const echo: ResponseEcho = {
    instructions,
    max_output_tokens: (body.max_output_tokens as number | undefined) ?? null,
    temperature: (body.temperature as number | undefined) ?? null,
    top_p: (body.top_p as number | undefined) ?? null,
    metadata: metadata ?? {},
    previous_response_id: previousResponseId,
    store: (body.store as boolean | undefined) ?? true,
    user: typeof body.user === "string" ? body.user : null,
    safety_identifier: typeof body.safety_identifier === "string" ? body.safety_identifier : null,
  };
  return { chat, previousResponseId, echo };
}

function optionalString(
  request: Record<string, unknown>,
  name: string,
  emptyAllowed = false,
): string | null {
  const value = request[name];
  if (value === undefined || value === null) return null;
  if (typeof value !== "string" || (value === "" && !emptyAllowed)) {
    throw badRequest(`${name} must be a ${emptyAllowed ? "" : "non-empty "}string`, name);
  }
  return value;
}
