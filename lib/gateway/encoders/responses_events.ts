import type { AnswerEncoder } from "./answer_encoder.ts";
import { outputMessage, type ResponseMeta, responseObject } from "./response_object.ts";

/**
 * The Responses API's server-sent events for one answer, each with its `event:` name and a
 * `sequence_number` counting from 0: `response.created`, `response.in_progress`,
 * `response.output_item.added`, `response.content_part.added`, then one
 * `response.output_text.delta` per piece of text, and at the end
 * `response.output_text.done`, `response.content_part.done`, `response.output_item.done`
 * and `response.completed` with the usage. A failure after the first text is
 * `response.failed`, its `error` saying what went wrong, and nothing after it: no client
 * takes a cut answer for a complete one. `onComplete` gets the whole text of a complete
 * answer (kept for the conversation's next turn).
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { responseEvents } from "./responses_events.ts";
 * const meta = {
 *   id: "resp_1", messageId: "msg_1", createdAt: 0, model: "default",
 *   echo: { instructions: null, max_output_tokens: null, temperature: null, top_p: null, metadata: {},
 *     previous_response_id: null, store: true, user: null, safety_identifier: null },
 * };
 * const sse = responseEvents(meta);
 * const delta = JSON.parse(sse.text("Hi").split("data: ")[1]!);
 * assert.deepEqual([delta.type, delta.delta, delta.sequence_number], ["response.output_text.delta", "Hi", 4]);
 * ```
 */
export function responseEvents(
  meta: ResponseMeta,
  onComplete: (text: string) => void = () => {},
): AnswerEncoder {
  let sequence = 0;
  let text = "";
  const event = (type: string, fields: Record<string, unknown>) =>
    `event: ${type}\ndata: ${JSON.stringify({ type, sequence_number: sequence++, ...fields })}\n\n`;
  const where = { item_id: meta.messageId, output_index: 0, content_index: 0 };
  const part = (text: string) => ({ type: "output_text", annotations: [], logprobs: [], text });
  const deltaHead =
    `event: response.output_text.delta\ndata: {"type":"response.output_text.delta",` +
    `"item_id":${
      JSON.stringify(meta.messageId)
    },"output_index":0,"content_index":0,"logprobs":[],"delta":`;
  // The message comes empty, as OpenAI adds it: its text part is added by the next event.
  const start = event("response.created", {
    response: responseObject(meta, { status: "in_progress", text: null }),
  }) +
    event("response.in_progress", {
      response: responseObject(meta, { status: "in_progress", text: null }),
    }) +
    event("response.output_item.added", {
      output_index: 0,
      item: { ...outputMessage(meta.messageId, "", "in_progress"), content: [] },
    }) +
    event("response.content_part.added", { ...where, part: part("") });
  return {
    start,
    text(piece) {
      text += piece;
      return `${deltaHead}${JSON.stringify(piece)},"sequence_number":${sequence++}}\n\n`;
    },
    finish(finish) {
      onComplete(text);
      const completed = responseObject(meta, {
        status: "completed",
        text,
        usage: finish.usage,
        extras: finish.extras ?? null,
      });
      return event("response.output_text.done", { ...where, text, logprobs: [] }) +
        event("response.content_part.done", { ...where, part: part(text) }) +
        event("response.output_item.done", { output_index: 0, item: completed.output[0] }) +
        event("response.completed", { response: completed });
    },
    failure(error) {
      const failed = responseObject(meta, {
        status: "failed",
        text,
        error: { code: error.code, message: error.message },
      });
      return event("response.failed", { response: failed });
    },
    keepAlive: ": keep-alive\n\n",
  };
}
