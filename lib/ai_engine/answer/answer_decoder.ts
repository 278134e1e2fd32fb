import { AiEngineError } from "../ai_engine_error.ts";
import type { AiEngineEnd, AnswerChunk, AnswerFinish } from "./events.ts";
import { parseEvent } from "./parse_event.ts";
import { AnswerRules } from "./answer_rules.ts";
import { SseDataParser } from "../../streams/sse_data_parser.ts";

/** What an {@linkcode AnswerDecoder} is told about one answer. */
export interface AnswerDecoderOptions {
  /** Cap on one event, in characters (default 8 Mi). */
  maxEventChars?: number;
  /** Counts every event read, for the request log. */
  counter?: { events: number };
  /** Called with the `end` object when it comes. */
  onEnd?: (end: AiEngineEnd) => void;
  /**
   * Called when the `end` event's reply is neither the streamed text nor that text
   * continued (a reply filter rewrote the answer; the stream stands as it was sent).
   */
  onReplyDiffers?: () => void;
}

/**
 * The answer's decoding core: AI Engine's event stream, as decoded text, in, piece by
 * piece; answer chunks out. It runs SSE parsing with its size cap
 * ({@linkcode SseDataParser}), event decoding ({@linkcode parseEvent}) and the answer's
 * rules ({@linkcode AnswerRules}) on each piece, and joins the text of the events in it.
 *
 * - Nothing after the `end` event counts: events, garbage or an oversized line that
 *   follow it in the same piece are not read, so a whole answer stays whole.
 * - A failure met after some text of the same piece does not drop that text: the piece's
 *   text is returned, and the failure is thrown by the next call (see `check`).
 * - Text never ends in a high surrogate: one that ends a piece (an emoji split across two
 *   `live` events) waits for its other half.
 * - The `end` event's reply is the site's final word (reply filters may change it): an
 *   answer given only in `end` (an images bot) comes out as its reply, and a reply that
 *   continues the streamed text adds its rest before the finish. The streamed text is
 *   not kept for this: its length and a hash of it are.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { AnswerDecoder } from "./answer_decoder.ts";
 * const decoder = new AnswerDecoder();
 * const first = decoder.feed('data: {"type":"live","data":"Hel"}\n\ndata: {"type":"live","data":"lo"}\n\n');
 * assert.deepEqual(first, { text: "Hello", finish: null });
 * const last = decoder.feed('data: {"type":"end","data":"{\\"success\\":true,\\"reply\\":\\"Hello\\"}"}\n\n');
 * assert.equal(last.finish?.reply, "Hello");
 * ```
 */
export class AnswerDecoder {
  #parser: SseDataParser;
  #rules: AnswerRules;
  #counter: { events: number };
  #text = "";
  #held = "";
  #finish: AnswerFinish | null = null;
  #failure: { error: unknown } | null = null;
  #streamed = new TextDigest();
  #onReplyDiffers: (() => void) | undefined;

  /** A decoder for one answer. */
  constructor(options: AnswerDecoderOptions = {}) {
    this.#parser = new SseDataParser({ maxEventChars: options.maxEventChars, tooLarge });
    this.#rules = new AnswerRules(options.onEnd);
    this.#counter = options.counter ?? { events: 0 };
    this.#onReplyDiffers = options.onReplyDiffers;
  }

  /** Decodes the next piece of the body; throws the failure it reports, if no text came before it. */
  feed(text: string): AnswerChunk {
    this.check();
    try {
      this.#parser.feed(text, this.#event);
    } catch (error) {
      // After the end nothing counts; before it, text already decoded is still the answer's.
      if (!this.#finish) {
        if (this.#text === "" && this.#held === "") throw error;
        this.#failure = { error };
      }
    }
    return this.#take();
  }

  /** The body ended: the last chunk, or `truncated` when the `end` event never came. */
  end(text = ""): AnswerChunk {
    const chunk = text === "" ? this.#take() : this.feed(text);
    this.check();
    if (!chunk.finish) this.#rules.close();
    return chunk;
  }

  /** Throws the failure held back behind text that was returned first, if any. */
  check(): void {
    if (this.#failure) throw this.#failure.error;
  }

  #event = (data: string): void => {
    if (this.#finish) return;
    this.#counter.events++;
    const event = parseEvent(data);
    const part = event && this.#rules.accept(event);
    if (part === null) return;
    if (part.type === "text") {
      this.#text += part.text;
      this.#streamed.add(part.text);
    } else {
      this.#finish = part;
      this.#text += this.#restOfReply(part.reply);
    }
  };

  /** What the reply adds to the streamed text, when it continues it. */
  #restOfReply(reply: string): string {
    const { length } = this.#streamed;
    if (length === 0) return reply;
    if (reply.length >= length && TextDigest.of(reply.slice(0, length)) === this.#streamed.hash) {
      return reply.slice(length);
    }
    this.#onReplyDiffers?.();
    return "";
  }

  #take(): AnswerChunk {
    let text = this.#held + this.#text;
    this.#text = "";
    this.#held = "";
    const last = text.charCodeAt(text.length - 1);
    if (!this.#finish && last >= 0xd800 && last <= 0xdbff) {
      this.#held = text.slice(-1);
      text = text.slice(0, -1);
    }
    return { text, finish: this.#finish };
  }
}

/** A running 32-bit FNV-1a hash of text, over its UTF-16 code units, and its length. */
class TextDigest {
  hash = 0x811c9dc5;
  length = 0;

  static of(text: string): number {
    const digest = new TextDigest();
    digest.add(text);
    return digest.hash;
  }

  add(text: string): void {
    let hash = this.hash;
    for (let i = 0; i < text.length; i++) hash = Math.imul(hash ^ text.charCodeAt(i), 0x01000193);
    this.hash = hash >>> 0;
    this.length += text.length;
  }
}

function tooLarge(maxChars: number): AiEngineError {
  return new AiEngineError("too_large", `Upstream event too large: over ${maxChars} characters`);
}
