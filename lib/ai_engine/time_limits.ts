import { AiEngineError } from "./ai_engine_error.ts";

/**
 * The error for an answer whose first text did not come in time: `first_text_timeout`,
 * or `answer_timeout` when the answer's own limit is the shorter.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { firstTextTimeout } from "./time_limits.ts";
 * assert.equal(firstTextTimeout(300_000, 600_000).type, "first_text_timeout");
 * assert.equal(firstTextTimeout(300_000, 60_000).type, "answer_timeout");
 * ```
 */
export function firstTextTimeout(firstTextMs: number, answerMs: number): AiEngineError {
  return firstTextMs <= answerMs
    ? new AiEngineError(
      "first_text_timeout",
      `AI Engine sent no answer text within ${firstTextMs} ms`,
    )
    : answerTimeout(answerMs);
}

/**
 * The error for an answer that went on past its limit.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { answerTimeout } from "./time_limits.ts";
 * assert.match(answerTimeout(600_000).message, /past 600000 ms/);
 * ```
 */
export function answerTimeout(answerMs: number): AiEngineError {
  return new AiEngineError("answer_timeout", `AI Engine's answer went on past ${answerMs} ms`);
}
