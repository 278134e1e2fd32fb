import type { ChatMessage } from "../../ai_engine/submit.ts";
import type { UploadFile } from "../../ai_engine/file_upload.ts";
import { badRequest, HttpError } from "../http_error.ts";
import { isRecord } from "../../util/is_record.ts";
import { imageOfUrl, MAX_IMAGES } from "./image_part.ts";
import { unsupported } from "./unsupported_fields.ts";
import { MAX_MESSAGES } from "./chat_request.ts";

const TOOLS = "AI Engine answers with text only, it cannot call the client's tools";

/** The turns an `input` holds, and the images of its last user message. */
export interface ResponsesInput {
  /** The turns, oldest first (system and developer messages checked, then left out). */
  messages: ChatMessage[];
  /** The last user message's `input_image`s, to upload for a vision bot. */
  images: UploadFile[];
}

/** An image part where it stood, read only if it belongs to the last user message. */
interface ImageAt {
  url: unknown;
  where: string;
}

/**
 * Reads the Responses API's `input`: a string (one user message), or a list of messages
 * (`{role, content}`, with or without `type: "message"`) whose content is a string or
 * `input_text` / `input_image` parts (`output_text` / `refusal` in assistant turns of the
 * history), and `item_reference`s to earlier answers, which `recall` resolves. Tool calls
 * and their outputs are `400 unsupported_parameter`, as on Chat Completions.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { readResponsesInput } from "./responses_input.ts";
 * const input = readResponsesInput([
 *   { role: "user", content: "Hi" },
 *   { type: "message", role: "assistant", content: [{ type: "output_text", text: "Hello!" }] },
 *   { role: "user", content: [{ type: "input_text", text: "How are you?" }] },
 * ], () => undefined);
 * assert.deepEqual(input.messages.map((m) => m.role), ["user", "assistant", "user"]);
 * ```
 */
export function readResponsesInput(
  input: unknown,
  recall: (messageId: string) => string | undefined,
): ResponsesInput {
  if (typeof input === "string") {
    return { messages: [{ role: "user", content: input }], images: [] };
  }
  if (!Array.isArray(input)) {
    throw badRequest("input must be a string or an array of messages", "input");
  }
  if (input.length === 0) throw badRequest("input must not be empty", "input");
  if (input.length > MAX_MESSAGES) {
    throw badRequest(`input holds ${input.length} items; at most ${MAX_MESSAGES}`, "input");
  }
  const messages: ChatMessage[] = [];
  let images: ImageAt[] = [];
  input.forEach((item, index) => {
    const where = `input[${index}]`;
    if (!isRecord(item)) throw badRequest(`${where} must be an object`, where);
    const read = item.type === "item_reference"
      ? reference(item, where, recall)
      : message(item, where);
    if (read === null) return;
    messages.push(read.message);
    images = read.images;
  });
  if (messages.at(-1)?.role !== "user") {
    throw badRequest("The last message of input must be from the user", "input");
  }
  if (images.length > MAX_IMAGES) {
    const { where } = images[MAX_IMAGES]!;
    throw badRequest(`The last message holds more than ${MAX_IMAGES} images`, where);
  }
  return {
    messages,
    images: images.map(({ url, where }) => imageOfUrl(url, where, `${where}.image_url`)),
  };
}

function reference(
  item: Record<string, unknown>,
  where: string,
  recall: (messageId: string) => string | undefined,
): { message: ChatMessage; images: ImageAt[] } {
  const id = typeof item.id === "string" ? item.id : "";
  const answer = recall(id);
  if (answer === undefined) {
    throw new HttpError(
      400,
      `${where} refers to ${
        id.slice(0, 80) || "no id"
      }, an item this gateway does not hold: send the assistant's text as a message instead (with the AI SDK, providerOptions.openai.store = false)`,
      {
        type: "invalid_request_error",
        code: "item_not_found",
        param: `${where}.id`,
      },
    );
  }
  return { message: { role: "assistant", content: answer }, images: [] };
}

function message(
  item: Record<string, unknown>,
  where: string,
): { message: ChatMessage; images: ImageAt[] } | null {
  const { type, role } = item;
  if (type !== undefined && type !== "message") {
    const shown = typeof type === "string" ? type.slice(0, 40) : String(type);
    throw unsupported(
      where,
      TOOLS,
      `${where} is a ${shown} item: only messages are supported; ${TOOLS}`,
    );
  }
  if (role !== "user" && role !== "assistant" && role !== "system" && role !== "developer") {
    const shown = typeof role === "string" ? `"${role.slice(0, 40)}"` : String(role);
    throw badRequest(
      `${where}.role ${shown} is not supported; use user, assistant, system or developer`,
      `${where}.role`,
    );
  }
  const { text, images } = content(item.content, `${where}.content`, role);
  // The bot's own instructions stand, as a system message's on Chat Completions.
  if (role === "system" || role === "developer") return null;
  return { message: { role, content: text }, images };
}

function content(
  value: unknown,
  where: string,
  role: string,
): { text: string; images: ImageAt[] } {
  if (typeof value === "string") return { text: value, images: [] };
  if (!Array.isArray(value)) {
    throw badRequest(`${where} must be a string or an array of content parts`, where);
  }
  const texts: string[] = [];
  const images: ImageAt[] = [];
  value.forEach((part, index) => {
    const at = `${where}[${index}]`;
    const kind = isRecord(part) ? part.type : undefined;
    if (!isRecord(part)) throw badRequest(`${at} must be an object`, at);
    if ((kind === "input_text" || kind === "output_text") && typeof part.text === "string") {
      texts.push(part.text);
    } else if (kind === "refusal" && typeof part.refusal === "string" && role === "assistant") {
      texts.push(part.refusal);
    } else if (kind === "input_image" && role === "user") {
      if (part.file_id !== undefined && part.file_id !== null) {
        throw unsupported(
          `${at}.file_id`,
          "the gateway keeps no files: send the image as a data: URL in image_url",
        );
      }
      images.push({ url: part.image_url, where: at });
    } else if (kind === "input_file" || kind === "input_audio") {
      throw unsupported(at, "AI Engine's chatbot takes text and images only");
    } else {
      throw badRequest(
        `${at} must be an input_text${
          role === "user" ? " or input_image" : ""
        } part (output_text in assistant turns)`,
        at,
      );
    }
  });
  return { text: texts.join("\n"), images };
}
