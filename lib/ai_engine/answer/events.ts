import type { AnswerExtras } from "./answer_extras.ts";

export type { AnswerExtras };

/**
 * Token counts as AI Engine reports them in its `end` event. A count the site sent that
 * is not a safe non-negative whole number is `null` (the OpenAI faces then say 0).
 */
export interface AiEngineUsage {
  /** Tokens of the prompt (instructions, context, history and the new message). */
  prompt_tokens: number | null;
  /** Tokens of the answer. */
  completion_tokens: number | null;
  /** Both together. */
  total_tokens: number | null;
  /** The site's price estimate, when it has one. */
  price?: number | null;
}

/** The parsed `data` of an `end` event, or a non-streamed JSON answer. */
export interface AiEngineEnd {
  /** Whether the model answered. */
  success: boolean;
  /** The whole reply, as the plugin stores it (trimmed). */
  reply: string;
  /** Token counts, when the site reports them. */
  usage: AiEngineUsage | null;
  /** A fresh REST nonce that replaces an ageing one (AI Engine ≥ 2.x). */
  newToken: string | null;
  /** The failure text when `success` is false. */
  message: string | null;
  /** `images`, `actions`, `shortcuts`, `blocks`, when the site sent any. */
  extras?: AnswerExtras | null;
}

/**
 * One event of AI Engine's chatbot stream.
 *
 * `live` events with a `subtype` other than `content` are event logs (`status`,
 * `thinking`, `tool_call`, ...), not answer text (AI Engine ≥ 2.8 with event logs on).
 */
export type AiEngineEvent =
  | { type: "live"; data: string; subtype: string | null }
  | { type: "end"; end: AiEngineEnd }
  | { type: "error"; message: string };

/** A piece of the answer as every face consumes it: text, then one `finish`. */
export type AnswerPart =
  | { type: "text"; text: string }
  | {
    type: "finish";
    reply: string;
    usage: AiEngineUsage | null;
    newToken: string | null;
    /** `images`, `actions`, `shortcuts`, `blocks` of the `end` object, when it had any. */
    extras?: AnswerExtras | null;
  };

/** The `finish` part: how the answer ended. */
export type AnswerFinish = Extract<AnswerPart, { type: "finish" }>;

/** What one read of an answer brought: its text (perhaps none), and the finish if it came. */
export interface AnswerChunk {
  /** Answer text, in order; never ends in half a surrogate pair. */
  text: string;
  /** The answer's end, when it came with this chunk: the last chunk has it. */
  finish: AnswerFinish | null;
}
