/**
 * mwai-edge as a library: ask a WordPress site's AI Engine chatbot from any runtime with
 * web streams (Deno, Node 20+, Workers, browsers with CORS) and read the answer as it
 * streams.
 *
 * @example
 * ```ts ignore
 * import { chat } from "@mwai-edge/mwai-edge";
 * const answer = chat({
 *   site: "https://example.com",
 *   messages: [{ role: "user", content: "Hello" }],
 * });
 * for await (const text of answer) console.log(text);
 * console.log((await answer.done).usage);
 * ```
 *
 * @module
 */
export { chat, ChatAnswer, type ChatOptions, type ChatResult } from "./chat.ts";
export { AiEngineError, type AiEngineErrorType } from "./ai_engine/ai_engine_error.ts";
export { closeKeptConnections } from "./runtime_upstream.ts";
export {
  AiEngineSession,
  type AiEngineSessionOptions,
} from "./ai_engine/session/ai_engine_session.ts";
export type {
  AiEngineUsage,
  AnswerChunk,
  AnswerFinish,
  AnswerPart,
} from "./ai_engine/answer/events.ts";
export type { AnswerReader } from "./ai_engine/answer/answer_reader.ts";
export type { AnswerExtras } from "./ai_engine/answer/answer_extras.ts";
export type { ChatMessage, UpstreamTrace } from "./ai_engine/submit.ts";
export type { UploadFile } from "./ai_engine/file_upload.ts";
