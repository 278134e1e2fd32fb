import type { AiEngineUsage, AnswerPart } from "../../ai_engine/events.ts";

/** A whole answer, for the faces that answer once. */
export interface CollectedAnswer {
  /** The answer text: the streamed pieces joined, or the `end` reply when none came. */
  text: string;
  /** Token counts, when the site reports them. */
  usage: AiEngineUsage | null;
}

/**
 * Reads a stream of answer parts to its end. It rejects with the stream's error, so a
 * failure after some text never passes for a complete answer.
 *
 * @example
 * ```ts
 * import { collectAnswer } from "./collect.ts";
 * const answer = await collectAnswer(ReadableStream.from([
 *   { type: "text", text: "Hel" },
 *   { type: "text", text: "lo" },
 *   { type: "finish", reply: "Hello", usage: null, newToken: null },
 * ] as const));
 * console.log(answer.text); // Hello
 * ```
 */
export async function collectAnswer(parts: ReadableStream<AnswerPart>): Promise<CollectedAnswer> {
  const pieces: string[] = [];
  for await (const part of parts) {
    if (part.type === "text") pieces.push(part.text);
    else return { text: pieces.length > 0 ? pieces.join("") : part.reply, usage: part.usage };
  }
  // LiveTextStream errors a stream without `finish`; this guards other sources.
  throw new TypeError("The answer ended without finishing");
}
