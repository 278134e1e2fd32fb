import { AiEngineError } from "./ai_engine_error.ts";
import { describe, isTimeout } from "./session.ts";
import { restRoute } from "./site.ts";
import type { UploadFile } from "./file_upload.ts";
import type { UpstreamClient, UpstreamResponse } from "../http/upstream_client.ts";

/** A turn of the conversation as AI Engine keeps it. */
export interface ChatMessage {
  /** Who said it. */
  role: "user" | "assistant";
  /** What was said, as plain text. */
  content: string;
}

/** What to ask: the bot, and the conversation whose last message is the user's new one. */
export interface SubmitRequest {
  /** The AI Engine bot id; an unknown one falls back to the site's default bot. */
  botId: string;
  /**
   * A bot defined only in a shortcode: its `customId`. The plugin looks it up first (its
   * `mwai_custom_chatbot_<id>` transient); the body's `botId` is then null, as the plugin's
   * own widget sends it, and an unknown one falls back to the default bot (3.x).
   */
  customId?: string;
  /** The post id of the page hosting the bot (AI Engine Pro's Content Aware reads it). */
  contextId?: number;
  /** Images for a vision bot, with the new message: uploaded first (see `uploadFile`). */
  files?: readonly UploadFile[];
  /** The conversation, oldest first, ending with the user's new message. */
  messages: readonly ChatMessage[];
  /**
   * AI Engine's conversation id (its Discussions row, `previousResponseId`, assistants'
   * files): the same for every turn of one conversation. `openAnswer` derives one from
   * the bot and the first user message when none is given (see `deriveChatId`).
   */
  chatId?: string;
}

/** How to reach the site and how long to wait. */
export interface SubmitOptions {
  /** The site's REST root. */
  restUrl: string;
  /** What carries the request. */
  client: UpstreamClient;
  /** Limit for the answer's headers and for silence between two events, in ms. */
  timeoutMs: number;
  /** Cap on one event (and on a JSON answer), in characters. */
  maxEventChars?: number;
  /**
   * Limits on the whole exchange, from `startedAt` (ms since the epoch): to the first
   * answer text, and to the answer's end.
   */
  deadlines?: { startedAt: number; firstTextMs: number; answerMs: number };
  /** Aborts the request (the client left). */
  signal?: AbortSignal;
  /**
   * The end user as the site should count them: AI Engine's `mwai_session_id`, sent as
   * that cookie on every request and as the submit's `session`, which takes the cookie's
   * place (every supported release reads both). Without one the site makes up a session per request. Must be a
   * {@linkcode isSessionId}.
   */
  sessionId?: string;
}

/** Facts about the upstream exchange, filled in as they happen, for the request log. */
export interface UpstreamTrace {
  /** The status of the last submit answer, or null before one came. */
  status: number | null;
  /** How many events were read. */
  events: number;
  /** Set when the `end` event's reply differed from the streamed text (see `AnswerDecoder`). */
  replyDiffers?: boolean;
  /** Where a redirect from the site pointed (its origin only), for the log: never followed. */
  redirectOrigin?: string;
}

/**
 * The submit body, built from AI Engine's whitelist only. The plugin merges every body key
 * over the bot's settings (`instructions`, `model`, `envId` ...), so nothing a client
 * chose beyond the conversation itself may reach it. The new message goes in `newMessage`
 * and not also in `messages`: the plugin appends it to the history itself. Uploaded files
 * go as `newFileId` (the first; every release since 2.1.5) and, when there are several, all
 * of them as `newFileIds` too (2.9.7+, which read the list first): a site before 2.9.7
 * sees the first image rather than none.
 */
export function submitBody(
  request: SubmitRequest,
  fileIds: readonly string[] = [],
  sessionId?: string,
): string {
  const last = request.messages.at(-1);
  if (!last || last.role !== "user") {
    throw new TypeError("The conversation must end with a user message");
  }
  return JSON.stringify({
    botId: request.customId ? null : request.botId,
    customId: request.customId || null,
    chatId: request.chatId ?? crypto.randomUUID(),
    ...(sessionId ? { session: sessionId } : {}),
    ...(request.contextId === undefined ? {} : { contextId: request.contextId }),
    messages: request.messages.slice(0, -1).map(({ role, content }) => ({ role, content })),
    newMessage: last.content,
    newFileId: fileIds[0] ?? null,
    ...(fileIds.length > 1 ? { newFileIds: fileIds } : {}),
    stream: true,
  });
}

/**
 * What a session id may be: a token that a cookie, a header and the site's tables hold as
 * is. At most 56: the plugin files a guest's uploads under `session_<id>` in a column of 64.
 */
const SESSION_ID_PATTERN = /^[A-Za-z0-9_-]{8,56}$/;

/**
 * Whether `value` can be sent as AI Engine's `mwai_session_id`: 8 to 56 letters, digits,
 * `_` or `-` (the plugin's own are 13 hex digits).
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { isSessionId } from "./submit.ts";
 * assert.ok(isSessionId("6745c0e1a2b3c"));
 * assert.ok(!isSessionId("x; other=1"));
 * ```
 */
export function isSessionId(value: unknown): value is string {
  return typeof value === "string" && SESSION_ID_PATTERN.test(value);
}

/** What a session id that is not one is told. */
export const INVALID_SESSION_ID = "Invalid session id: use 8 to 56 letters, digits, _ or -";

function checkedSessionId(value: string): string {
  if (!isSessionId(value)) {
    throw new TypeError(INVALID_SESSION_ID);
  }
  return value;
}

/** POSTs a submit body; rejects with a classified error when no answer headers come. */
export function postSubmit(
  options: SubmitOptions,
  body: string,
  nonce: string | null,
): Promise<UpstreamResponse> {
  return postToSite(
    options,
    "mwai-ui/v1/chats/submit",
    {
      contentType: "application/json",
      accept: "text/event-stream, application/json",
      body,
    },
    nonce,
    `AI Engine sent no answer within ${options.timeoutMs} ms`,
  );
}

/**
 * POSTs to one of the site's REST routes with the nonce, within `options.timeoutMs` for
 * the answer's headers; a failure before they came is classified once, here: the
 * caller's abort stays an abort, a time-out is `timeout` (said by `timedOut`), anything
 * else `unreachable`, in words of our own.
 */
export async function postToSite(
  options: SubmitOptions,
  route: string,
  request: { contentType: string; accept: string; body: string | Uint8Array<ArrayBuffer> },
  nonce: string | null,
  timedOut: string,
): Promise<UpstreamResponse> {
  const timeout = new AbortController();
  const timer = setTimeout(() => timeout.abort(), options.timeoutMs);
  const signal = options.signal
    ? AbortSignal.any([options.signal, timeout.signal])
    : timeout.signal;
  const headers: Record<string, string> = {
    "content-type": request.contentType,
    accept: request.accept,
  };
  if (nonce) headers["x-wp-nonce"] = nonce;
  if (options.sessionId) headers.cookie = `mwai_session_id=${checkedSessionId(options.sessionId)}`;
  try {
    return await options.client(restRoute(options.restUrl, route), {
      method: "POST",
      headers,
      body: request.body,
      signal,
    });
  } catch (cause) {
    if (options.signal?.aborted) throw options.signal.reason;
    if (timeout.signal.aborted || isTimeout(cause)) throw new AiEngineError("timeout", timedOut);
    throw new AiEngineError("unreachable", `Could not reach AI Engine: ${describe(cause)}`, {
      cause,
    });
  } finally {
    clearTimeout(timer);
  }
}
