import { AiEngineError, classifyUpstreamMessage } from "./ai_engine_error.ts";
import type { AnswerPart } from "./events.ts";
import { isRecord } from "../util/is_record.ts";
import { parseEnd } from "./parse_event.ts";
import { finishFromEnd } from "./answer_rules.ts";

/** The site refused the nonce (401 `rest_forbidden`, 403 `rest_cookie_invalid_nonce`). */
export const NONCE_REFUSED = Symbol("nonce refused");

/** Reads an upstream body whole as text, refusing one over `maxChars` characters. */
export async function readText(
  stream: ReadableStream<Uint8Array>,
  maxChars: number,
): Promise<string> {
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
  return text;
}

/** Reads a JSON answer whole, refusing one over `maxChars` characters. */
export async function readJson(
  stream: ReadableStream<Uint8Array>,
  maxChars: number,
): Promise<unknown> {
  const text = await readText(stream, maxChars);
  try {
    return JSON.parse(text);
  } catch (cause) {
    throw new AiEngineError("malformed", "Invalid upstream answer: not JSON", { cause });
  }
}

/**
 * The answer parts of a JSON answer (`stream: false`, or a rejection): a WordPress REST
 * error, `{"success":false,"message"}`, or AI Engine's answer object; `NONCE_REFUSED`
 * for the two nonce errors, which the caller retries once.
 */
export function answerFromJson(
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
  // The status settles what the words may not (a translated site, a firewall's JSON).
  if (status === 429) {
    const message = isRecord(json) && typeof json.message === "string" ? json.message : "";
    throw new AiEngineError("rate_limited", message || "AI Engine answered 429", {
      upstreamStatus: status,
    });
  }
  if (isRecord(json) && json.success === false) {
    const message = String(json.message ?? "AI Engine answered success: false");
    // AI Engine's only 403 with success: false is its rejection of the message.
    if (status === 403) throw new AiEngineError("rejected", message, { upstreamStatus: status });
    throw classifyUpstreamMessage(message, status);
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
