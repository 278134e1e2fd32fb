import { AiEngineError, classifyUpstreamMessage } from "../ai_engine_error.ts";
import type { AnswerChunk } from "./events.ts";
import { type AnswerReader, wholeAnswer } from "./answer_reader.ts";
import { isRecord } from "../../util/is_record.ts";
import { parseEnd } from "./parse_event.ts";
import { finishFromEnd } from "./answer_rules.ts";

/** The site refused the nonce (401 `rest_forbidden`, 403 `rest_cookie_invalid_nonce`). */
export const NONCE_REFUSED = Symbol("nonce refused");

/**
 * The answer parts of a JSON answer (`stream: false`, or a rejection): a WordPress REST
 * error, `{"success":false,"message"}`, or AI Engine's answer object; `NONCE_REFUSED`
 * for the two nonce errors, which the caller retries once. `retryAfter` is the site's
 * `Retry-After` in seconds, carried on a failure for the client.
 */
export function answerFromJson(
  json: unknown,
  status: number,
  retryAfter: number | null = null,
): AnswerReader | typeof NONCE_REFUSED {
  const upstream = { upstreamStatus: status, retryAfter };
  if (isRecord(json) && typeof json.code === "string") {
    // A WordPress REST error: {"code","message","data":{"status"}}.
    if (json.code === "rest_forbidden" || json.code === "rest_cookie_invalid_nonce") {
      if (status === 401 || status === 403) return NONCE_REFUSED;
    }
    const noRoute = json.code === "rest_no_route";
    const detail = noRoute
      ? "the chatbot route was not found: is AI Engine active, and the REST URL right?"
      : String(json.message ?? json.code);
    const type = status === 429 ? "rate_limited" : "upstream_failed";
    // A missing route stays missing until the site or AI_ENGINE_URL is fixed.
    throw new AiEngineError(type, `AI Engine answered ${status}: ${detail}`, {
      ...upstream,
      ...(noRoute ? { retryable: false as const } : {}),
    });
  }
  // The status settles what the words may not (a translated site, a firewall's JSON).
  if (status === 429) {
    const message = isRecord(json) && typeof json.message === "string" ? json.message : "";
    throw new AiEngineError("rate_limited", message || "AI Engine answered 429", upstream);
  }
  if (isRecord(json) && json.success === false) {
    const message = String(json.message ?? "AI Engine answered success: false");
    // AI Engine's only 403 with success: false is its rejection of the message.
    if (status === 403) throw new AiEngineError("rejected", message, upstream);
    throw classifyUpstreamMessage(message, status, retryAfter);
  }
  const end = parseEnd(json);
  const chunk: AnswerChunk = { text: end.reply, finish: finishFromEnd(end) };
  return wholeAnswer(chunk);
}
