/** What {@linkcode peek} read ahead, and the whole stream again. */
export interface Peeked<T> {
  /** The chunks read ahead, in order. */
  head: T[];
  /** True when the source ended while reading ahead. */
  done: boolean;
  /** A stream that yields `head` again, then the rest of the source. */
  stream: ReadableStream<T>;
}

/**
 * Reads chunks ahead until `enough(head)` holds or the source ends, and hands back a
 * stream that still yields every chunk. Used to look at an answer before committing to a
 * status: the first bytes (events or JSON?) and the first answer part (text or failure?).
 * An error while reading ahead rejects the promise; cancelling the returned stream
 * cancels the source.
 *
 * @example
 * ```ts
 * import { peek } from "./peek.ts";
 * const { head, stream } = await peek(ReadableStream.from(["a", "b"]));
 * console.log(head); // ["a"]
 * console.log(await Array.fromAsync(stream)); // ["a", "b"]
 * ```
 */
export async function peek<T>(
  source: ReadableStream<T>,
  enough: (head: T[]) => boolean = (head) => head.length > 0,
): Promise<Peeked<T>> {
  const reader = source.getReader();
  const head: T[] = [];
  let done = false;
  try {
    while (!enough(head)) {
      const result = await reader.read();
      if (result.done) {
        done = true;
        break;
      }
      head.push(result.value);
    }
  } catch (error) {
    reader.releaseLock();
    throw error;
  }
  const queued = [...head];
  const stream = new ReadableStream<T>({
    async pull(controller) {
      const next = queued.shift();
      if (next !== undefined) return controller.enqueue(next);
      const result = await reader.read();
      if (result.done) controller.close();
      else controller.enqueue(result.value);
    },
    cancel: (reason) => reader.cancel(reason),
  }, { highWaterMark: 0 });
  return { head, done, stream };
}
