/**
 * Reads a source through a stream that errors when the source stays silent for
 * `timeoutMs` while a chunk is wanted. Only time spent waiting on the source counts: a
 * consumer that pauses does not make a busy source look silent. On timeout the stream
 * errors with `onTimeout()`'s error and the source is cancelled with it, which aborts
 * the upstream request behind a fetch body. A failed read of the source errors the stream
 * with `onReadError(error)`: the caller's chance to say what a broken source means.
 *
 * One timer serves the whole stream: a read only notes when it began, and the timer,
 * when it fires early, re-arms for what is left. That keeps the per-chunk cost to a
 * clock read.
 *
 * @example
 * ```ts
 * import { withIdleTimeout } from "./with_idle_timeout.ts";
 * const silent = new ReadableStream<string>({ start() {} });
 * const timed = withIdleTimeout(silent, 10, () => new Error("Silent"));
 * await timed.getReader().read().catch((error) => console.log(error.message)); // Silent
 * ```
 */
export function withIdleTimeout<T>(
  source: ReadableStream<T>,
  timeoutMs: number,
  onTimeout: () => Error,
  onReadError: (error: unknown) => unknown = (error) => error,
): ReadableStream<T> {
  const reader = source.getReader();
  let output!: ReadableStreamDefaultController<T>;
  let waitingSince: number | null = null;
  let timer: ReturnType<typeof setTimeout> | undefined;
  let ended = false;
  const end = () => {
    ended = true;
    clearTimeout(timer);
  };
  const check = () => {
    timer = undefined;
    if (ended || waitingSince === null) return; // nothing wanted now: the next read re-arms
    const left = waitingSince + timeoutMs - Date.now();
    if (left > 0) {
      timer = setTimeout(check, left);
      return;
    }
    const error = onTimeout();
    end();
    output.error(error);
    reader.cancel(error).catch(() => {});
  };
  return new ReadableStream<T>({
    start(controller) {
      output = controller;
    },
    async pull(controller) {
      waitingSince = Date.now();
      timer ??= setTimeout(check, timeoutMs);
      let result: ReadableStreamReadResult<T>;
      try {
        result = await reader.read();
      } catch (error) {
        if (!ended) controller.error(onReadError(error));
        end();
        return;
      } finally {
        waitingSince = null;
      }
      if (ended) return;
      if (result.done) {
        end();
        controller.close();
      } else {
        controller.enqueue(result.value);
      }
    },
    cancel(reason) {
      end();
      return reader.cancel(reason);
    },
  }, { highWaterMark: 0 });
}
