import { AiEngineError, classifyUpstreamMessage } from "../ai_engine_error.ts";
import type { AiEngineEnd, AiEngineEvent, AnswerFinish, AnswerPart } from "./events.ts";

/**
 * The answer's rules, one AI Engine event at a time: `accept` turns each event into a
 * `text` part, nothing, or the failure it reports, and the `end` event into one `finish`
 * part; `close` says the events are over.
 *
 * - Only a `live` event without `subtype`, or with `subtype: "content"`, is answer text;
 *   the others are the admin's event logs (AI Engine ≥ 2.8: `status`, `thinking`, ...).
 * - An `error` event, or an `end` with `success: false`, throws a classified
 *   {@linkcode AiEngineError}.
 * - Events after the `end` are ignored.
 * - Events that stop without `end` were cut short: `close` throws type `truncated`, so
 *   they never pass for a complete answer.
 *
 * `AnswerDecoder` runs these rules on each event it decodes.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { AnswerRules } from "./answer_rules.ts";
 * const rules = new AnswerRules();
 * assert.deepEqual(rules.accept({ type: "live", data: "Hi", subtype: null }), { type: "text", text: "Hi" });
 * assert.equal(rules.accept({ type: "live", data: "…", subtype: "status" }), null);
 * const end = { success: true, reply: "Hi", usage: null, newToken: null, message: null };
 * assert.equal(rules.accept({ type: "end", end })?.type, "finish");
 * rules.close(); // the end came: no error
 * ```
 */
export class AnswerRules {
  #ended = false;
  #onEnd: ((end: AiEngineEnd) => void) | undefined;

  /**
   * The rules for one answer.
   *
   * @param onEnd called with the `end` object when it comes.
   */
  constructor(onEnd?: (end: AiEngineEnd) => void) {
    this.#onEnd = onEnd;
  }

  /** The answer part an event makes, or null; throws the failure an event reports. */
  accept(event: AiEngineEvent): AnswerPart | null {
    if (this.#ended) return null;
    switch (event.type) {
      case "live":
        return event.data !== "" && (event.subtype === null || event.subtype === "content")
          ? { type: "text", text: event.data }
          : null;
      case "end":
        this.#ended = true;
        this.#onEnd?.(event.end);
        return finishFromEnd(event.end);
      case "error":
        throw classifyUpstreamMessage(event.message);
    }
  }

  /** The events are over: throws `truncated` unless the `end` event came. */
  close(): void {
    if (!this.#ended) {
      throw new AiEngineError("truncated", "Upstream answer ended without its end event");
    }
  }
}

/**
 * The `finish` part of a successful `end` object; an unsuccessful one becomes the
 * classified error it describes.
 */
export function finishFromEnd(end: AiEngineEnd): AnswerFinish {
  if (!end.success) {
    throw classifyUpstreamMessage(end.message ?? "AI Engine answered success: false");
  }
  const finish: AnswerFinish = {
    type: "finish",
    reply: end.reply,
    usage: end.usage,
    newToken: end.newToken,
  };
  if (end.extras) finish.extras = end.extras;
  return finish;
}
