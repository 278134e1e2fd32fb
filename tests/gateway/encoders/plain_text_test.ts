import assert from "node:assert/strict";
import { AiEngineError } from "../../../lib/ai_engine/ai_engine_error.ts";
import { PLAIN_TEXT } from "../../../lib/gateway/encoders/plain_text.ts";
import { toHttpError } from "../../../lib/gateway/http_error.ts";
import { textCuts } from "../../support/chunking.ts";

const FINISH = { type: "finish", reply: "Hi", usage: null, newToken: null } as const;

Deno.test("PLAIN_TEXT: the body is the answer text itself, nothing before and nothing after, however cut", async () => {
  const text = 'Привет, мир! 👋 "quotes", \\ and data: [DONE]\n\n';
  for (const cut of textCuts(text)) {
    const pieces = await Array.fromAsync(cut.stream());
    const body = PLAIN_TEXT.start + pieces.map(PLAIN_TEXT.text).join("") +
      PLAIN_TEXT.finish(FINISH);
    assert.equal(body, text, cut.label);
  }
});

Deno.test("PLAIN_TEXT: a failure cannot be said in text: the body must end abnormally", () => {
  const error = toHttpError(new AiEngineError("truncated", "Cut"));
  assert.equal(PLAIN_TEXT.failure(error), null);
});
