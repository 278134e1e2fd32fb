import { AiEngineError, classifyUpstreamMessage } from "./ai_engine_error.ts";
import type { AnswerPart } from "./events.ts";
import { describe, isTimeout, restRoute } from "./session.ts";
import { AiEngineEventStream, isRecord, parseEnd } from "../streams/ai_engine_event_stream.ts";
import { EventDataStream } from "../streams/event_data_stream.ts";
import { finishFromEnd, LiveTextStream } from "../streams/live_text_stream.ts";
import { withIdleTimeout } from "../streams/with_idle_timeout.ts";
import { peek } from "../streams/peek.ts";

/** A turn of the conversation as AI Engine keeps it. */
export interface ChatMessage {
  /** Who said it. */
  role: "user" | "assistant";
  /** What was said, as plain text. */
  content: string;
}

/** What to ask: the bot, and the conversation whose last message is the user's new one. */
export interface SubmitRequest {
  botId: string;
  messages: readonly ChatMessage[];
  /** AI Engine's conversation id (for its discussions log); a random one by default. */
  chatId?: string;
}

/** How to reach the site and how long to wait. */
export interface SubmitOptions {
  restUrl: string;
  fetch: typeof fetch;
  /** Limit for the answer's headers and for silence between two events, in ms. */
  timeoutMs: number;
  /** Cap on one event (and on a JSON answer), in characters. */
  maxEventChars?: number;
  signal?: AbortSignal;
}

/** Facts about the upstream exchange, filled in as they happen, for the request log. */
export interface UpstreamTrace {
  /** The status of the last submit answer, or null before one came. */
  status: number | null;
  /** How many events were read. */
  events: number;
}

/**
 * The submit body, built from AI Engine's whitelist only. The plugin merges every body key
 * over the bot's settings (`instructions`, `model`, `envId` ...), so nothing a client
 * chose beyond the conversation itself may reach it. The new message goes in `newMessage`
 * and not also in `messages`: the plugin appends it to the history itself.
 */
export function submitBody(request: SubmitRequest): string {
  const last = request.messages.at(-1);
  if (!last || last.role !== "user") {
    throw new TypeError("The conversation must end with a user message");
  }
  return JSON.stringify({
    botId: request.botId,
    customId: null,
    chatId: request.chatId ?? crypto.randomUUID(),
    messages: request.messages.slice(0, -1).map(({ role, content }) => ({ role, content })),
    newMessage: last.content,
    newFileId: null,
    stream: true,
  });
}

/** POSTs a submit body; rejects with a classified error when no answer headers come. */
export async function postSubmit(
  options: SubmitOptions,
  body: string,
  nonce: string | null,
): Promise<Response> {
  const timeout = new AbortController();
  const timer = setTimeout(() => timeout.abort(), options.timeoutMs);
  const signal = options.signal
    ? AbortSignal.any([options.signal, timeout.signal])
    : timeout.signal;
  const headers: Record<string, string> = {
    "content-type": "application/json",
    accept: "text/event-stream, application/json",
  };
  if (nonce) headers["x-wp-nonce"] = nonce;
  try {
    return await options.fetch(restRoute(options.restUrl, "mwai-ui/v1/chats/submit"), {
      method: "POST",
      headers,
      body,
      signal,
    });
  } catch (cause) {
    if (options.signal?.aborted) throw options.signal.reason;
    if (timeout.signal.aborted || isTimeout(cause)) {
      throw new AiEngineError("timeout", `AI Engine sent no answer within ${options.timeoutMs} ms`);
    }
    throw new AiEngineError("unreachable", `Could not reach AI Engine: ${describe(cause)}`, {
      cause,
    });
  } finally {
    clearTimeout(timer);
  }
}

/** The site refused the nonce (401 `rest_forbidden`, 403 `rest_cookie_invalid_nonce`). */
export const NONCE_REFUSED = Symbol("nonce refused");

/**
 * Reads a submit answer into answer parts, deciding by the body, not by the status or
 * content type, what it is: AI Engine sends rejections as 403 JSON, but also as 200
 * `application/json` with an event-stream body; `data:` (or `:`) first means events,
 * `{` means JSON, anything else (an HTML error page) is a failure.
 */
