import { AiEngineError } from "./ai_engine_error.ts";
import type { AiEngineEnd, AnswerPart } from "./events.ts";
import { parseEvent } from "./parse_event.ts";
import { AnswerRules } from "./answer_rules.ts";
import { SseDataParser } from "../streams/sse_data_parser.ts";

/**
 * The gateway's decoding stage: AI Engine's event stream, as decoded text, in; answer
 * parts out. It runs three cores in one stage: SSE parsing with its size cap
 * ({@linkcode SseDataParser}), event decoding ({@linkcode parseEvent}) and the answer's
 * rules ({@linkcode AnswerRules}), and joins the text of the events that arrived in the
 * same chunk into one part. An event over the cap errors it with an
 * {@linkcode AiEngineError} of type `too_large`.
 *
 * Why one stage: every stream hop costs a few µs per chunk in the runtime, several times
 * the work of decoding a 4-character event (see README, "Performance"), and a burst
 * brings hundreds of events per chunk. Joining what arrived together holds no text back.
 *
 * @example
 * ```ts
 * import { AnswerStream } from "./answer_stream.ts";
 * const parts = ReadableStream.from([
 *   'data: {"type":"live","data":"Hel"}\n\ndata: {"type":"live","data":"lo"}\n\n',
 *   'data: {"type":"end","data":"{\\"success\\":true,\\"reply\\":\\"Hello\\"}"}\n\n',
 * ]).pipeThrough(new AnswerStream());
 * for await (const part of parts) console.log(part); // { type: "text", text: "Hello" }, then finish
 * ```
 */
export class AnswerStream extends TransformStream<string, AnswerPart> {
  /** A decoding stage for one answer. */
  constructor(
    options: {
      maxEventChars?: number;
      /** Counts every event read, for the request log. */
      counter?: { events: number };
      /** Called with the `end` object when it comes. */
      onEnd?: (end: AiEngineEnd) => void;
    } = {},
  ) {
    const parser = new SseDataParser({ maxEventChars: options.maxEventChars, tooLarge });
    const answer = new AnswerRules(options.onEnd);
    const counter = options.counter ?? { events: 0 };
    // A failure met after some text of the same chunk must not drop that text: it errors
    // the stream once the text is taken (at once when a read was waiting for it), else at
    // the next chunk or the end.
    let failure: { error: unknown } | null = null;
    super({
      transform(chunk, controller) {
        if (failure) throw failure.error;
        let text = "";
        let finish: AnswerPart | null = null;
        try {
          parser.feed(chunk, (data) => {
            counter.events++;
            const event = parseEvent(data);
            const part = event && answer.accept(event);
            if (part?.type === "text") text += part.text;
            else if (part) finish = part;
          });
        } catch (error) {
          if (text === "") throw error;
          failure = { error };
        }
        if (text !== "") controller.enqueue({ type: "text", text });
        if (failure && (controller.desiredSize ?? 0) >= 0) throw failure.error;
        if (finish) {
          controller.enqueue(finish);
          // The answer is whole: stop reading, so nothing the site does after its `end`
          // (a reset, silence, garbage) can turn it into a failure, and free the upstream.
          controller.terminate();
        }
      },
      flush() {
        if (failure) throw failure.error;
        answer.close();
      },
    });
  }
}

function tooLarge(maxChars: number): AiEngineError {
  return new AiEngineError("too_large", `Upstream event too large: over ${maxChars} characters`);
}
