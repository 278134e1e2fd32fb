import type { ChatMessage } from "../../ai_engine/submit.ts";
import type { UploadFile } from "../../ai_engine/file_upload.ts";
import { badRequest } from "../http_error.ts";
import { imageOfFilePart, imageOfPart, MAX_IMAGES } from "./image_part.ts";
import { isChatId } from "../../ai_engine/chat_id.ts";
import { isRecord } from "../../util/is_record.ts";
import { refuseToolMessage, refuseUnsupported } from "./unsupported_fields.ts";

/** A chat request, whatever face it came through. */
export interface ChatInput {
  /** The model (bot) asked for, or null for the default one. */
  model: string | null;
  /** The conversation, oldest first, ending with the user's new message. */
  messages: ChatMessage[];
  /** Whether the answer is wanted as it streams (OpenAI's `stream`). */
  stream: boolean;
  /** OpenAI's `stream_options.include_usage`. */
  includeUsage: boolean;
  /** The conversation's id as the client gave it (see `isChatId`), or null to derive one. */
  chatId: string | null;
  /** The new message's images (OpenAI `image_url` parts), uploaded for a vision bot. */
  images: UploadFile[];
  /**
   * The end user a keyed client names (OpenAI's `safety_identifier` or `user`), so the
   * site counts the people behind one key apart; null when none is named.
   */
  endUser: string | null;
}

/** More turns than any bot's context holds; a longer list is refused rather than sent. */
export const MAX_MESSAGES = 1000;

// OpenAI parameters that AI Engine cannot honour: accepted when well typed, not forwarded.
const IGNORED_PARAMETERS: Record<string, (value: unknown) => boolean> = {
  temperature: (v) => typeof v === "number" && v >= 0 && v <= 2,
  top_p: (v) => typeof v === "number" && v >= 0 && v <= 1,
  n: (v) => Number.isSafeInteger(v) && (v as number) >= 1,
  max_tokens: (v) => Number.isSafeInteger(v) && (v as number) > 0,
  max_completion_tokens: (v) => Number.isSafeInteger(v) && (v as number) > 0,
  presence_penalty: (v) => typeof v === "number",
  frequency_penalty: (v) => typeof v === "number",
  seed: (v) => Number.isSafeInteger(v),
  stop: (v) => typeof v === "string" || (Array.isArray(v) && v.every((s) => typeof s === "string")),
};

/**
 * Reads an OpenAI Chat Completions body. System and developer messages are accepted and
 * not forwarded (the bot's own instructions stand); only text content is supported; what
 * AI Engine cannot honour (tools, structured output, logprobs, audio) is refused.
 */
export function parseCompletionRequest(body: unknown): ChatInput {
  const request = object(body);
  refuseUnsupported(request);
  for (const [name, isValid] of Object.entries(IGNORED_PARAMETERS)) {
    if (request[name] !== undefined && request[name] !== null && !isValid(request[name])) {
      throw badRequest(`Invalid value for ${name}`, name);
    }
  }
  const streamOptions = request.stream_options ?? null;
  if (streamOptions !== null && !isRecord(streamOptions)) {
    throw badRequest("stream_options must be an object", "stream_options");
  }
  const includeUsage = streamOptions?.include_usage ?? false;
  if (typeof includeUsage !== "boolean") {
    throw badRequest(
      "stream_options.include_usage must be a boolean",
      "stream_options.include_usage",
    );
  }
  const metadata = request.metadata ?? null;
  if (metadata !== null && !isRecord(metadata)) {
    throw badRequest("metadata must be an object", "metadata");
  }
  return {
    model: optionalString(request, "model"),
    ...conversation(request.messages),
    stream: flag(request, "stream"),
    includeUsage,
    chatId: chatIdOf(metadata?.chatId, "metadata.chatId"),
    endUser: endUserOf(request),
  };
}

