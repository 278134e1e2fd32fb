import { AiEngineError, classifyUpstreamMessage } from "./ai_engine_error.ts";
import type { AiEngineEnd, AiEngineEvent, AnswerPart } from "./events.ts";

/**
 * Turns AI Engine events into the answer: a `text` part per piece of answer text, then
 * one `finish` part from the `end` event.
 *
 * - Only a `live` event without `subtype`, or with `subtype: "content"`, is answer text;
 *   the others are the admin's event logs (AI Engine ≥ 2.8: `status`, `thinking`, ...).
 * - An `error` event, or an `end` with `success: false`, errors the stream with a
 *   classified {@linkcode AiEngineError}.
 * - A stream that ends without `end` was cut short: it errors with type `truncated`,
 *   never passing for a complete answer.
 *
 * @example
 * ```ts
 * import { LiveTextStream } from "./answer_rules.ts";
 * const parts = ReadableStream.from([
 *   { type: "live", data: "Hi", subtype: null },
 *   { type: "end", end: { success: true, reply: "Hi", usage: null, newToken: null, message: null } },
 * ] as const).pipeThrough(new LiveTextStream());
 * for await (const part of parts) console.log(part.type); // "text", then "finish"
 * ```
 */
export class LiveTextStream extends TransformStream<AiEngineEvent, AnswerPart> {
  /**
   * A stage for one answer.
   *
   * @param onEnd called with the `end` object before the `finish` part passes on.
   */
  constructor(onEnd?: (end: AiEngineEnd) => void) {
    const answer = new LiveText(onEnd);
    super({
      transform(event, controller) {
        const part = answer.accept(event);
        if (part) controller.enqueue(part);
      },
      flush: () => answer.close(),
    });
  }
}

/**
 * The rules of {@linkcode LiveTextStream}, one event at a time, for stages that read
 * events themselves (`AnswerStream`).
 *
 * @example
 * ```ts
 * import { LiveText } from "./answer_rules.ts";
 * const answer = new LiveText();
 * console.log(answer.accept({ type: "live", data: "Hi", subtype: null })); // { type: "text", text: "Hi" }
 * console.log(answer.accept({ type: "live", data: "…", subtype: "status" })); // null
 * ```
 */
export class LiveText {
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
export function finishFromEnd(end: AiEngineEnd): AnswerPart {
  if (!end.success) {
    throw classifyUpstreamMessage(end.message ?? "AI Engine answered success: false");
  }
  return { type: "finish", reply: end.reply, usage: end.usage, newToken: end.newToken };
}
