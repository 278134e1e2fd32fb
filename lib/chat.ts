import { openAnswer } from "./ai_engine/open_answer.ts";
import { ChatAnswer } from "./chat_answer.ts";
import type { UploadFile } from "./ai_engine/file_upload.ts";
import type { AiEngineSession } from "./ai_engine/session/ai_engine_session.ts";
import { INVALID_SESSION_ID, isSessionId } from "./ai_engine/session/session_id.ts";
import type { ChatMessage, UpstreamTrace } from "./ai_engine/submit.ts";
import {
  DEFAULT_ANSWER_TIMEOUT_MS,
  DEFAULT_FIRST_TEXT_TIMEOUT_MS,
  DEFAULT_TIMEOUT_MS,
} from "./ai_engine/site/site_defaults.ts";
import { sessionForSite } from "./session_for_site.ts";

/** What to ask, and where. */
export interface ChatOptions {
  /**
   * The WordPress site's base URL; by default `AI_ENGINE_URL` from the environment where
   * it can be read (Deno with `--allow-env`, Node), else `https://opchatgpts.net`. A site
   * behind basic auth takes its credentials in the URL (`https://user:pass@staging.example`):
   * they go as `Authorization: Basic` to that origin only, and are never printed.
   */
  site?: string;
  /** The REST root, where it is not `{site}/wp-json` (e.g. `https://example.com/?rest_route=`). */
  restUrl?: string;
  /**
   * A page that shows the chatbot, read for the nonce on AI Engine 2.0.1–2.4.3 (no
   * `start_session`); the site's home page by default.
   */
  noncePage?: string;
  /** The AI Engine bot id; `default` by default. */
  bot?: string;
  /**
   * The `customId` of a bot defined only in a shortcode, asked instead of `bot` (an
   * unknown one falls back to the site's default bot on AI Engine 3.x).
   */
  customId?: string;
  /** The post id of the page that hosts the bot (`contextId`), sent only when given. */
  contextId?: number;
  /**
   * Images for a vision bot, with the new message: uploaded to the site first
   * (`mwai-ui/v1/files/upload`), then named in the submit (`newFileId`/`newFileIds`).
   */
  images?: readonly UploadFile[];
  /** The conversation, oldest first, ending with the user's new message. */
  messages: readonly ChatMessage[];
  /**
   * AI Engine's conversation id, the same for every turn of one conversation (1 to 64
   * letters, digits, `_`, `-`); by default derived from the bot and the first user message.
   */
  chatId?: string;
  /**
   * Who the end user is, as the site should count them: sent as AI Engine's
   * `mwai_session_id` (cookie and `session` field), 8 to 56 letters, digits, `_` or `-`
   * (anything else throws a `TypeError` at once).
   * The same id for the same person keeps them one visitor in the site's Discussions,
   * statistics and uploads; without one, the site sees a new visitor on every call.
   * Never put a raw address or credential here: the site stores it as it comes.
   */
  sessionId?: string;
  /** Aborts the upstream request. */
  signal?: AbortSignal;
  /**
   * The fetch that carries every call to the site (a proxy, a test double, tracing); by
   * default the runtime's own way. A `session` brings its own way, and this is not used.
   */
  fetch?: typeof fetch;
  /**
   * The nonce holder, and the way to the site (`session.site`); calls to the same site
   * without a `fetch` share one by default, a call with its own `fetch` gets its own.
   */
  session?: AiEngineSession;
  /**
   * Limit on silence between two events once the site has begun to answer (its headers
   * came), and on start_session and uploads, in ms (default 120 s: a hosted tool call in
   * the middle of an answer passes).
   */
  timeoutMs?: number;
  /**
   * Limit from the call to the first answer text, the answer's headers included, in ms
   * (default 300 s: a reasoning model sends nothing, headers included, until it writes).
   */
  firstTextTimeoutMs?: number;
  /** Limit on connecting to the site (TCP and TLS), in ms, where the transport bounds it (10 s). */
  connectTimeoutMs?: number;
  /** Limit from the call to the answer's end, in ms (default 10 min). */
  answerTimeoutMs?: number;
  /** Filled in with the upstream status and event count as they happen. */
  trace?: UpstreamTrace;
}

/**
 * Asks an AI Engine chatbot. The answer is an `AsyncIterable<string>` of text as it
 * streams, and also has `.textStream`, `.done` (the whole answer) and `.started` (the
 * answer parts, once the answer has begun). Failures are {@linkcode AiEngineError}s whose
 * `type` tells them apart (`rejected`, `rate_limited`, `upstream_failed`, `truncated`,
 * `timeout`, ...).
 *
 * @example
 * ```ts ignore
 * import { chat } from "./mod.ts";
 * for await (const text of chat({ messages: [{ role: "user", content: "Hello" }] })) {
 *   console.log(text);
 * }
 * ```
 */
export function chat(options: ChatOptions): ChatAnswer {
  if (options.sessionId !== undefined && !isSessionId(options.sessionId)) {
    throw new TypeError(INVALID_SESSION_ID);
  }
  const { session, restUrl } = sessionForSite(options);
  const bot = options.bot ?? "default";
  const opened = openAnswer(session, {
    botId: bot,
    customId: options.customId,
    contextId: options.contextId,
    files: options.images,
    messages: options.messages,
    chatId: options.chatId,
  }, {
    restUrl,
    timeoutMs: options.timeoutMs ?? DEFAULT_TIMEOUT_MS,
    deadlines: {
      startedAt: Date.now(),
      firstTextMs: options.firstTextTimeoutMs ?? DEFAULT_FIRST_TEXT_TIMEOUT_MS,
      answerMs: options.answerTimeoutMs ?? DEFAULT_ANSWER_TIMEOUT_MS,
    },
    signal: options.signal,
    sessionId: options.sessionId,
  }, options.trace);
  return new ChatAnswer(opened, bot);
}

export { ChatAnswer, type ChatResult } from "./chat_answer.ts";
