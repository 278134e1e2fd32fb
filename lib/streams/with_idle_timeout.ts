import type { ByteSource } from "./byte_source.ts";

/**
 * A source that fails when `source` stays silent for `timeoutMs` while bytes are wanted.
 * Only time spent waiting on the source counts: a consumer that pauses does not make a
 * busy source look silent. On timeout the waiting read rejects with `onTimeout()`'s
 * error and the source is cancelled with it, which aborts the request behind a fetch
 * body. A failed read rejects with `onReadError(error)`: the caller's chance to say what
 * a broken source means.
 *
 * The source must end a read that is waiting when it is cancelled (fetch bodies and
 * sockets do).
 *
 * One timer serves the whole source: a read only notes when it began, and the timer,
 * when it fires early, re-arms for what is left. That keeps the per-read cost to a clock
 * read.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { withIdleTimeout } from "./with_idle_timeout.ts";
 * let end = (_: null) => {};
 * const silent = {
 *   read: () => new Promise<null>((resolve) => end = resolve), // waits until cancelled
 *   cancel: () => Promise.resolve(end(null)),
 * };
 * const timed = withIdleTimeout(silent, 10, () => new Error("Silent"));
 * await assert.rejects(timed.read(), /Silent/);
 * ```
 */
export function withIdleTimeout(
  source: ByteSource,
  timeoutMs: number,
  onTimeout: () => Error,
  onReadError: (error: unknown) => unknown = (error) => error,
): TimedSource {
  return new TimedSource(source, timeoutMs, onTimeout, onReadError);
}

/**
 * A source bounded by its silence (see {@linkcode withIdleTimeout}) and, when one is set,
 * by a deadline: a moment past which it fails however busy it is.
 */
export class TimedSource implements ByteSource {
  #source: ByteSource;
  #timeoutMs: number;
  #onTimeout: () => Error;
  #onReadError: (error: unknown) => unknown;
  #waitingSince = 0;
  #timer: ReturnType<typeof setTimeout> | undefined;
  #failure: { error: unknown } | null = null;
  #ended = false;
  #deadline: ReturnType<typeof setTimeout> | undefined;

  /** See {@linkcode withIdleTimeout}. */
  constructor(
    source: ByteSource,
    timeoutMs: number,
    onTimeout: () => Error,
    onReadError: (error: unknown) => unknown,
  ) {
    this.#source = source;
    this.#timeoutMs = timeoutMs;
    this.#onTimeout = onTimeout;
    this.#onReadError = onReadError;
  }

  async read(): Promise<Uint8Array | null> {
    this.#throwFailure();
    if (this.#ended) return null;
    this.#waitingSince = Date.now();
    this.#timer ??= setTimeout(this.#check, this.#timeoutMs);
    let bytes: Uint8Array | null;
    try {
      bytes = await this.#source.read();
    } catch (error) {
      this.#end();
      this.#throwFailure();
      this.#failure = { error: this.#onReadError(error) };
      throw this.#failure.error;
    } finally {
      this.#waitingSince = 0;
    }
    // A timeout cancels the source, which ends the waiting read: it stays a timeout.
    this.#throwFailure();
    if (bytes === null) this.#end();
    return bytes;
  }

  cancel(reason?: unknown): Promise<void> {
    this.#end();
    this.#failure ??= { error: reason };
    return this.#source.cancel(reason);
  }

  /**
   * Fails the source at `at` (ms since the epoch) with `onDeadline()`'s error, as a
   * timeout does, whether a read is waiting or not; replaces an earlier deadline.
   */
  setDeadline(at: number, onDeadline: () => Error): void {
    clearTimeout(this.#deadline);
    if (this.#ended) return;
    this.#deadline = setTimeout(() => this.#fail(onDeadline()), Math.max(0, at - Date.now()));
  }

  #check = (): void => {
    this.#timer = undefined;
    if (this.#ended || this.#waitingSince === 0) return; // nothing wanted: the next read re-arms
    const left = this.#waitingSince + this.#timeoutMs - Date.now();
    if (left > 0) {
      this.#timer = setTimeout(this.#check, left);
      return;
    }
    this.#fail(this.#onTimeout());
  };

  #fail(error: Error): void {
    this.#failure = { error };
    this.#end();
    this.#source.cancel(error).catch(() => {});
  }

  #throwFailure(): void {
    if (this.#failure) throw this.#failure.error;
  }

  #end(): void {
    this.#ended = true;
    clearTimeout(this.#timer);
    clearTimeout(this.#deadline);
    this.#timer = undefined;
  }
}
