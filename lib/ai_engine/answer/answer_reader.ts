import { AnswerDecoder, type AnswerDecoderOptions } from "./answer_decoder.ts";
import type { AnswerChunk } from "./events.ts";
import type { ByteSource } from "../../streams/byte_source.ts";
import { drainSource } from "../../streams/drain_source.ts";

/**
 * One answer, read as it comes: every face of the gateway and the library pulls from one
 * of these. Each `read()` waits for the next text (or the end) and resolves with it; the
 * answer's failure rejects it, as an `AiEngineError`.
 */
export interface AnswerReader {
  /** The next chunk of the answer, or `null` after the chunk with the finish. */
  read(): Promise<AnswerChunk | null>;
  /** Stops the answer and aborts the upstream request. */
  cancel(reason?: unknown): Promise<void>;
}

/** What an {@linkcode EventAnswerReader} is told: the decoder's options, and a moment to watch. */
export interface EventAnswerOptions extends AnswerDecoderOptions {
  /** Called once, when the first chunk (text, or the end) is handed out. */
  onFirstText?: () => void;
}

/**
 * The reader of a streamed answer: bytes from `source` (the submit body, already bounded
 * by the idle timeout), decoded by an {@linkcode AnswerDecoder}, one chunk per read that
 * brought text. A read that brings no text (the blank line that ends an event, a comment,
 * an event log) is not a chunk: the reader reads on. Once the `end` event came, or the
 * answer failed, the source is cancelled, which frees the upstream connection.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { EventAnswerReader } from "./answer_reader.ts";
 * import { bytesOf } from "../../streams/byte_source.ts";
 * const bytes = new TextEncoder().encode(
 *   'data: {"type":"live","data":"Hi"}\n\ndata: {"type":"end","data":"{\\"success\\":true,\\"reply\\":\\"Hi\\"}"}\n\n',
 * );
 * const reader = new EventAnswerReader(bytesOf([bytes]));
 * const chunk = await reader.read();
 * assert.equal(chunk?.text, "Hi");
 * assert.equal(chunk?.finish?.reply, "Hi");
 * assert.equal(await reader.read(), null);
 * ```
 */
export class EventAnswerReader implements AnswerReader {
  #source: ByteSource;
  #decoder: AnswerDecoder;
  #utf8 = new TextDecoder();
  #head: Uint8Array | null;
  #closed = false;
  #onFirstText: (() => void) | undefined;

  /**
   * A reader of the events in `source`.
   *
   * @param head bytes already read from the source (while deciding what the body is)
   */
  constructor(
    source: ByteSource,
    head: Uint8Array | null = null,
    options: EventAnswerOptions = {},
  ) {
    this.#source = source;
    this.#head = head;
    this.#decoder = new AnswerDecoder(options);
    this.#onFirstText = options.onFirstText;
  }

  async read(): Promise<AnswerChunk | null> {
    if (this.#closed) return null;
    try {
      this.#decoder.check();
      for (;;) {
        let bytes = this.#head;
        this.#head = null;
        bytes ??= await this.#source.read();
        const chunk = bytes === null
          ? this.#decoder.end(this.#utf8.decode())
          : this.#decoder.feed(this.#utf8.decode(bytes, STREAM));
        if (chunk.finish) this.#finish();
        if (chunk.text !== "" || chunk.finish) {
          this.#onFirstText?.();
          this.#onFirstText = undefined;
          return chunk;
        }
      }
    } catch (error) {
      this.#close(error);
      throw error;
    }
  }

  cancel(reason?: unknown): Promise<void> {
    if (this.#closed) return Promise.resolve();
    this.#closed = true;
    return this.#source.cancel(reason);
  }

  #close(reason?: unknown): void {
    this.cancel(reason).catch(() => {});
  }

  // The answer is whole: what the body has left (a chunked body's last chunk) is read, so
  // the site's connection is kept for the next answer rather than cut (`drainSource`).
  #finish(): void {
    if (this.#closed) return;
    this.#closed = true;
    drainSource(this.#source);
  }
}

const STREAM = { stream: true };

/**
 * A reader of an answer that is already whole (AI Engine's JSON answer): `chunk`, then
 * the end.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { wholeAnswer } from "./answer_reader.ts";
 * const finish = { type: "finish", reply: "Hi", usage: null, newToken: null } as const;
 * const reader = wholeAnswer({ text: "Hi", finish });
 * assert.equal((await reader.read())?.text, "Hi");
 * assert.equal(await reader.read(), null);
 * ```
 */
export function wholeAnswer(chunk: AnswerChunk): AnswerReader {
  let next: AnswerChunk | null = chunk;
  return {
    read() {
      const value = next;
      next = null;
      return Promise.resolve(value);
    },
    cancel() {
      next = null;
      return Promise.resolve();
    },
  };
}
