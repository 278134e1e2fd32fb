/**
 * Passes chunks through unchanged and errors the stream when no chunk arrives for
 * `timeoutMs` (counted from the stream's creation, then from each chunk). Erroring the
 * stage cancels what is piped into it, so a silent upstream request is aborted too.
 *
 * One timer serves the whole stream: a chunk only records the time, and the timer, when
 * it fires early, re-arms for what is left. That keeps the per-chunk cost to a clock read.
 *
 * @example
 * ```ts
 * import { IdleTimeoutStream } from "./idle_timeout_stream.ts";
 * const silent = new ReadableStream<string>({ start() {} });
 * const timed = silent.pipeThrough(new IdleTimeoutStream(10, () => new Error("Silent")));
 * await timed.getReader().read().catch((error) => console.log(error.message)); // Silent
 * ```
 */
export class IdleTimeoutStream<T> extends TransformStream<T, T> {
  constructor(timeoutMs: number, onTimeout: () => Error) {
    // Closure state, not #fields: `start` runs inside super(), before fields exist.
    let timer: ReturnType<typeof setTimeout> | undefined;
    let last = Date.now();
    const stop = () => clearTimeout(timer);
    super({
      start: (controller) => {
        const check = () => {
          const left = last + timeoutMs - Date.now();
          if (left > 0) timer = setTimeout(check, left);
          else controller.error(onTimeout());
        };
        timer = setTimeout(check, timeoutMs);
      },
      transform: (chunk, controller) => {
        last = Date.now();
        controller.enqueue(chunk);
      },
      flush: stop,
      cancel: stop,
    });
  }
}
