import type { AnswerReader } from "./ai_engine/answer/answer_reader.ts";
import type {
  AiEngineUsage,
  AnswerChunk,
  AnswerExtras,
  AnswerPart,
} from "./ai_engine/answer/events.ts";

/** The complete answer. */
export interface ChatResult {
  /** The answer text as AI Engine reports it in its `end` event (trimmed by the plugin). */
  reply: string;
  /** Token counts as AI Engine reports them, when it does. */
  usage: AiEngineUsage | null;
  /** The bot that answered. */
  model: string;
  /** `images`, `actions`, `shortcuts`, `blocks` of AI Engine's `end` object, when it sent any. */
  extras: AnswerExtras | null;
}

/**
 * One answer of `chat()`: read it once, as text (iterating, or `textStream`), as
 * parts (`started`), through its reader (`opened`), or whole (`done`).
 */
export class ChatAnswer implements AsyncIterable<string> {
  /**
   * The answer's reader once the answer has begun; rejects if it fails before any text.
   * The cheapest way to read it: one promise per piece, no stream in between. The
   * gateway's routes read this.
   */
  readonly opened: Promise<AnswerReader>;
  readonly #done: Promise<ChatResult>;
  #resolve!: (result: ChatResult) => void;
  #reject!: (error: unknown) => void;
  #model: string;
  #read = false;

  /**
   * Wraps an answer under way; {@linkcode chat} makes these.
   *
   * @param opened the answer's reader once the answer has begun (see `openAnswer`)
   * @param model the bot that answers
   */
  constructor(opened: Promise<AnswerReader>, model: string) {
    this.#done = new Promise((resolve, reject) =>
      [this.#resolve, this.#reject] = [resolve, reject]
    );
    this.#done.catch(() => {}); // nobody has to ask for `done`
    this.#model = model;
    this.opened = opened;
    this.opened.catch(this.#reject);
  }

  /**
   * The answer parts, once the answer has begun; rejects if it fails before any text.
   * Reading them settles `done`.
   */
  get started(): Promise<ReadableStream<AnswerPart>> {
    return this.#take().then((next) =>
      new ReadableStream<AnswerPart>({
        async pull(controller) {
          const chunk = await next();
          if (chunk === null) return controller.close();
          if (chunk.text !== "") controller.enqueue({ type: "text", text: chunk.text });
          if (chunk.finish) controller.enqueue(chunk.finish);
        },
        cancel: (reason) => this.opened.then((reader) => reader.cancel(reason)),
      }, { highWaterMark: 0 })
    );
  }

  /** The answer text as it streams; reading it settles `done`. */
  get textStream(): ReadableStream<string> {
    const next = this.#take();
    return new ReadableStream<string>({
      async pull(controller) {
        for (;;) {
          const chunk = await (await next)();
          if (chunk === null) return controller.close();
          if (chunk.text !== "") return controller.enqueue(chunk.text);
        }
      },
      cancel: (reason) => this.opened.then((reader) => reader.cancel(reason), () => {}),
    }, { highWaterMark: 0 });
  }

  /** The whole answer, once complete; reads the text itself if nobody else does. */
  get done(): Promise<ChatResult> {
    if (!this.#read) this.textStream.pipeTo(new WritableStream()).catch(() => {});
    return this.#done;
  }

  /**
   * The answer text as it streams: `for await (const text of answer)`. A loop left early
   * (break, return) stops the answer, and the upstream request.
   */
  async *[Symbol.asyncIterator](): AsyncIterator<string> {
    const next = await this.#take();
    let ended = false;
    try {
      for (let chunk = await next(); chunk !== null; chunk = await next()) {
        if (chunk.text !== "") yield chunk.text;
      }
      ended = true;
    } finally {
      if (!ended) await (await this.opened.catch(() => null))?.cancel();
    }
  }

  /** The one reading of the answer: each call the next chunk, settling `done` on the way. */
  #take(): Promise<() => Promise<AnswerChunk | null>> {
    if (this.#read) return Promise.reject(new TypeError("The answer has already been read"));
    this.#read = true;
    return this.opened.then((reader) => async () => {
      let chunk: AnswerChunk | null;
      try {
        chunk = await reader.read();
      } catch (error) {
        this.#reject(error);
        throw error;
      }
      const finish = chunk?.finish;
      if (finish) {
        const { reply, usage } = finish;
        this.#resolve({ reply, usage, model: this.#model, extras: finish.extras ?? null });
      }
      return chunk;
    });
  }
}
