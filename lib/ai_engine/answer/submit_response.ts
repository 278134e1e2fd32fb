import { AiEngineError, retryAfterSeconds } from "../ai_engine_error.ts";
import { type AnswerReader, EventAnswerReader } from "./answer_reader.ts";
import { answerFromJson, NONCE_REFUSED } from "./json_answer.ts";
import { readJson } from "../site/whole_body.ts";
import type { SubmitOptions, UpstreamTrace } from "../submit.ts";
import { answerTimeout, firstTextTimeout } from "../time_limits.ts";
import { describeTransportFailure } from "../site/transport_failure.ts";
import { isRecord } from "../../util/is_record.ts";
import type { UpstreamResponse } from "../../http/upstream_client.ts";
import { MAX_EVENT_CHARS } from "../../streams/sse_data_parser.ts";
import { withIdleTimeout } from "../../streams/with_idle_timeout.ts";

export { NONCE_REFUSED };

/**
 * Reads a submit answer, deciding by the body, not by the status or content type, what
 * it is: AI Engine sends rejections as 403 JSON, but also as 200 `application/json` with
 * an event-stream body; `data:` (or `:`) first means events, `{` means JSON, anything
 * else (an HTML error page) is a failure. (A redirect never gets here: the site client
 * refuses it.) Once the headers came, any silence is bounded by `timeoutMs`: a site that
 * has begun to answer and then dies fails then, not at the first text's deadline.
 */
export async function readAnswer(
  response: UpstreamResponse,
  options: SubmitOptions,
  renewNonce: (nonce: string | null) => void,
  trace: UpstreamTrace,
): Promise<AnswerReader | typeof NONCE_REFUSED> {
  const { status } = response;
  trace.status = status;
  const maxChars = options.maxEventChars ?? MAX_EVENT_CHARS;
  const silence = () =>
    new AiEngineError("timeout", `AI Engine fell silent for ${options.timeoutMs} ms`);
  const { deadlines } = options;
  const body = withIdleTimeout(response.body, options.timeoutMs, silence, brokeOff);
  if (deadlines) {
    const { startedAt, firstTextMs, answerMs } = deadlines;
    body.setDeadline(
      startedAt + Math.min(firstTextMs, answerMs),
      () => firstTextTimeout(firstTextMs, answerMs),
    );
  }
  const head = await firstSignificantBytes(body, maxChars);
  if (head === null) {
    throw new AiEngineError("truncated", `AI Engine answered ${status} with no body`, {
      upstreamStatus: status,
    });
  }
  const first = head[0]!;
  if (SSE_FIRST_BYTES.has(first)) {
    return new EventAnswerReader(body, head, {
      maxEventChars: options.maxEventChars,
      counter: trace,
      onReplyDiffers: () => trace.replyDiffers = true,
      onEnd: (end) => renewNonce(end.newToken),
      onFirstText: deadlines &&
        (() =>
          body.setDeadline(
            deadlines.startedAt + deadlines.answerMs,
            () => answerTimeout(deadlines.answerMs),
          )),
    });
  }
  if (first !== BRACE) {
    await body.cancel();
    throw notAnAnswer(response);
  }
  const json = await readJson(body, maxChars, head);
  if (isRecord(json) && typeof json.new_token === "string") renewNonce(json.new_token);
  return answerFromJson(json, status, retryAfterSeconds(response.headers.get("retry-after")));
}

/**
 * The body's bytes from its first significant one (past a BOM and whitespace), or null
 * when it ends first. One pass: whitespace is counted and dropped, never kept, and more
 * of it than one event may hold is refused.
 */
async function firstSignificantBytes(
  body: ReturnType<typeof withIdleTimeout>,
  maxChars: number,
): Promise<Uint8Array | null> {
  let skipped = 0;
  for (let bytes = await body.read(); bytes !== null; bytes = await body.read()) {
    for (let i = 0; i < bytes.length; i++) {
      if (!SKIPPED[bytes[i]!]) return bytes.subarray(i);
    }
    skipped += bytes.length;
    if (skipped > maxChars) {
      await body.cancel();
      throw new AiEngineError(
        "too_large",
        `Upstream answer too large: over ${maxChars} bytes before its first event`,
      );
    }
  }
  return null;
}

/**
 * A body read that failed (a reset, a chunked body cut short): the answer broke off. The
 * client's own abort stays what it is.
 */
function brokeOff(error: unknown): unknown {
  if (error instanceof DOMException && error.name === "AbortError") return error;
  if (error instanceof AiEngineError) return error;
  return new AiEngineError(
    "truncated",
    `AI Engine's answer broke off: ${describeTransportFailure(error)}`,
    {
      cause: error,
    },
  );
}

const BRACE = 0x7b;
// `data:`, a `:` comment, or one of the other SSE fields (`event:`, `id:`, `retry:`).
const SSE_FIRST_BYTES = new Set([0x64, 0x3a, 0x65, 0x69, 0x72]);
/** Bytes skipped before the first significant one: the UTF-8 BOM's, and whitespace. */
const SKIPPED: boolean[] = [];
for (const byte of [0xef, 0xbb, 0xbf, 0x20, 0x09, 0x0a, 0x0d]) SKIPPED[byte] = true;

function notAnAnswer(response: UpstreamResponse): AiEngineError {
  const type = response.headers.get("content-type")?.split(";")[0] ?? "no content type";
  return new AiEngineError(
    response.status === 429 ? "rate_limited" : "upstream_failed",
    `AI Engine answered ${response.status} with ${type}, not events or JSON`,
    {
      upstreamStatus: response.status,
      retryAfter: retryAfterSeconds(response.headers.get("retry-after")),
    },
  );
}
