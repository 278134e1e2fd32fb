import type { AnswerEncoder } from "./answer_encoder.ts";

/** The UI message stream's response headers (the AI SDK's `UI_MESSAGE_STREAM_HEADERS`). */
export const UI_MESSAGE_STREAM_HEADERS = {
  "content-type": "text/event-stream; charset=utf-8",
  "x-vercel-ai-ui-message-stream": "v1",
};

// The answer is one text part; its id only has to be the same in its three parts.
const TEXT_ID = `"id":"text-1"`;

/**
 * The AI SDK's UI message stream protocol (what `useChat`'s default
 * `DefaultChatTransport` reads): SSE of `start`, `text-start`, one `text-delta` per
 * piece, `text-end`, `finish`, then `data: [DONE]`. A failure after the first text is
 * an `error` part with `errorText`, which `useChat` shows as its `error.message`, and no
 * `finish` nor `[DONE]`. Keep-alives are SSE comments: the SDK fails the whole stream on
 * a part `type` it does not know.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { uiMessageStream } from "./ui_message_stream.ts";
 * const sse = uiMessageStream("msg-1");
 * assert.equal(sse.text("Hi"), 'data: {"type":"text-delta","id":"text-1","delta":"Hi"}\n\n');
 * assert.ok(sse.finish({ type: "finish", reply: "Hi", usage: null, newToken: null }).endsWith("data: [DONE]\n\n"));
 * ```
 */
export function uiMessageStream(messageId: string): AnswerEncoder {
  return {
    start: `data: {"type":"start","messageId":${JSON.stringify(messageId)}}\n\n` +
      `data: {"type":"text-start",${TEXT_ID}}\n\n`,
    text: (text) => `data: {"type":"text-delta",${TEXT_ID},"delta":${JSON.stringify(text)}}\n\n`,
    finish: () =>
      `data: {"type":"text-end",${TEXT_ID}}\n\n` +
      `data: {"type":"finish","finishReason":"stop"}\n\ndata: [DONE]\n\n`,
    failure: (error) => `data: ${JSON.stringify({ type: "error", errorText: error.message })}\n\n`,
    keepAlive: ": keep-alive\n\n",
  };
}
