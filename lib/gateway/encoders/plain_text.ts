import type { AnswerEncoder } from "./answer_encoder.ts";

/**
 * The plain-text body of `/api/chat` (the AI SDK's text stream protocol): each piece of
 * text as it comes, nothing else. A failure after the first text cannot be said in text:
 * the body ends abnormally, so the client's read rejects instead of showing a cut answer
 * as whole.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { PLAIN_TEXT } from "./plain_text.ts";
 * assert.equal(PLAIN_TEXT.start + PLAIN_TEXT.text("Hi"), "Hi");
 * assert.equal(PLAIN_TEXT.finish({ type: "finish", reply: "Hi", usage: null, newToken: null }), "");
 * ```
 */
export const PLAIN_TEXT: AnswerEncoder = {
  start: "",
  text: (text) => text,
  finish: () => "",
  failure: () => null,
  keepAlive: null,
};
