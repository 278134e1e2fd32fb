/**
 * Passes a stream on and hands its error, if it fails, to `onError`, which decides how
 * the result ends: with a last chunk describing the failure in band (an SSE
 * `data: {"error":...}`), or errored with another reason (one that carries no answer
 * text, since runtimes print the reason of a failed response body); an async `onError`
 * is awaited. Cancelling the result cancels the source.
 *
 * @example
 * ```ts
 * import { catchStreamError } from "./catch_stream_error.ts";
 * const failing = new ReadableStream<string>({
 *   start(c) {
 *     c.enqueue("a");
 *     c.error(new Error("Boom"));
 *   },
 * });
 * const safe = catchStreamError(failing, (error, controller) => {
 *   controller.enqueue(`error: ${(error as Error).message}`);
 *   controller.close();
 * });
 * console.log(await Array.fromAsync(safe)); // ["a", "error: Boom"]
 * ```
 */
export function catchStreamError<T>(
  source: ReadableStream<T>,
  onError: (error: unknown, controller: ReadableStreamDefaultController<T>) => void,
): ReadableStream<T> {
  const reader = source.getReader();
  return new ReadableStream<T>({
    async pull(controller) {
      let result: ReadableStreamReadResult<T>;
      try {
        result = await reader.read();
      } catch (error) {
        return onError(error, controller);
      }
      if (result.done) controller.close();
      else controller.enqueue(result.value);
    },
    cancel: (reason) => reader.cancel(reason),
  }, { highWaterMark: 0 });
}
