import assert from "node:assert/strict";
import { EventSourceParserStream } from "eventsource-parser/stream";
import OpenAI from "openai";
import { RELEASED_AT } from "../../../lib/version.ts";
import { AiEngineError } from "../../../lib/ai_engine/ai_engine_error.ts";
import type { AnswerFinish } from "../../../lib/ai_engine/answer/events.ts";
import {
  chatCompletion,
  chatCompletionChunks,
  completionMeta,
  modelList,
} from "../../../lib/gateway/encoders/openai.ts";
import { toHttpError } from "../../../lib/gateway/http_error.ts";
import { textCuts } from "../../support/chunking.ts";

const USAGE = { prompt_tokens: 7, completion_tokens: 8, total_tokens: 15, price: 0.001 };

function finish(reply: string, usage = USAGE): AnswerFinish {
  return { type: "finish", reply, usage, newToken: null };
}

/** The SSE text the encoder writes for an answer streamed as `pieces`, then `end`. */
function encode(
  pieces: string[],
  meta = completionMeta("default"),
  end: AnswerFinish = finish(pieces.join("")),
): string {
  const sse = chatCompletionChunks(meta);
  return sse.start + pieces.map(sse.text).join("") + sse.finish(end);
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

Deno.test("chatCompletionChunks: every chunk is one SSE event of JSON, and the stream ends with data: [DONE]", async () => {
  const sse = encode(["Hel", "lo"]);
  assert.ok(sse.endsWith("\n\ndata: [DONE]\n\n"));
  for (const event of sse.split("\n\n").slice(0, -1)) assert.match(event, /^data: [^\n]+$/);
  const chunks = await chunksOf(sse);
  assert.equal(chunks.length, 4);
});

Deno.test("chatCompletionChunks: every chunk repeats the completion's id, object, created and model", async () => {
  const meta = completionMeta("support");
  for (const chunk of await chunksOf(encode(["a", "b"], meta))) {
    assert.equal(chunk.id, meta.id);
    assert.equal(chunk.object, "chat.completion.chunk");
    assert.equal(chunk.created, meta.created);
    assert.equal(chunk.model, "support");
    assert.equal(chunk.system_fingerprint, null);
    assert.equal(chunk.choices[0].index, 0);
  }
});

Deno.test("chatCompletionChunks: the first delta has role assistant, text deltas carry content, the last has finish_reason stop", async () => {
  const chunks = await chunksOf(encode(["Hel", "lo"]));
  assert.deepEqual(chunks.map((chunk) => chunk.choices[0]), [
    { index: 0, delta: { role: "assistant", content: "" }, logprobs: null, finish_reason: null },
    { index: 0, delta: { content: "Hel" }, logprobs: null, finish_reason: null },
    { index: 0, delta: { content: "lo" }, logprobs: null, finish_reason: null },
    { index: 0, delta: {}, logprobs: null, finish_reason: "stop" },
  ]);
});

Deno.test("chatCompletionChunks: the start is one whole event, the role chunk, that needs no text after it", async () => {
  const sse = chatCompletionChunks(completionMeta("default"));
  assert.match(sse.start, /^data: [^\n]+\n\n$/);
  const [chunk] = await chunksOf(`${sse.start}data: [DONE]\n\n`);
  assert.deepEqual(chunk.choices[0].delta, { role: "assistant", content: "" });
});

Deno.test("chatCompletionChunks: without includeUsage no chunk has a usage field", async () => {
  const chunks = await chunksOf(encode(["a"]));
  assert.ok(chunks.every((chunk) => !("usage" in chunk)));
  assert.equal(chunks.length, 3);
});

Deno.test("chatCompletionChunks: with includeUsage every chunk has usage null and a last chunk without choices the usage", async () => {
  const chunks = await chunksOf(encode(["a"], completionMeta("default", true)));
  assert.equal(chunks.length, 4);
  for (const chunk of chunks.slice(0, -1)) assert.equal(chunk.usage, null);
  const last = chunks.at(-1);
  assert.deepEqual(last.choices, []);
  assert.deepEqual(last.usage, { prompt_tokens: 7, completion_tokens: 8, total_tokens: 15 });
  assert.equal(chunks.at(-2).choices[0].finish_reason, "stop");
});

Deno.test("chatCompletionChunks: an answer without usage reports zero tokens in the usage chunk", async () => {
  const sse = encode([], completionMeta("default", true), {
    type: "finish",
    reply: "",
    usage: null,
    newToken: null,
  });
  const chunks = await chunksOf(sse);
  assert.deepEqual(chunks.at(-1).usage, {
    prompt_tokens: 0,
    completion_tokens: 0,
    total_tokens: 0,
  });
});

Deno.test("chatCompletionChunks: text with quotes, newlines, control characters and unicode round-trips, however cut", async () => {
  const text = TRICKY.join(" | ");
  for (const cut of textCuts(text)) {
    const pieces = await Array.fromAsync(cut.stream());
    const chunks = await chunksOf(encode(pieces));
    const content = chunks.map((chunk) => chunk.choices[0]?.delta.content ?? "").join("");
    assert.equal(content, text, cut.label);
    assert.equal(chunks.length, pieces.length + 2, cut.label);
  }
});

/** The SSE text of an answer that failed after `pieces`. */
function failed(pieces: string[], error: unknown, meta = completionMeta("default")): string {
  const sse = chatCompletionChunks(meta);
  const said = sse.failure(toHttpError(error));
  assert.ok(said !== null, "OpenAI's chunks can say a failure");
  return sse.start + pieces.map(sse.text).join("") + said;
}

const CUT = new AiEngineError("truncated", "AI Engine's answer broke off: connection reset");

Deno.test("chatCompletionChunks: a failure after text is one error event, without finish_reason stop and without [DONE]", async () => {
  const sse = failed(["Hel"], CUT);
  assert.ok(!sse.includes("[DONE]"));
  assert.ok(!sse.includes('"stop"'));
  const data = await dataOf(sse);
  assert.equal(data.length, 3, "the role chunk, the text, the error");
  assert.deepEqual(JSON.parse(data.at(-1)!), {
    error: {
      message: "AI Engine's answer broke off: connection reset",
      type: "upstream_error",
      param: null,
      code: "upstream_truncated",
    },
  });
});

Deno.test("chatCompletionChunks: the official openai client takes a failure after text for an error, never a complete answer", async () => {
  const client = new OpenAI({
    apiKey: "unused",
    baseURL: "http://gateway.invalid/v1",
    maxRetries: 0,
    fetch: () =>
      Promise.resolve(
        new Response(failed(["Hel", "lo"], CUT), {
          headers: { "content-type": "text/event-stream" },
        }),
      ),
  });
  const stream = await client.chat.completions.create({
    model: "default",
    messages: [{ role: "user", content: "Hi" }],
    stream: true,
  });
  let content = "";
  const error = await (async () => {
    for await (const chunk of stream) content += chunk.choices[0]?.delta.content ?? "";
  })().then(() => null, (error: unknown) => error);
  assert.ok(error instanceof OpenAI.APIError, `not an APIError: ${error}`);
  assert.match(error.message, /broke off/);
  assert.equal(content, "Hello", "the text before the failure was read");
});

Deno.test("chatCompletionChunks: the official openai client reads the chunks, usage included", async () => {
  const text = TRICKY.join("");
  const pieces = [...text.slice(0, 20).split(""), text.slice(20)];
  const sse = encode(pieces, completionMeta("default", true));
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

Deno.test("completionMeta: it makes a fresh chatcmpl- id and the current time in seconds", () => {
  const before = Math.floor(Date.now() / 1000);
  const a = completionMeta("default");
  const b = completionMeta("default");
  assert.match(a.id, /^chatcmpl-[0-9a-f]{32}$/);
  assert.notEqual(a.id, b.id);
  assert.ok(a.created >= before && a.created <= Math.floor(Date.now() / 1000));
  assert.equal(a.includeUsage, false);
});

Deno.test("chatCompletion: it is one chat.completion object with the text and the usage", () => {
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

Deno.test("modelList: it lists the bots as OpenAI model objects, created at this release", () => {
  assert.deepEqual(modelList(["default", "support"]), {
    object: "list",
    data: [
      { id: "default", object: "model", created: RELEASED_AT, owned_by: "ai-engine" },
      { id: "support", object: "model", created: RELEASED_AT, owned_by: "ai-engine" },
    ],
  });
});
