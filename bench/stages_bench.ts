/**
 * `deno task bench`: events per second through the gateway's answer pipe, for each face,
 * against a baseline that only decodes the bytes. Each bench reads a whole answer, two
 * reads per event as a site behind Apache sends them, through the pieces a route uses:
 * the decoding core alone ({@linkcode AnswerDecoder}), the reader over the bytes
 * ({@linkcode EventAnswerReader}), then what a route builds: `readAnswer` (idle timeout,
 * first-byte check, reader) → `answerBody` with the face's encoder, or the collector.
 *
 * Events per second = events per answer × the iter/s column.
 *
 * @module
 */
import { AnswerDecoder } from "../lib/ai_engine/answer/answer_decoder.ts";
import { type AnswerReader, EventAnswerReader } from "../lib/ai_engine/answer/answer_reader.ts";
import { NONCE_REFUSED, readAnswer } from "../lib/ai_engine/answer/submit_response.ts";
import type { SubmitOptions } from "../lib/ai_engine/submit.ts";
import { answerBody } from "../lib/gateway/answer_body.ts";
import type { AnswerEncoder } from "../lib/gateway/encoders/answer_encoder.ts";
import { collectAnswer } from "../lib/gateway/encoders/collect.ts";
import {
  chatCompletion,
  chatCompletionChunks,
  completionMeta,
} from "../lib/gateway/encoders/openai.ts";
import { PLAIN_TEXT } from "../lib/gateway/encoders/plain_text.ts";
import { RequestLog } from "../lib/gateway/request_log.ts";
import { bytesOf } from "../lib/streams/byte_source.ts";
import { answerChunks } from "./answer_bytes.ts";

/** The sizes benched: 4 characters is a real token; 4 KiB is a long paragraph at once. */
const SIZES = [
  { name: "tiny", text: "abcd", events: 1000 },
  { name: "large", text: "x".repeat(4096), events: 100 },
];

const OPTIONS: SubmitOptions = {
  restUrl: "http://127.0.0.1/wp-json",
  timeoutMs: 30_000,
};

// Every fn is an async function: Deno.bench awaits only those, not a returned promise.
for (const size of SIZES) {
  const chunks = answerChunks(size.text, size.events);
  const group = `${size.events} events of ${size.text.length} chars (${size.name})`;
  Deno.bench({
    name: `${size.name}: decode bytes only`,
    group,
    baseline: true,
    fn: () => {
      const utf8 = new TextDecoder();
      for (const chunk of chunks) utf8.decode(chunk, { stream: true });
    },
  });
  Deno.bench({
    name: `${size.name}: AnswerDecoder.feed (the core)`,
    group,
    fn: () => {
      const utf8 = new TextDecoder();
      const decoder = new AnswerDecoder();
      for (const chunk of chunks) {
        if (decoder.feed(utf8.decode(chunk, { stream: true })).finish) return;
      }
      decoder.end();
    },
  });
  Deno.bench({
    name: `${size.name}: EventAnswerReader over the bytes`,
    group,
    fn: async () => await drainReader(new EventAnswerReader(bytesOf(chunks))),
  });
  Deno.bench({
    name: `${size.name}: readAnswer (idle timeout, first byte, reader)`,
    group,
    fn: async () => await drainReader(await answerOf(chunks)),
  });
  Deno.bench({
    name: `${size.name}: → text face (/api/chat)`,
    group,
    fn: async () => await drainBody(await answerOf(chunks), PLAIN_TEXT),
  });
  Deno.bench({
    name: `${size.name}: → OpenAI chunks (/v1/chat/completions)`,
    group,
    fn: async () =>
      await drainBody(await answerOf(chunks), chatCompletionChunks(completionMeta("default"))),
  });
  Deno.bench({
    name: `${size.name}: → collector (JSON answers)`,
    group,
    fn: async () => {
      const answer = await collectAnswer(await answerOf(chunks));
      JSON.stringify(chatCompletion(answer, completionMeta("default")));
    },
  });
}

// What a route gets from readAnswer, less the first read openAnswer makes.
async function answerOf(chunks: Uint8Array[]): Promise<AnswerReader> {
  const response = {
    status: 200,
    headers: new Headers({ "content-type": "text/event-stream" }),
    body: bytesOf(chunks),
  };
  const answer = await readAnswer(response, OPTIONS, () => {}, { status: null, events: 0 });
  if (answer === NONCE_REFUSED) throw new Error("Unexpected nonce refusal");
  return answer;
}

async function drainReader(answer: AnswerReader): Promise<void> {
  while (await answer.read() !== null) { /* read it all */ }
}

// As lib/gateway/routes/api_chat.ts and chat_completions.ts build it.
async function drainBody(answer: AnswerReader, encoder: AnswerEncoder): Promise<void> {
  const body = answerBody(answer, encoder, new RequestLog("POST", "/bench", () => {}));
  for await (const _ of body) { /* read it all */ }
}
