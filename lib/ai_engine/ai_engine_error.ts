/**
 * What went wrong with an AI Engine answer, classified once where it is read.
 *
 * - `rejected`: AI Engine refused the message ("Sorry, your query has been rejected.":
 *   empty, too long for the bot, banned); the caller's to fix.
 * - `rate_limited`: the model provider's rate limit.
 * - `upstream_failed`: the model provider or the site failed (an `error` event, a 5xx, an
 *   `end` with `success: false`, an HTML page instead of JSON).
 * - `malformed`: the answer broke the wire format (bad JSON, an event without `type`).
 * - `truncated`: the event stream ended without its `end` event.
 * - `too_large`: a single event or JSON answer exceeded the size limit.
 * - `timeout`: no headers, or silence between two events, past the time limit.
 * - `first_text_timeout`: no answer text within its limit, however busy the site was.
 * - `answer_timeout`: the answer went on past its limit.
 * - `unreachable`: the site could not be reached (refused, DNS, TLS).
 * - `nonce_refused`: the site kept refusing the REST nonce after one refresh.
 */
export type AiEngineErrorType =
  | "rejected"
  | "rate_limited"
  | "upstream_failed"
  | "malformed"
  | "truncated"
  | "too_large"
  | "timeout"
  | "first_text_timeout"
  | "answer_timeout"
  | "unreachable"
  | "nonce_refused";

/**
 * The one error the AI Engine client and its stream stages raise. Tell kinds apart with
 * `type`.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { AiEngineError } from "./ai_engine_error.ts";
 * const error = new AiEngineError("rejected", "Sorry, your query has been rejected.");
 * assert.equal(error.type, "rejected");
 * ```
 */
export class AiEngineError extends Error {
  /** Always `"AiEngineError"`. */
  override readonly name = "AiEngineError";
  /** The kind of failure. */
  readonly type: AiEngineErrorType;
  /** The upstream HTTP status, when an answer came. */
  readonly upstreamStatus: number | null;
  /** Seconds the site asked to wait before trying again (its `Retry-After`), if it said. */
  readonly retryAfter: number | null;
  /**
   * False when the same request cannot pass until the setup changes (the site redirects,
   * the chatbot's route is missing), whatever the type's usual answer; else null.
   */
  readonly retryable: false | null;

  /**
   * A failure of this kind.
   *
   * @param type the kind of failure
   * @param message what went wrong, in words (the upstream's own where it gave some)
   */
  constructor(
    type: AiEngineErrorType,
    message: string,
    options: {
      upstreamStatus?: number | null;
      retryAfter?: number | null;
      retryable?: false;
      cause?: unknown;
    } = {},
  ) {
    super(message, { cause: options.cause });
    this.type = type;
    this.upstreamStatus = options.upstreamStatus ?? null;
    this.retryAfter = options.retryAfter ?? null;
    this.retryable = options.retryable ?? null;
  }
}

/** The longest wait passed on from a site's `Retry-After`: a day. */
const MAX_RETRY_AFTER_S = 86_400;

/**
 * A site's `Retry-After` as whole seconds from `now`: delay-seconds or an HTTP-date
 * (RFC 9110 §10.2.3); null when absent, unreadable or absurd. The header is untrusted:
 * only a number this returns ever reaches a client.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { retryAfterSeconds } from "./ai_engine_error.ts";
 * assert.equal(retryAfterSeconds("30"), 30);
 * assert.equal(retryAfterSeconds("soon"), null);
 * ```
 */
export function retryAfterSeconds(header: string | null, now: number = Date.now()): number | null {
  if (header === null) return null;
  const value = header.trim();
  const seconds = /^\d{1,9}$/.test(value)
    ? Number(value)
    : /^[A-Za-z]{3}, \d{2} [A-Za-z]{3} \d{4} \d{2}:\d{2}:\d{2} GMT$/.test(value)
    ? Math.max(0, Math.ceil((Date.parse(value) - now) / 1000))
    : NaN;
  return Number.isFinite(seconds) && seconds <= MAX_RETRY_AFTER_S ? seconds : null;
}

const REJECTION = /your query has been rejected/i;
const RATE_LIMIT = /\brate.?limit|\(rate_limit_exceeded\)|too many requests/i;

/**
 * Classifies a failure message written by AI Engine (an `error` event's `data`, or the
 * `message` of `{"success":false}`), e.g.
 * `"FakeLLM: Error: Rate limit reached for fake-model. (rate_limit_exceeded) (requests)"`.
 */
export function classifyUpstreamMessage(
  message: string,
  upstreamStatus: number | null = null,
  retryAfter: number | null = null,
): AiEngineError {
  const type = REJECTION.test(message)
    ? "rejected"
    : RATE_LIMIT.test(message)
    ? "rate_limited"
    : "upstream_failed";
  return new AiEngineError(type, message, { upstreamStatus, retryAfter });
}
