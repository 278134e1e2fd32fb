import assert from "node:assert/strict";
import { answerTimeout, firstTextTimeout } from "../../lib/ai_engine/time_limits.ts";

Deno.test("firstTextTimeout names the first text's limit, or the answer's when it is shorter", () => {
  const first = firstTextTimeout(300_000, 600_000);
  assert.deepEqual([first.type, first.message], [
    "first_text_timeout",
    "AI Engine sent no answer text within 300000 ms",
  ]);
  const whole = firstTextTimeout(300_000, 60_000);
  assert.deepEqual([whole.type, whole.message], [
    "answer_timeout",
    "AI Engine's answer went on past 60000 ms",
  ]);
});

Deno.test("answerTimeout is an answer_timeout naming its limit", () => {
  const error = answerTimeout(1234);
  assert.equal(error.type, "answer_timeout");
  assert.equal(error.message, "AI Engine's answer went on past 1234 ms");
});
