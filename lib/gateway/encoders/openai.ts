import type { AiEngineUsage, AnswerPart } from "../../ai_engine/events.ts";
import type { CollectedAnswer } from "./collect.ts";

const encoder = new TextEncoder();

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
 * Encodes answer parts as OpenAI `chat.completion.chunk` server-sent events, in UTF-8: a first
 * chunk whose delta carries `role: "assistant"`, one chunk per piece of text, a last one
 * with `finish_reason: "stop"`, the usage chunk when asked, then `data: [DONE]`.
 *
 * The constant parts of a chunk are serialised once; a piece of text costs one
 * `JSON.stringify` of the text itself.
 *
 * @example
 * ```ts
 * import { ChatCompletionChunkStream, completionMeta } from "./openai.ts";
 * const events = ReadableStream.from([
 *   { type: "text", text: "Hi" },
 *   { type: "finish", reply: "Hi", usage: null, newToken: null },
 * ] as const).pipeThrough(new ChatCompletionChunkStream(completionMeta("default")));
 * for await (const event of events) console.log(event);
 * ```
 */
export class ChatCompletionChunkStream extends TransformStream<AnswerPart, Uint8Array> {
  /** A stream for one completion, described by `meta`. */
  constructor(meta: CompletionMeta) {
    const head = `data: {"id":${JSON.stringify(meta.id)},"object":"chat.completion.chunk",` +
      `"created":${meta.created},"model":${JSON.stringify(meta.model)},` +
      `"system_fingerprint":null,"choices":[`;
    const usageNull = meta.includeUsage ? `,"usage":null` : "";
    const choice = (delta: string, finish: string) =>
      `${head}{"index":0,"delta":${delta},"logprobs":null,"finish_reason":${finish}}]${usageNull}}\n\n`;
    const textHead = `${head}{"index":0,"delta":{"content":`;
    const textTail = `},"logprobs":null,"finish_reason":null}]${usageNull}}\n\n`;
    super({
      start(controller) {
        controller.enqueue(encoder.encode(choice(`{"role":"assistant","content":""}`, "null")));
      },
      transform(part, controller) {
        if (part.type === "text") {
          controller.enqueue(encoder.encode(textHead + JSON.stringify(part.text) + textTail));
          return;
        }
        let tail = choice("{}", `"stop"`);
        if (meta.includeUsage) {
          tail += `${head}],"usage":${JSON.stringify(openAiUsage(part.usage))}}\n\n`;
        }
        controller.enqueue(encoder.encode(`${tail}data: [DONE]\n\n`));
      },
    });
  }
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
  };
}

/** The bots as an OpenAI model list. */
export function modelList(bots: readonly string[]): unknown {
  return {
    object: "list",
    data: bots.map((id) => ({ id, object: "model", created: 0, owned_by: "ai-engine" })),
  };
}

function openAiUsage(usage: AiEngineUsage | null) {
  return {
    prompt_tokens: usage?.prompt_tokens ?? 0,
    completion_tokens: usage?.completion_tokens ?? 0,
    total_tokens: usage?.total_tokens ?? 0,
  };
}
