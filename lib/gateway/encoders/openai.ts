import type { AiEngineUsage } from "../../ai_engine/answer/events.ts";
import type { AnswerEncoder } from "./answer_encoder.ts";
import type { CollectedAnswer } from "./collect.ts";
import { RELEASED_AT } from "../../version.ts";

/** What every chunk of one completion repeats. */
export interface CompletionMeta {
  /** `chatcmpl-…`, the same in every chunk. */
  id: string;
  /** Unix seconds. */
  created: number;
  /** The model name the client asked for (or the bot's id). */
  model: string;
  /** `stream_options.include_usage`: every chunk carries `usage: null`, a last one the usage. */
  includeUsage: boolean;
}

/** A new completion's id, creation time and model. */
export function completionMeta(model: string, includeUsage = false): CompletionMeta {
  return {
    id: `chatcmpl-${crypto.randomUUID().replaceAll("-", "")}`,
    created: Math.floor(Date.now() / 1000),
    model,
    includeUsage,
  };
}

/**
 * OpenAI `chat.completion.chunk` server-sent events: a first chunk whose delta carries
 * `role: "assistant"`, one chunk per piece of text, a last one with
 * `finish_reason: "stop"`, the usage chunk when asked, then `data: [DONE]`. A failure
 * after the first chunk is sent as `data: {"error":...}`, with no `[DONE]`, so no client
 * takes a cut answer for a complete one.
 *
 * The constant parts of a chunk are serialised once; a piece of text costs one
 * `JSON.stringify` of the text itself.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { chatCompletionChunks, completionMeta } from "./openai.ts";
 * const sse = chatCompletionChunks(completionMeta("default"));
 * const chunk = JSON.parse(sse.text("Hi").slice("data: ".length));
 * assert.equal(chunk.choices[0].delta.content, "Hi");
 * assert.ok(sse.finish({ type: "finish", reply: "Hi", usage: null, newToken: null }).endsWith("data: [DONE]\n\n"));
 * ```
 */
export function chatCompletionChunks(meta: CompletionMeta): AnswerEncoder {
  const head = `data: {"id":${JSON.stringify(meta.id)},"object":"chat.completion.chunk",` +
    `"created":${meta.created},"model":${JSON.stringify(meta.model)},` +
    `"system_fingerprint":null,"choices":[`;
  const usageNull = meta.includeUsage ? `,"usage":null` : "";
  const choice = (delta: string, finish: string) =>
    `${head}{"index":0,"delta":${delta},"logprobs":null,"finish_reason":${finish}}]${usageNull}}\n\n`;
  const textHead = `${head}{"index":0,"delta":{"content":`;
  const textTail = `},"logprobs":null,"finish_reason":null}]${usageNull}}\n\n`;
  return {
    start: choice(`{"role":"assistant","content":""}`, "null"),
    text: (text) => textHead + JSON.stringify(text) + textTail,
    finish(finish) {
      let tail = choice("{}", `"stop"`);
      // The site's extras go, namespaced, on the chunk that finishes the choice.
      if (finish.extras) tail = `${tail.slice(0, -3)},"mwai":${JSON.stringify(finish.extras)}}\n\n`;
      if (meta.includeUsage) {
        tail += `${head}],"usage":${JSON.stringify(openAiUsage(finish.usage))}}\n\n`;
      }
      return `${tail}data: [DONE]\n\n`;
    },
    failure: (error) => `data: ${JSON.stringify(error)}\n\n`,
    keepAlive: ": keep-alive\n\n",
  };
}

/** A complete `chat.completion` object for a non-streamed request. */
export function chatCompletion(answer: CollectedAnswer, meta: CompletionMeta): unknown {
  return {
    id: meta.id,
    object: "chat.completion",
    created: meta.created,
    model: meta.model,
    system_fingerprint: null,
    choices: [{
      index: 0,
      message: { role: "assistant", content: answer.text, refusal: null },
      logprobs: null,
      finish_reason: "stop",
    }],
    usage: openAiUsage(answer.usage),
    ...(answer.extras ? { mwai: answer.extras } : {}),
  };
}

/** An OpenAI model object; a bot has no date of its own, so `created` is this release's. */
export function modelObject(id: string): OpenAiModel {
  return { id, object: "model", created: RELEASED_AT, owned_by: "ai-engine" };
}

/** OpenAI's model object (`GET /v1/models/{id}`). */
export interface OpenAiModel {
  /** The bot's id, as `model` takes it. */
  id: string;
  /** Always `"model"`. */
  object: "model";
  /** Unix seconds: when this version of the gateway was released. */
  created: number;
  /** Always `"ai-engine"`. */
  owned_by: string;
}

/** The bots as an OpenAI model list. */
export function modelList(bots: readonly string[]): { object: "list"; data: OpenAiModel[] } {
  return { object: "list", data: bots.map(modelObject) };
}

function openAiUsage(usage: AiEngineUsage | null) {
  return {
    prompt_tokens: usage?.prompt_tokens ?? 0,
    completion_tokens: usage?.completion_tokens ?? 0,
    total_tokens: usage?.total_tokens ?? 0,
  };
}
