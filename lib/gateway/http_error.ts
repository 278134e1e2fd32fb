import { AiEngineError, type AiEngineErrorType } from "../ai_engine/ai_engine_error.ts";
import { ConfigError } from "../variables.ts";

/**
 * The one error type of the HTTP edge. Every failure a client sees, on every route,
 * is an `HttpError` rendered as OpenAI's error JSON:
 * `{"error":{"message","type","param","code"}}`.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { HttpError } from "./http_error.ts";
 * const response = new HttpError(404, "Unknown model: gpt-5", {
 *   type: "invalid_request_error",
 *   code: "model_not_found",
 *   param: "model",
 * }).getResponse();
 * assert.equal(response.status, 404);
 * assert.equal((await response.json()).error.code, "model_not_found");
 * ```
 */
export class HttpError extends Error {
  /** Always `"HttpError"`. */
  override readonly name = "HttpError";
  /** The HTTP status code. */
  readonly status: number;
  /** OpenAI's error `type` (`invalid_request_error`, `upstream_error`, ...). */
  readonly type: string;
  /** A stable machine-readable code (`model_not_found`, `upstream_rejected`, ...). */
  readonly code: string;
  /** The request field at fault, if any. */
  readonly param: string | null;
  /** Extra response headers (`Allow`, `Retry-After`, ...). */
  readonly headers: Record<string, string>;
  /** Whether the same request, sent again, could succeed (`x-should-retry`). */
  readonly retry: boolean;

  /** An error to answer with `status`; `message` is shown to the client. */
  constructor(
    status: number,
    message: string,
    options: {
      type: string;
      code: string;
      param?: string | null;
      headers?: Record<string, string>;
      retry?: boolean;
      cause?: unknown;
    },
  ) {
    super(message, { cause: options.cause });
    this.status = status;
    this.type = options.type;
    this.code = options.code;
    this.param = options.param ?? null;
    this.headers = options.headers ?? {};
    this.retry = options.retry ?? shouldRetry(options.code);
  }

  /** The error in OpenAI's JSON shape, as sent in bodies and in SSE `data:` lines. */
  toJSON(): { error: { message: string; type: string; param: string | null; code: string } } {
    return {
      error: { message: this.message, type: this.type, param: this.param, code: this.code },
    };
  }

  /**
   * The error as a complete JSON response (as Hono's `HTTPException.getResponse`), with
   * `x-should-retry`, which the OpenAI SDKs obey over their own rule (retry 408, 409, 429
   * and 5xx).
   */
  getResponse(): Response {
    return new Response(JSON.stringify(this.toJSON()), {
      status: this.status,
      headers: {
        "content-type": "application/json; charset=utf-8",
        "x-should-retry": String(this.retry),
        ...this.headers,
      },
    });
  }
}

// The codes whose request, sent again unchanged, may well succeed: the failure was of
// the moment (a rate limit, a provider's hiccup, a dropped connection). Every other code
// is settled by the request or the setup. A hung site is not among them: each retry
// would cost the client another full UPSTREAM_TIMEOUT_MS.
const RETRYABLE = new Set([
  "request_timeout",
  "rate_limit_exceeded",
  "upstream_failed",
  "upstream_truncated",
  "upstream_unreachable",
]);

/**
 * Whether a failure with this code may pass if the same request is sent again (see
 * docs/clients.md for the table and the reasons).
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { shouldRetry } from "./http_error.ts";
 * assert.equal(shouldRetry("rate_limit_exceeded"), true);
 * assert.equal(shouldRetry("upstream_timeout"), false);
 * ```
 */
export function shouldRetry(code: string): boolean {
  return RETRYABLE.has(code);
}

/** A 400 for a request field that is missing or wrong. */
export function badRequest(message: string, param: string | null = null): HttpError {
  return new HttpError(400, message, {
    type: "invalid_request_error",
    code: "invalid_request",
    param,
  });
}

/** A 401 for a request without a valid key; `detail` says what was wrong with it. */
export function invalidKey(detail: string): HttpError {
  return new HttpError(401, detail, {
    type: "authentication_error",
    code: "invalid_api_key",
    headers: { "www-authenticate": 'Bearer realm="mwai-edge"' },
  });
}

/** The code of a request whose client left before its answer was sent. */
export const CLIENT_CLOSED = "client_closed";

/**
 * A failure's code for the log, never its message (which may quote the conversation):
 * an HTTP error's `code`, an AI Engine error's `type`, else `client_closed`, since the
 * only other reason a response body stops is the runtime cancelling it for a client
 * that left.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { errorCode } from "./http_error.ts";
 * assert.equal(errorCode({ code: "invalid_api_key", type: "authentication_error" }), "invalid_api_key");
 * assert.equal(errorCode(new DOMException("gone", "AbortError")), "client_closed");
 * ```
 */
export function errorCode(reason: unknown): string {
  if (typeof reason === "object" && reason !== null) {
    const { code, type } = reason as { code?: unknown; type?: unknown };
    if (typeof code === "string") return code;
    if (typeof type === "string") return type;
  }
  return CLIENT_CLOSED;
}

const UPSTREAM_STATUS: Record<AiEngineErrorType, [number, string, string]> = {
  rejected: [400, "invalid_request_error", "upstream_rejected"],
  rate_limited: [429, "rate_limit_error", "rate_limit_exceeded"],
  upstream_failed: [502, "upstream_error", "upstream_failed"],
  malformed: [502, "upstream_error", "upstream_malformed"],
  truncated: [502, "upstream_error", "upstream_truncated"],
  too_large: [502, "upstream_error", "upstream_too_large"],
  unreachable: [502, "upstream_error", "upstream_unreachable"],
  nonce_refused: [502, "upstream_error", "upstream_nonce_refused"],
  timeout: [504, "upstream_error", "upstream_timeout"],
  first_text_timeout: [504, "upstream_error", "upstream_first_text_timeout"],
  answer_timeout: [504, "upstream_error", "upstream_answer_timeout"],
};

/**
 * The HTTP face of any failure: an `HttpError` as is, an {@linkcode AiEngineError} by its
 * type (rejected 400, rate limited 429, timeout 504, the rest 502), the client's own
 * abort as 499 `client_closed` (nobody is left to read it), a bad configuration as a 500
 * naming the variable, anything else a 500 that reveals nothing.
 */
export function toHttpError(error: unknown): HttpError {
  if (error instanceof HttpError) return error;
  if (error instanceof ConfigError) {
    return new HttpError(500, error.message, { type: "server_error", code: "config_error" });
  }
  if (error instanceof AiEngineError) {
    const [status, type, code] = UPSTREAM_STATUS[error.type];
    const retry = error.retryable ?? shouldRetry(code);
    // The site's own wait, passed on where a retry can help at all.
    const headers: Record<string, string> = error.retryAfter !== null && retry
      ? { "retry-after": String(error.retryAfter) }
      : {};
    return new HttpError(status, error.message, { type, code, retry, headers, cause: error });
  }
  if (error instanceof DOMException && error.name === "AbortError") {
    // Only the client's signal aborts without a reason of ours: it has left.
    return new HttpError(499, "The client closed the request", {
      type: "invalid_request_error",
      code: CLIENT_CLOSED,
      cause: error,
    });
  }
  return new HttpError(500, "Internal error", {
    type: "server_error",
    code: "internal_error",
    cause: error,
  });
}
