import { AiEngineError } from "../../ai_engine/ai_engine_error.ts";
import type { AnswerReader } from "../../ai_engine/answer/answer_reader.ts";
import type { AiEngineUsage, AnswerExtras } from "../../ai_engine/answer/events.ts";
import { MAX_EVENT_CHARS } from "../../streams/sse_data_parser.ts";

/** A whole answer, for the faces that answer once. */
export interface CollectedAnswer {
  /** The answer text: the site's final reply (its `end` event), else the pieces joined. */
  text: string;
  /** Token counts, when the site reports them. */
  usage: AiEngineUsage | null;
  /** `images`, `actions`, `shortcuts`, `blocks`, when the site sent any. */
  extras?: AnswerExtras | null;
}

/**
 * Reads an answer to its end. It rejects with the answer's error, so a failure after
 * some text never passes for a complete answer, and with `too_large` past `maxChars`
 * (the cap on one event: a whole answer held in memory is held to the same bound).
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { collectAnswer } from "./collect.ts";
 * import { wholeAnswer } from "../../ai_engine/answer/answer_reader.ts";
 * const finish = { type: "finish", reply: "Hello", usage: null, newToken: null } as const;
 * const answer = await collectAnswer(wholeAnswer({ text: "Hello", finish }));
 * assert.equal(answer.text, "Hello");
 * ```
 */
export async function collectAnswer(
  answer: AnswerReader,
  maxChars: number = MAX_EVENT_CHARS,
): Promise<CollectedAnswer> {
  let text = "";
  for (let chunk = await answer.read(); chunk !== null; chunk = await answer.read()) {
    text += chunk.text;
    if (text.length > maxChars) {
      await answer.cancel();
      throw new AiEngineError(
        "too_large",
        `Upstream answer too large: over ${maxChars} characters`,
      );
    }
    if (chunk.finish) {
      const { reply, usage, extras } = chunk.finish;
      const answer: CollectedAnswer = { text: reply !== "" ? reply : text, usage };
      if (extras) answer.extras = extras;
      return answer;
    }
  }
  // A reader ends only after its finish, or with an error: this guards other readers.
  throw new TypeError("The answer ended without finishing");
}
