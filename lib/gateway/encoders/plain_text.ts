import type { AnswerPart } from "../../ai_engine/events.ts";

const encoder = new TextEncoder();

/**
 * Encodes answer parts as the plain-text body of `/api/chat` (the AI SDK's text stream
 * protocol): the UTF-8 bytes of each piece of text, as it comes; nothing else.
 *
 * @example
 * ```ts
 * import { PlainTextStream } from "./plain_text.ts";
 * const body = ReadableStream.from([
 *   { type: "text", text: "Hi" },
 *   { type: "finish", reply: "Hi", usage: null, newToken: null },
 * ] as const).pipeThrough(new PlainTextStream());
 * console.log(await new Response(body).text()); // Hi
 * ```
 */
export class PlainTextStream extends TransformStream<AnswerPart, Uint8Array> {
  constructor() {
    super({
      transform(part, controller) {
        if (part.type === "text") controller.enqueue(encoder.encode(part.text));
      },
    });
  }
}
