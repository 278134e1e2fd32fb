import { AiEngineError } from "./ai_engine_error.ts";
import type { AnswerPart } from "./events.ts";
import { answerFromJson, NONCE_REFUSED, readJson } from "./json_answer.ts";

export { NONCE_REFUSED };
import type { SubmitOptions, UpstreamTrace } from "./submit.ts";
import { isRecord } from "../util/is_record.ts";
import { AnswerStream } from "./answer_stream.ts";
import { MAX_EVENT_CHARS } from "../streams/sse_data_parser.ts";
import { describe } from "./session.ts";
import { withIdleTimeout } from "../streams/with_idle_timeout.ts";
import { peek } from "../streams/peek.ts";

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
    brokeOff,
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
    return stream.pipeThrough(new TextDecoderStream()).pipeThrough(
      new AnswerStream({
        maxEventChars: options.maxEventChars,
        counter: trace,
        onEnd: (end) => renewNonce(end.newToken),
      }),
    );
  }
  if (first !== BRACE) {
    await stream.cancel();
    throw notAnAnswer(response);
  }
  const json = await readJson(stream, options.maxEventChars ?? MAX_EVENT_CHARS);
  if (isRecord(json) && typeof json.new_token === "string") renewNonce(json.new_token);
  return answerFromJson(json, response.status);
}

/**
 * A body read that failed (a reset, a chunked body cut short): the answer broke off. The
 * client's own abort stays what it is.
 */
function brokeOff(error: unknown): unknown {
  if (error instanceof DOMException && error.name === "AbortError") return error;
  return new AiEngineError("truncated", `AI Engine's answer broke off: ${describe(error)}`, {
    cause: error,
  });
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
