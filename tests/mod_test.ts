import assert from "node:assert/strict";
import * as mod from "../lib/mod.ts";
import type {
  AiEngineErrorType,
  AiEngineSessionOptions,
  AiEngineUsage,
  AnswerChunk,
  AnswerExtras,
  AnswerFinish,
  AnswerPart,
  AnswerReader,
  ChatMessage,
  ChatOptions,
  ChatResult,
  UploadFile,
  UpstreamTrace,
} from "../lib/mod.ts";
import { chat, ChatAnswer } from "../lib/chat.ts";
import { AiEngineError } from "../lib/ai_engine/ai_engine_error.ts";
import { AiEngineSession } from "../lib/ai_engine/session/ai_engine_session.ts";
import { closeKeptConnections } from "../lib/runtime_upstream.ts";

Deno.test("the package's entry point is lib/mod.ts", async () => {
  const manifest = JSON.parse(await Deno.readTextFile(new URL("../deno.json", import.meta.url)));
  assert.equal(manifest.exports, "./lib/mod.ts");
});

Deno.test("the library exports chat, ChatAnswer, AiEngineError, AiEngineSession and closeKeptConnections, and no more", () => {
  assert.deepEqual(Object.keys(mod).sort(), [
    "AiEngineError",
    "AiEngineSession",
    "ChatAnswer",
    "chat",
    "closeKeptConnections",
  ]);
});

Deno.test("each export is the very one of its own file, so instanceof holds across both", () => {
  assert.equal(mod.chat, chat);
  assert.equal(mod.ChatAnswer, ChatAnswer);
  assert.equal(mod.AiEngineError, AiEngineError);
  assert.equal(mod.AiEngineSession, AiEngineSession);
  assert.equal(mod.closeKeptConnections, closeKeptConnections);
});

Deno.test("the types a caller needs to hold an answer are exported beside the functions", () => {
  // Checked by the compiler: each name below must resolve from the entry point.
  const usage: AiEngineUsage = { prompt_tokens: 1, completion_tokens: 2, total_tokens: 3 };
  const finish: AnswerFinish = { type: "finish", reply: "Hi", usage, newToken: null };
  const part: AnswerPart = finish;
  const chunk: AnswerChunk = { text: "Hi", finish };
  const message: ChatMessage = { role: "user", content: "Hello" };
  const options: ChatOptions = { messages: [message] };
  const type: AiEngineErrorType = "rejected";
  const sessionOptions: AiEngineSessionOptions = { restUrl: "https://example.com/wp-json" };
  const trace: UpstreamTrace = { status: null, events: 0 };
  const file: UploadFile = { bytes: new Uint8Array(), type: "image/png" };
  const extras: AnswerExtras = { images: [], actions: [], shortcuts: [], blocks: [] };
  const typesOnly: [AnswerReader?, ChatResult?] = [];
  assert.deepEqual(
    [part.type, chunk.text, options.messages.length, type, sessionOptions.restUrl],
    ["finish", "Hi", 1, "rejected", "https://example.com/wp-json"],
  );
  assert.deepEqual([trace.events, file.type, extras.images, typesOnly], [0, "image/png", [], []]);
});
