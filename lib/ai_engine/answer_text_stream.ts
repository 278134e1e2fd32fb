import type { AnswerPart } from "./events.ts";

/**
 * Keeps only the answer text of a stream of answer parts.
 *
 * @example
 * ```ts
 * import { AnswerTextStream } from "./answer_text_stream.ts";
 * const text = ReadableStream.from([
 *   { type: "text", text: "Hi" },
 *   { type: "finish", reply: "Hi", usage: null, newToken: null },
 * ] as const).pipeThrough(new AnswerTextStream());
 * for await (const piece of text) console.log(piece); // Hi
 * ```
 */
export class AnswerTextStream extends TransformStream<AnswerPart, string> {
  /**
   * A stage that keeps the text.
   *
   * @param onFinish called with the `finish` part, when it passes.
   */
  constructor(onFinish?: (finish: Extract<AnswerPart, { type: "finish" }>) => void) {
    super({
      transform(part, controller) {
        if (part.type === "text") controller.enqueue(part.text);
        else onFinish?.(part);
      },
    });
  }
}