export async function readAnswer(
  response: Response,
  options: SubmitOptions,
  renewNonce: (nonce: string | null) => void,
  trace: UpstreamTrace,
): Promise<ReadableStream<AnswerPart> | typeof NONCE_REFUSED> {
  trace.status = response.status;
  const silence = () =>
    new AiEngineError("timeout", `AI Engine fell silent for ${options.timeoutMs} ms`);
  const body = withIdleTimeout(
    response.body ?? new ReadableStream<Uint8Array>({ start: (c) => c.close() }),
    options.timeoutMs,
    silence,
  );
  const { head, stream } = await peek(body, (chunks) => firstSignificantByte(chunks) !== null);
  const first = firstSignificantByte(head);
  if (first === null) {
    await stream.cancel();
    throw new AiEngineError("truncated", `AI Engine answered ${response.status} with no body`, {
      upstreamStatus: response.status,
    });
  }
  if (SSE_FIRST_BYTES.has(first)) {
    return stream
      .pipeThrough(new TextDecoderStream())
      .pipeThrough(new EventDataStream(options))
      .pipeThrough(new AiEngineEventStream(trace))
      .pipeThrough(new LiveTextStream((end) => renewNonce(end.newToken)));
  }
  if (first !== BRACE) {
    await stream.cancel();
    throw notAnAnswer(response);
  }
  const json = await readJson(stream, options.maxEventChars ?? 16 * 1024 * 1024);
  if (isRecord(json) && typeof json.new_token === "string") renewNonce(json.new_token);
  return answerFromJson(json, response.status);
}

const BRACE = 0x7b;
// `data:`, a `:` comment, or one of the other SSE fields (`event:`, `id:`, `retry:`).
const SSE_FIRST_BYTES = new Set([0x64, 0x3a, 0x65, 0x69, 0x72]);
const SKIPPED = new Set([0xef, 0xbb, 0xbf, 0x20, 0x09, 0x0a, 0x0d]); // UTF-8 BOM, whitespace

function firstSignificantByte(chunks: Uint8Array[]): number | null {
  for (const chunk of chunks) {
    for (const byte of chunk) if (!SKIPPED.has(byte)) return byte;
  }
  return null;
}

function notAnAnswer(response: Response): AiEngineError {
  const type = response.headers.get("content-type")?.split(";")[0] ?? "no content type";
  return new AiEngineError(
    response.status === 429 ? "rate_limited" : "upstream_failed",
    `AI Engine answered ${response.status} with ${type}, not events or JSON`,
    { upstreamStatus: response.status },
  );
}

async function readJson(stream: ReadableStream<Uint8Array>, maxChars: number): Promise<unknown> {
  let text = "";
  for await (const chunk of stream.pipeThrough(new TextDecoderStream())) {
    text += chunk;
    if (text.length > maxChars) {
      throw new AiEngineError(
        "too_large",
        `Upstream answer too large: over ${maxChars} characters`,
      );
    }
  }
  try {
    return JSON.parse(text);
  } catch (cause) {
    throw new AiEngineError("malformed", "Invalid upstream answer: not JSON", { cause });
  }
}

function answerFromJson(
  json: unknown,
  status: number,
): ReadableStream<AnswerPart> | typeof NONCE_REFUSED {
  if (isRecord(json) && typeof json.code === "string") {
    // A WordPress REST error: {"code","message","data":{"status"}}.
    if (json.code === "rest_forbidden" || json.code === "rest_cookie_invalid_nonce") {
      if (status === 401 || status === 403) return NONCE_REFUSED;
    }
    const detail = json.code === "rest_no_route"
      ? "the chatbot route was not found: is AI Engine active, and the REST URL right?"
      : String(json.message ?? json.code);
    throw new AiEngineError("upstream_failed", `AI Engine answered ${status}: ${detail}`, {
      upstreamStatus: status,
    });
  }
  if (isRecord(json) && json.success === false) {
    throw classifyUpstreamMessage(
      String(json.message ?? "AI Engine answered success: false"),
      status,
    );
  }
  const end = parseEnd(json);
  const parts: AnswerPart[] = end.reply === "" ? [] : [{ type: "text", text: end.reply }];
  parts.push(finishFromEnd(end));
  return new ReadableStream({
    start(controller) {
      for (const part of parts) controller.enqueue(part);
      controller.close();
    },
  });
}
