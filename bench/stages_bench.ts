/**
 * `deno task bench`: events per second through the gateway's stream stages, for each
 * face, against a baseline that only decodes the bytes. Each bench feeds a whole
 * answer, one chunk per event as the site writes it, through the same pipe a route
 * builds: idle timeout → peek → TextDecoderStream → AnswerStream (SseDataParser,
 * parseEvent, AnswerRules) → first-part peek → the chat tap → the face.
 *
 * Events per second = events per answer × the iter/s column.
 *
 * @module
 */
import type { AnswerPart } from "../lib/ai_engine/events.ts";
import { NONCE_REFUSED, readAnswer } from "../lib/ai_engine/read_answer.ts";
import { collectAnswer } from "../lib/gateway/encoders/collect.ts";
import {
  chatCompletion,
  ChatCompletionChunkStream,
  completionMeta,
} from "../lib/gateway/encoders/openai.ts";
import { PlainTextStream } from "../lib/gateway/encoders/plain_text.ts";
import { catchStreamError } from "../lib/streams/catch_stream_error.ts";
import { peek } from "../lib/streams/peek.ts";
import { answerChunks } from "./answer_bytes.ts";

/** The sizes benched: 4 characters is a real token; 4 KiB is a long paragraph at once. */
const SIZES = [
  { name: "tiny", text: "abcd", events: 1000 },
  { name: "large", text: "x".repeat(4096), events: 100 },
];

// Every fn is an async function: Deno.bench awaits only those, not a returned promise.
for (const size of SIZES) {
  const chunks = answerChunks(size.text, size.events);
  const group = `${size.events} events of ${size.text.length} chars (${size.name})`;
  Deno.bench({
    name: `${size.name}: decode bytes only`,
    group,
    baseline: true,
    fn: async () => await drain(bodyOf(chunks).pipeThrough(new TextDecoderStream())),
  });
  Deno.bench({
    name: `${size.name}: parse → decode (answer parts)`,
    group,
    fn: async () => await drain(await answerParts(chunks)),
  });
  Deno.bench({
    name: `${size.name}: → text face (/api/chat)`,
    group,
    fn: async () => await drain(textFace(await answerParts(chunks))),
  });
  Deno.bench({
    name: `${size.name}: → OpenAI chunks (/v1/chat/completions)`,
    group,
    fn: async () => await drain(openAiFace(await answerParts(chunks))),
  });
  Deno.bench({
    name: `${size.name}: → collector (JSON answers)`,
    group,
    fn: async () => {
      const answer = await collectAnswer(await answerParts(chunks));
      JSON.stringify(chatCompletion(answer, completionMeta("default")));
    },
  });
}

function bodyOf(chunks: Uint8Array[]): ReadableStream<Uint8Array> {
  return ReadableStream.from(chunks);
}

// What a route gets from askAiEngine: readAnswer's pipe, openAnswer's peek, chat's tap.
async function answerParts(chunks: Uint8Array[]): Promise<ReadableStream<AnswerPart>> {
  const options = { restUrl: "http://127.0.0.1/wp-json", fetch, timeoutMs: 30_000 };
  const trace = { status: null, events: 0 };
  const parts = await readAnswer(new Response(bodyOf(chunks)), options, () => {}, trace);
  if (parts === NONCE_REFUSED) throw new Error("Unexpected nonce refusal");
  const { stream } = await peek(parts);
  return stream;
}

// As lib/gateway/routes/api_chat.ts builds it.
function textFace(parts: ReadableStream<AnswerPart>): ReadableStream<Uint8Array> {
  return catchStreamError(parts.pipeThrough(new PlainTextStream()), (error, controller) => {
    controller.error(error);
  });
}

// As lib/gateway/routes/chat_completions.ts builds it.
function openAiFace(parts: ReadableStream<AnswerPart>): ReadableStream<Uint8Array> {
  const chunks = parts.pipeThrough(new ChatCompletionChunkStream(completionMeta("default")));
  return catchStreamError(chunks, (error, controller) => controller.error(error));
}

async function drain(stream: ReadableStream<unknown>): Promise<void> {
  for await (const _ of stream) { /* read it all */ }
}
