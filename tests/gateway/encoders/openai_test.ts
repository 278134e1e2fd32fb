import assert from "node:assert/strict";
import { EventSourceParserStream } from "eventsource-parser/stream";
import OpenAI from "openai";
import type { AnswerPart } from "../../../lib/ai_engine/events.ts";
import { collectAnswer } from "../../../lib/gateway/encoders/collect.ts";
import {
  chatCompletion,
  ChatCompletionChunkStream,
  completionMeta,
  modelList,
} from "../../../lib/gateway/encoders/openai.ts";
import { outcomeOf, textCuts } from "../../support/chunking.ts";

const USAGE = { prompt_tokens: 7, completion_tokens: 8, total_tokens: 15, price: 0.001 };

function finish(reply: string, usage = USAGE): AnswerPart {
  return { type: "finish", reply, usage, newToken: null };
}

/** The answer `text` as parts, cut into pieces by `pieces`, then a finish. */
function answer(pieces: string[], reply = pieces.join("")): ReadableStream<AnswerPart> {
  return ReadableStream.from<AnswerPart>([
    ...pieces.map((text) => ({ type: "text", text }) as const),
    finish(reply),
  ]);
}

/** The SSE text the encoder writes for `parts`. */
async function encode(
  parts: ReadableStream<AnswerPart>,
  meta = completionMeta("default"),
): Promise<string> {
  const bytes = parts.pipeThrough(new ChatCompletionChunkStream(meta));
  return (await Array.fromAsync(bytes.pipeThrough(new TextDecoderStream()))).join("");
}

/** The `data` of each event of an SSE text, read by an independent parser. */
function dataOf(sse: string): Promise<string[]> {
  return Array.fromAsync(
    ReadableStream.from([sse]).pipeThrough(new EventSourceParserStream()),
    (event) => event.data,
  );
}

// deno-lint-ignore no-explicit-any -- chunks are checked field by field as OpenAI's JSON
type Json = any;

async function chunksOf(sse: string): Promise<Json[]> {
  const data = await dataOf(sse);
  assert.equal(data.at(-1), "[DONE]");
  return data.slice(0, -1).map((item) => JSON.parse(item));
}

const TRICKY = [
  'She said "hi"',
  "back\\slash",
  "line\nbreak\r\nand\ttab",
  "Привет, мир! 👋",
  "\u2028\u2029",
  "\u0000\u001f",
  "</script>",
  "data: [DONE]\n\n",
];

Deno.test("every chunk is one SSE event of JSON, and the stream ends with data: [DONE]", async () => {
  const sse = await encode(answer(["Hel", "lo"]));
  assert.ok(sse.endsWith("\n\ndata: [DONE]\n\n"));
  for (const event of sse.split("\n\n").slice(0, -1)) assert.match(event, /^data: [^\n]+$/);
  const chunks = await chunksOf(sse);
  assert.equal(chunks.length, 4);
});

Deno.test("every chunk repeats the completion's id, object, created and model", async () => {
  const meta = completionMeta("support");
  for (const chunk of await chunksOf(await encode(answer(["a", "b"]), meta))) {
    assert.equal(chunk.id, meta.id);
    assert.equal(chunk.object, "chat.completion.chunk");
    assert.equal(chunk.created, meta.created);
    assert.equal(chunk.model, "support");
    assert.equal(chunk.system_fingerprint, null);
    assert.equal(chunk.choices[0].index, 0);
  }
});

Deno.test("the first delta has role assistant, text deltas carry content, the last has finish_reason stop", async () => {
  const chunks = await chunksOf(await encode(answer(["Hel", "lo"])));
  assert.deepEqual(chunks.map((chunk) => chunk.choices[0]), [
    { index: 0, delta: { role: "assistant", content: "" }, logprobs: null, finish_reason: null },
    { index: 0, delta: { content: "Hel" }, logprobs: null, finish_reason: null },
    { index: 0, delta: { content: "lo" }, logprobs: null, finish_reason: null },
    { index: 0, delta: {}, logprobs: null, finish_reason: "stop" },
  ]);
});

Deno.test("the role chunk goes out before any text arrives", async () => {
  const reader = new ReadableStream<AnswerPart>()
    .pipeThrough(new ChatCompletionChunkStream(completionMeta("default"))).getReader();
  const { value } = await reader.read();
  assert.ok(value);
  const [chunk] = await chunksOf(`${new TextDecoder().decode(value)}data: [DONE]\n\n`);
  assert.deepEqual(chunk.choices[0].delta, { role: "assistant", content: "" });
  await reader.cancel();
});

Deno.test("without includeUsage no chunk has a usage field", async () => {
  const chunks = await chunksOf(await encode(answer(["a"])));
  assert.ok(chunks.every((chunk) => !("usage" in chunk)));
  assert.equal(chunks.length, 3);
});

Deno.test("with includeUsage every chunk has usage null and a last chunk without choices the usage", async () => {
  const chunks = await chunksOf(await encode(answer(["a"]), completionMeta("default", true)));
  assert.equal(chunks.length, 4);
  for (const chunk of chunks.slice(0, -1)) assert.equal(chunk.usage, null);
  const last = chunks.at(-1);
  assert.deepEqual(last.choices, []);
  assert.deepEqual(last.usage, { prompt_tokens: 7, completion_tokens: 8, total_tokens: 15 });
  assert.equal(chunks.at(-2).choices[0].finish_reason, "stop");
});

