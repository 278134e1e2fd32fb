/**
 * Passes a stream on and, when it errors, ends it with one last chunk that describes the
 * error instead (`toChunk`), then closes. For wire formats that carry errors in band,
 * like an SSE `data: {"error":...}` event. Cancelling the result cancels the source.
 *
 * @example
 * ```ts
 * import { endWithError } from "./end_with_error.ts";
 * const failing = new ReadableStream<string>({
 *   start(c) { c.enqueue("a"); c.error(new Error("Boom")); },
 * });
 * const safe = endWithError(failing, (error) => `error: ${(error as Error).message}`);
 * console.log(await Array.fromAsync(safe)); // ["a", "error: Boom"]
 * ```
 */
export function endWithError<T>(
  source: ReadableStream<T>,
  toChunk: (error: unknown) => T,
): ReadableStream<T> {
  const reader = source.getReader();
  return new ReadableStream<T>({
    async pull(controller) {
      try {
        const result = await reader.read();
        if (result.done) controller.close();
        else controller.enqueue(result.value);
      } catch (error) {
        controller.enqueue(toChunk(error));
        controller.close();
      }
    },
    cancel: (reason) => reader.cancel(reason),
  }, { highWaterMark: 0 });
}
