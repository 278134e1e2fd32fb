import type { AnswerReader } from "../ai_engine/answer/answer_reader.ts";
import type { AnswerChunk } from "../ai_engine/answer/events.ts";

/** A chunk that comes less than this after the previous one handed out belongs to a burst. */
export const BURST_MS = 1;

/** The longest a burst's text is held for the chunks that follow it, in ms. */
export const HOLD_MS = 1;

/** A burst's text is handed out once it reaches this many characters, whatever follows. */
export const MAX_JOINED_CHARS = 16 * 1024;

/** The options of a {@linkcode BurstJoiner}: its clock, for tests. */
export interface BurstJoinerOptions {
  /** Milliseconds, as `Date.now()`. */
  now?: () => number;
}

type Settled = { chunk: AnswerChunk | null } | { error: unknown };

/**
 * An answer whose bursts are read as one chunk, so that each becomes one write of the
 * response: a site that sends its events as fast as it can costs one write per
 * millisecond or so, not one per event (a write is the dearest step of a streamed
 * answer: about 40 µs of CPU on workerd, where parsing the event costs a few).
 *
 * The first chunk, and any that comes `BURST_MS` or more after the last one handed out,
 * is handed out at once: a paced answer (a model's pace) is not held at all. A chunk
 * that comes sooner is held while further chunks keep coming, at most `HOLD_MS` and
 * `MAX_JOINED_CHARS`. Why a clock: no cheaper sign of a burst exists with `fetch`, which
 * hands over one HTTP chunk per read; a read of the next event of a buffered body settles
 * neither within microtasks (Deno, workerd) nor, on workerd, before a 0 ms timer
 * (measured by `bench/read_floor.ts`).
 *
 * A read started while holding and not finished in time is kept for the next `read()`,
 * so at most one read runs ahead of the client; a failure met while holding is thrown
 * by the next `read()`, after the text held.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { BurstJoiner } from "./burst_joiner.ts";
 * const chunks = [{ text: "He", finish: null }, { text: "llo", finish: null }, null];
 * const answer = { read: () => Promise.resolve(chunks.shift() ?? null), cancel: () => Promise.resolve() };
 * const joined = new BurstJoiner(answer);
 * assert.equal((await joined.read())?.text, "He"); // the first, at once
 * assert.equal((await joined.read())?.text, "llo"); // came at once after it: a burst
 * assert.equal(await joined.read(), null);
 * ```
 */
export class BurstJoiner implements AnswerReader {
  #answer: AnswerReader;
  #now: () => number;
  #pending: Promise<Settled> | null = null;
  #lastOut = -Infinity;

  /** Joins the bursts of `answer`. */
  constructor(answer: AnswerReader, options: BurstJoinerOptions = {}) {
    this.#answer = answer;
    this.#now = options.now ?? Date.now;
  }

  async read(): Promise<AnswerChunk | null> {
    const first = await this.#next();
    if ("error" in first) throw first.error;
    let chunk = first.chunk;
    if (chunk !== null && !chunk.finish && this.#now() - this.#lastOut < BURST_MS) {
      chunk = await this.#join(chunk);
    }
    this.#lastOut = this.#now();
    return chunk;
  }

  cancel(reason?: unknown): Promise<void> {
    return this.#answer.cancel(reason);
  }

  /** The next read's outcome: the one kept from a hold, or a new one. */
  #next(): Promise<Settled> {
    const next = this.#pending ?? settle(this.#answer.read());
    this.#pending = null;
    return next;
  }

  /** `chunk` and the chunks that follow it within the hold, up to the finish or the cap. */
  async #join(chunk: AnswerChunk): Promise<AnswerChunk> {
    let timer: ReturnType<typeof setTimeout> | undefined;
    const late = new Promise<"late">((resolve) => timer = setTimeout(resolve, HOLD_MS, "late"));
    let { text, finish } = chunk;
    try {
      while (finish === null && text.length < MAX_JOINED_CHARS) {
        const next = this.#next();
        const settled = await Promise.race([next, late]);
        if (settled === "late" || "error" in settled || settled.chunk === null) {
          this.#pending = next; // the next read() hands it out, or throws it
          break;
        }
        text += settled.chunk.text;
        finish = settled.chunk.finish;
      }
    } finally {
      clearTimeout(timer);
    }
    return { text, finish };
  }
}

/** A read's outcome as a value, so a read kept for later never rejects unheard. */
function settle(read: Promise<AnswerChunk | null>): Promise<Settled> {
  return read.then((chunk) => ({ chunk }), (error: unknown) => ({ error }));
}