/**
 * Reads the body of `/api/chat` and `/api/webhook`: `{"message":"text"}` or
 * `{"messages":[...]}` (OpenAI's shape, or the AI SDK's UI messages with `parts`), and
 * an optional `model`.
 */
export function parseSimpleRequest(body: unknown): ChatInput {
  const request = object(body);
  const model = optionalString(request, "model");
  const chatId = chatIdOf(request.chatId, "chatId");
  const endUser = endUserOf(request);
  if (request.message !== undefined) {
    if (request.messages !== undefined) {
      throw badRequest("Send either message or messages, not both", "message");
    }
    if (typeof request.message !== "string") {
      throw badRequest("message must be a string", "message");
    }
    const asked = conversation([{ role: "user", content: request.message }], "message");
    return { model, ...asked, stream: true, includeUsage: false, chatId, endUser };
  }
  if (request.messages === undefined) {
    throw badRequest("Missing message (a string) or messages (an array)", "messages");
  }
  return {
    model,
    ...conversation(request.messages),
    stream: true,
    includeUsage: false,
    chatId,
    endUser,
  };
}

/** Longer than any user id a client would send (OpenAI caps `safety_identifier` at 64). */
const MAX_END_USER_CHARS = 256;

/**
 * The end user a request names: OpenAI's `safety_identifier`, else its older `user`
 * (both read on every face, honoured only for keyed clients); a non-string or one over
 * 256 characters is a 400.
 */
export function endUserOf(request: Record<string, unknown>): string | null {
  let named: string | null = null;
  for (const param of ["user", "safety_identifier"]) {
    const value = request[param];
    if (value === undefined || value === null || value === "") continue;
    if (typeof value !== "string" || value.length > MAX_END_USER_CHARS) {
      throw badRequest(
        `${param} must be a string of at most ${MAX_END_USER_CHARS} characters`,
        param,
      );
    }
    named = value;
  }
  return named;
}

/**
 * A client's conversation id: absent (null), or a short token of safe characters
 * (`isChatId`), else a 400 that names where it came from.
 */
export function chatIdOf(value: unknown, param: string): string | null {
  if (value === undefined || value === null) return null;
  if (!isChatId(value)) {
    throw badRequest(`${param} must be 1 to 64 letters, digits, _ or -`, param);
  }
  return value;
}

function object(body: unknown): Record<string, unknown> {
  if (!isRecord(body)) throw badRequest("The request body must be a JSON object");
  return body;
}

function optionalString(request: Record<string, unknown>, name: string): string | null {
  const value = request[name];
  if (value === undefined || value === null) return null;
  if (typeof value !== "string" || value === "") {
    throw badRequest(`${name} must be a non-empty string`, name);
  }
  return value;
}

function flag(request: Record<string, unknown>, name: string): boolean {
  const value = request[name] ?? false;
  if (typeof value !== "boolean") throw badRequest(`${name} must be a boolean`, name);
  return value;
}

/** A message as read: its text, and its image parts, not yet read (see `imagesOf`). */
interface ReadMessage extends ChatMessage {
  imageParts: ImagePart[];
}

/** An image part where it stood: OpenAI's `image_url`, or a UI message's `file`. */
interface ImagePart {
  part: Record<string, unknown>;
  where: string;
  kind: "image_url" | "file";
}

// The images of earlier turns went to the site with those turns: only the new one's go,
// and only those are decoded and checked (useChat sends every turn's files again).
function conversation(
  value: unknown,
  param = "messages",
): { messages: ChatMessage[]; images: UploadFile[] } {
  if (!Array.isArray(value)) throw badRequest("messages must be an array", "messages");
  if (value.length === 0) throw badRequest("messages must not be empty", "messages");
  if (value.length > MAX_MESSAGES) {
    throw badRequest(
      `messages holds ${value.length} messages; at most ${MAX_MESSAGES}`,
      "messages",
    );
  }
  const read: ReadMessage[] = [];
  value.forEach((item, index) => {
    const message = chatMessage(item, `messages[${index}]`);
    if (message) read.push(message);
  });
  const last = read.at(-1);
  if (!last || last.role !== "user") {
    throw badRequest("The last message must be from the user", "messages");
  }
  const images = imagesOf(last.imageParts);
  // AI Engine takes a message that is only a file (2.4.8+).
  if (last.content.trim() === "" && images.length === 0) {
    throw badRequest("The user's message is empty", param === "message" ? param : "messages");
  }
  return { messages: read.map(({ role, content }) => ({ role, content })), images };
}