Deno.test("an answer without usage reports zero tokens in the usage chunk", async () => {
  const parts = ReadableStream.from<AnswerPart>([
    { type: "finish", reply: "", usage: null, newToken: null },
  ]);
  const chunks = await chunksOf(await encode(parts, completionMeta("default", true)));
  assert.deepEqual(chunks.at(-1).usage, {
    prompt_tokens: 0,
    completion_tokens: 0,
    total_tokens: 0,
  });
});

Deno.test("text with quotes, newlines, control characters and unicode round-trips, however cut", async () => {
  const text = TRICKY.join(" | ");
  for (const cut of textCuts(text)) {
    const pieces = await Array.fromAsync(cut.stream());
    const chunks = await chunksOf(await encode(answer(pieces)));
    const content = chunks.map((chunk) => chunk.choices[0]?.delta.content ?? "").join("");
    assert.equal(content, text, cut.label);
    assert.equal(chunks.length, pieces.length + 2, cut.label);
  }
});

Deno.test("a failing answer ends the chunks without finish_reason stop and without [DONE]", async () => {
  const boom = new Error("Upstream failed");
  let pulls = 0;
  const parts = new ReadableStream<AnswerPart>({
    pull(controller) {
      if (pulls++ === 0) controller.enqueue({ type: "text", text: "Hel" });
      else controller.error(boom);
    },
  }, { highWaterMark: 0 });
  const outcome = await outcomeOf(
    parts.pipeThrough(new ChatCompletionChunkStream(completionMeta("default"))),
  );
  assert.equal(outcome.error, boom, "the same error object surfaces");
  const sse = outcome.values.map((bytes) => new TextDecoder().decode(bytes)).join("");
  assert.ok(!sse.includes("[DONE]"));
  assert.ok(!sse.includes('"stop"'));
});

Deno.test("the official openai client reads the chunks, usage included", async () => {
  const text = TRICKY.join("");
  const pieces = [...text.slice(0, 20).split(""), text.slice(20)];
  const sse = await encode(answer(pieces), completionMeta("default", true));
  const client = new OpenAI({
    apiKey: "unused",
    baseURL: "http://gateway.invalid/v1",
    maxRetries: 0,
    fetch: () =>
      Promise.resolve(
        new Response(sse, { headers: { "content-type": "text/event-stream" } }),
      ),
  });
  const stream = await client.chat.completions.create({
    model: "default",
    messages: [{ role: "user", content: "Hi" }],
    stream: true,
    stream_options: { include_usage: true },
  });
  let content = "";
  let finishReason: string | null = null;
  let usage: unknown = null;
  for await (const chunk of stream) {
    content += chunk.choices[0]?.delta.content ?? "";
    finishReason = chunk.choices[0]?.finish_reason ?? finishReason;
    usage = chunk.usage ?? usage;
  }
  assert.equal(content, text);
  assert.equal(finishReason, "stop");
  assert.deepEqual(usage, { prompt_tokens: 7, completion_tokens: 8, total_tokens: 15 });
});

Deno.test("completionMeta makes a fresh chatcmpl- id and the current time in seconds", () => {
  const before = Math.floor(Date.now() / 1000);
  const a = completionMeta("default");
  const b = completionMeta("default");
  assert.match(a.id, /^chatcmpl-[0-9a-f]{32}$/);
  assert.notEqual(a.id, b.id);
  assert.ok(a.created >= before && a.created <= Math.floor(Date.now() / 1000));
  assert.equal(a.includeUsage, false);
});

Deno.test("collectAnswer joins the streamed text and keeps the usage", async () => {
  assert.deepEqual(await collectAnswer(answer(["Hel", "lo"])), { text: "Hello", usage: USAGE });
});

Deno.test("collectAnswer falls back to the end's reply when no text streamed", async () => {
  assert.deepEqual(await collectAnswer(answer([], "Hello")), { text: "Hello", usage: USAGE });
});

Deno.test("collectAnswer rejects with the stream's own error after text, never a partial answer", async () => {
  const boom = new Error("Cut");
  let pulls = 0;
  const parts = new ReadableStream<AnswerPart>({
    pull(controller) {
      if (pulls++ === 0) controller.enqueue({ type: "text", text: "Hel" });
      else controller.error(boom);
    },
  });
  await assert.rejects(collectAnswer(parts), (error) => error === boom);
});

Deno.test("collectAnswer rejects an answer that ends without finishing", async () => {
  await assert.rejects(
    collectAnswer(ReadableStream.from<AnswerPart>([{ type: "text", text: "Hel" }])),
    TypeError,
  );
});

Deno.test("chatCompletion is one chat.completion object with the text and the usage", () => {
  const meta = completionMeta("support");
  assert.deepEqual(chatCompletion({ text: "Hello", usage: USAGE }, meta), {
    id: meta.id,
    object: "chat.completion",
    created: meta.created,
    model: "support",
    system_fingerprint: null,
    choices: [{
      index: 0,
      message: { role: "assistant", content: "Hello", refusal: null },
      logprobs: null,
      finish_reason: "stop",
    }],
    usage: { prompt_tokens: 7, completion_tokens: 8, total_tokens: 15 },
  });
});

Deno.test("modelList lists the bots as OpenAI model objects", () => {
  assert.deepEqual(modelList(["default", "support"]), {
    object: "list",
    data: [
      { id: "default", object: "model", created: 0, owned_by: "ai-engine" },
      { id: "support", object: "model", created: 0, owned_by: "ai-engine" },
    ],
  });
});
