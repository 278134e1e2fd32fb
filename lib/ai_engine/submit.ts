import { AiEngineError } from "./ai_engine_error.ts";
import { firstTextTimeout } from "./time_limits.ts";
import { restRoute } from "./site/site_defaults.ts";
import type { SiteClient } from "./site/site_client.ts";
import type { UploadFile } from "./file_upload.ts";
import { visitorHeaders } from "./session/visitor_headers.ts";
import type { UpstreamResponse } from "../http/upstream_client.ts";

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

/** Where the site's REST routes are and how long to wait (the way there is the session's). */
export interface SubmitOptions {
  /** The site's REST root. */
  restUrl: string;
  /**
   * Limit on silence between two events once the site has begun to answer (its headers
   * came), in ms; without `deadlines`, on the answer's headers too.
   */
  timeoutMs: number;
  /** Cap on one event (and on a JSON answer), in characters. */
  maxEventChars?: number;
  /**
   * Limits on the whole exchange, from `startedAt` (ms since the epoch): to the first
   * answer text (the answer's headers included: a model that thinks first sends nothing,
   * headers included, until it writes), and to the answer's end.
   */
  deadlines?: { startedAt: number; firstTextMs: number; answerMs: number };
  /** Aborts the request (the client left). */
  signal?: AbortSignal;
  /**
   * The end user as the site should count them: AI Engine's `mwai_session_id`, sent as
   * that cookie on every request and as the submit's `session`, which takes the cookie's
   * place (every supported release reads both). Without one the site makes up a session
   * per request. Must be a session id (see `isSessionId`).
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
  /** From sending the submit to the site's answer headers, in ms (`Server-Timing: site`). */
  siteHeadersMs?: number;
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
 * POSTs a submit body through the session's {@linkcode SiteClient}; rejects with a
 * classified error when no answer headers come. With `deadlines`, the headers may take
 * until the first text's deadline (a model that thinks first sends nothing until it
 * writes); without, `timeoutMs`.
 */
export async function postSubmit(
  site: SiteClient,
  options: SubmitOptions,
  body: string,
  nonce: string | null,
  trace?: UpstreamTrace,
): Promise<UpstreamResponse> {
  const { deadlines } = options;
  const firstTextMs = deadlines && Math.min(deadlines.firstTextMs, deadlines.answerMs);
  const sent = performance.now();
  const response = await site.call(restRoute(options.restUrl, "mwai-ui/v1/chats/submit"), {
    method: "POST",
    headers: {
      "content-type": "application/json",
      accept: "text/event-stream, application/json",
      ...visitorHeaders(nonce, options.sessionId),
    },
    body,
    ...(options.signal ? { signal: options.signal } : {}),
    headersTimeoutMs: deadlines
      ? deadlines.startedAt + firstTextMs! - Date.now()
      : options.timeoutMs,
    timedOut: () =>
      deadlines
        ? firstTextTimeout(deadlines.firstTextMs, deadlines.answerMs)
        : new AiEngineError("timeout", `AI Engine sent no answer within ${options.timeoutMs} ms`),
    what: "AI Engine",
    failed: "Could not reach AI Engine",
    onRedirect: (status, origin) => {
      if (trace) [trace.status, trace.redirectOrigin] = [status, origin];
    },
  });
  if (trace) trace.siteHeadersMs = performance.now() - sent;
  return response;
}