/** The new message's images, read and checked: at most `MAX_IMAGES`. */
function imagesOf(parts: ImagePart[]): UploadFile[] {
  if (parts.length > MAX_IMAGES) {
    const { where } = parts[MAX_IMAGES]!;
    throw badRequest(
      `${where.replace(/\[\d+\]$/, "")} holds more than ${MAX_IMAGES} images`,
      where,
    );
  }
  return parts.map(({ part, where, kind }) =>
    kind === "image_url" ? imageOfPart(part, where) : imageOfFilePart(part, where)
  );
}

function chatMessage(value: unknown, param: string): ReadMessage | null {
  if (!isRecord(value)) throw badRequest(`${param} must be an object`, param);
  refuseToolMessage(value, param);
  const role = value.role;
  if (role === "system" || role === "developer") {
    content(value, param); // checked, then dropped: the bot's instructions stand
    return null;
  }
  if (role !== "user" && role !== "assistant") {
    const shown = typeof role === "string" ? `"${role.slice(0, 40)}"` : String(role);
    throw badRequest(
      `${param}.role ${shown} is not supported; use user, assistant or system`,
      `${param}.role`,
    );
  }
  const { text, imageParts } = content(value, param);
  if (imageParts.length > 0 && role !== "user") {
    // An assistant's UI message may hold files a model made: not the conversation's text.
    if (imageParts[0]!.kind === "file") return { role, content: text, imageParts: [] };
    throw badRequest(`${param} carries images; only user messages may`, `${param}.content`);
  }
  return { role, content: text, imageParts };
}

function content(
  message: Record<string, unknown>,
  param: string,
): { text: string; imageParts: ImagePart[] } {
  const { content, parts } = message;
  if (typeof content === "string") return { text: content, imageParts: [] };
  if (Array.isArray(content)) return contentParts(content, `${param}.content`, "image_url");
  // The AI SDK's UI messages carry `parts` instead: text, and files (`useChat`'s
  // attachments); their other kinds (reasoning, steps, tool calls) are not conversation
  // text and are left out.
  if (content === undefined && Array.isArray(parts)) {
    return contentParts(parts, `${param}.parts`, "file");
  }
  throw badRequest(
    `${param}.content must be a string or an array of text parts`,
    `${param}.content`,
  );
}

/**
 * The text of a message's parts, and its image parts. OpenAI's `content` (`image_url`
 * images) holds only text and images; a UI message's `parts` (`file` images) may hold
 * other kinds, which are left out.
 */
function contentParts(
  parts: unknown[],
  where: string,
  images: ImagePart["kind"],
): { text: string; imageParts: ImagePart[] } {
  const texts: string[] = [];
  const imageParts: ImagePart[] = [];
  const strict = images === "image_url";
  parts.forEach((part, index) => {
    if (isRecord(part) && part.type === "text" && typeof part.text === "string") {
      texts.push(part.text);
    } else if (isRecord(part) && part.type === images) {
      imageParts.push({ part, where: `${where}[${index}]`, kind: images });
    } else if (strict || !isRecord(part) || typeof part.type !== "string") {
      const shape = strict ? "an image_url part" : "another part with a type";
      throw badRequest(
        `${where}[${index}] must be a text part ({"type":"text","text":"..."}) or ${shape}`,
        `${where}[${index}]`,
      );
    }
  });
  return { text: texts.join("\n"), imageParts };
}
