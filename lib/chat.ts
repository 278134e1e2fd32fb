import { openAnswer } from "./ai_engine/answer.ts";
import type { AiEngineUsage, AnswerPart } from "./ai_engine/events.ts";
import { AiEngineSession } from "./ai_engine/session.ts";
import type { ChatMessage, UpstreamTrace } from "./ai_engine/submit.ts";
import { DEFAULT_SITE_URL, DEFAULT_TIMEOUT_MS, restUrlOf } from "./ai_engine/site.ts";
import { readVariables } from "./variables.ts";
import { AnswerTextStream } from "./ai_engine/answer_text_stream.ts";

/** What to ask, and where. */
export interface ChatOptions {
  /**
   * The WordPress site's base URL; by default `AI_ENGINE_URL` from the environment where
   * it can be read (Deno with `--allow-env`, Node), else `https://opchatgpts.net`.
   */
  site?: string;
  /** The REST root, where it is not `{site}/wp-json` (e.g. `https://example.com/?rest_route=`). */
  restUrl?: string;
  /** The AI Engine bot id; `default` by default. */
  bot?: string;
  /** The conversation, oldest first, ending with the user's new message. */
  messages: readonly ChatMessage[];
  /** Aborts the upstream request. */
  signal?: AbortSignal;
  /** The fetch to use (a proxy, a test double, tracing); the global one by default. */
  fetch?: typeof fetch;
  /**
   * The nonce holder; calls to the same REST root with the global fetch share one by
   * default, a call with its own `fetch` gets its own.
   */
  session?: AiEngineSession;
  /** Limit for the answer's headers and for silence between events, in ms (default 30 s). */
  timeoutMs?: number;
  /** Filled in with the upstream status and event count as they happen. */
  trace?: UpstreamTrace;
}

/** The complete answer. */
export interface ChatResult {
  /** The answer text as AI Engine reports it in its `end` event (trimmed by the plugin). */
  reply: string;
  /** Token counts as AI Engine reports them, when it does. */
  usage: AiEngineUsage | null;
  /** The bot that answered. */
  model: string;
}

const sessions = new Map<string, AiEngineSession>();
const SITE_VARIABLES = ["AI_ENGINE_URL", "AI_ENGINE_REST_URL"];

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
  const env = options.site || options.restUrl ? {} : readVariables(SITE_VARIABLES);
  const restUrl = options.restUrl ?? env.AI_ENGINE_REST_URL ??
    restUrlOf(options.site ?? env.AI_ENGINE_URL ?? DEFAULT_SITE_URL);
  const fetcher = options.fetch ?? ((input, init) => fetch(input, init));
  // Calls that bring their own fetch keep to it: they get a session of their own.
  let session = options.session ?? (options.fetch ? undefined : sessions.get(restUrl));
  if (!session) {
    session = new AiEngineSession({ restUrl, fetch: fetcher, timeoutMs: options.timeoutMs });
    if (!options.fetch) sessions.set(restUrl, session);
  }
  const bot = options.bot ?? "default";
  const started = openAnswer(session, { botId: bot, messages: options.messages }, {
    restUrl,
    fetch: fetcher,
    timeoutMs: options.timeoutMs ?? DEFAULT_TIMEOUT_MS,
    signal: options.signal,
  }, options.trace);
  return new ChatAnswer(started, bot);
}

/** One answer of {@linkcode chat}: read it once, as text, as parts, or whole. */
export class ChatAnswer implements AsyncIterable<string> {
  /**
   * The answer parts, once the answer has begun; rejects if it fails before any text.
   * The gateway's routes read this.
   */
  readonly started: Promise<ReadableStream<AnswerPart>>;
  readonly #done: Promise<ChatResult>;
  #settle: {
    resolve: (result: ChatResult) => void;
    reject: (error: unknown) => void;
    model: string;
  };
  #text: ReadableStream<string> | null = null;

  /**
   * Wraps an answer under way; {@linkcode chat} makes these.
   *
   * @param parts the answer parts once the answer has begun (see `openAnswer`)
   * @param model the bot that answers
   */
  constructor(parts: Promise<ReadableStream<AnswerPart>>, model: string) {
    let resolve!: (result: ChatResult) => void;
    let reject!: (error: unknown) => void;
    this.#done = new Promise((yes, no) => [resolve, reject] = [yes, no]);
    this.#done.catch(() => {}); // nobody has to ask for `done`
    this.#settle = { resolve, reject, model };
    this.started = parts;
    this.started.catch(reject);
  }

  /** The answer text as it streams; reading it settles `done`. */
  get textStream(): ReadableStream<string> {
    if (!this.#text) {
      const { resolve, reject, model } = this.#settle;
      // `reply` is AI Engine's own, so no text is kept: a long answer streams in flat memory.
      const text = new AnswerTextStream((finish) =>
        resolve({ reply: finish.reply, usage: finish.usage, model })
      );
      const { readable, writable } = new TransformStream<string, string>();
      this.started.then(
        (parts) => parts.pipeThrough(text).pipeTo(writable),
        (error) => writable.abort(error),
      ).catch(reject);
      this.#text = readable;
    }
    return this.#text;
  }

  /**
   * The whole answer, once complete; reads the text itself if nobody else does. (Read
   * through `started` instead, the parts carry the `finish` and `done` does not settle.)
   */
  get done(): Promise<ChatResult> {
    if (!this.#text) this.textStream.pipeTo(new WritableStream()).catch(() => {});
    return this.#done;
  }

  /**
   * The answer text as it streams: `for await (const text of answer)`. Read through a
   * reader, so it works where a `ReadableStream` is not itself async iterable (Safari).
   */
  async *[Symbol.asyncIterator](): AsyncIterator<string> {
    const reader = this.textStream.getReader();
    let ended = false;
    try {
      for (;;) {
        const { done, value } = await reader.read();
        if (done) return void (ended = true);
        yield value;
      }
    } catch (error) {
      ended = true;
      throw error;
    } finally {
      // A loop left early (break, return) stops the answer, and the upstream request.
      if (!ended) await reader.cancel();
      reader.releaseLock();
    }
  }
}
