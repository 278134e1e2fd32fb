/**
 * Send times carried inside the answer text: the timing upstream writes each piece as
 * `[t:<seq>:<ms since the epoch>]`, and a client finds those marks in whatever it
 * reads (AI Engine's SSE, plain text, OpenAI chunks all keep the ASCII as is), so the
 * arrival − send of every event is known on any path. Processes on one machine share
 * the clock; a constant offset between two of them cancels in "gateway − direct".
 *
 * @module
 */

/** Now, in ms since the epoch, with sub-millisecond precision. */
export function clockMs(): number {
  return performance.timeOrigin + performance.now();
}

/**
 * The text of piece `seq`, stamped with the time it is written.
 *
 * @example
 * ```ts
 * import { stamp } from "./event_clock.ts";
 * console.log(stamp(3)); // [t:3:1732525600123.456]
 * ```
 */
export function stamp(seq: number): string {
  return `[t:${seq}:${clockMs().toFixed(3)}]`;
}

const MAX_MARK_CHARS = 64;
const MARK = /\[t:(\d+):(\d+\.\d+)\]/g;

/**
 * Finds the stamps in a stream of text, however it is cut into chunks, and keeps the
 * latency (arrival − send) of the first sighting of each: the `end` event repeats
 * the whole reply, which must not count twice.
 *
 * @example
 * ```ts
 * import { ArrivalRecorder, stamp } from "./event_clock.ts";
 * const recorder = new ArrivalRecorder();
 * const text = stamp(0);
 * recorder.feed(text.slice(0, 5), performance.timeOrigin + performance.now());
 * recorder.feed(text.slice(5), performance.timeOrigin + performance.now());
 * console.log(recorder.count); // 1
 * ```
 */
export class ArrivalRecorder {
  /** Latencies in ms, in order of arrival. */
  readonly latencies: number[] = [];
  /** When the first stamp arrived (ms since the epoch), or null. */
  firstArrival: number | null = null;
  #seen = new Set<number>();
  #tail = "";

  /** How many distinct pieces arrived. */
  get count(): number {
    return this.#seen.size;
  }

  /** Reads a chunk of text that arrived at `arrival` (ms since the epoch). */
  feed(text: string, arrival: number): void {
    const buffer = this.#tail + text;
    let end = 0;
    for (const match of buffer.matchAll(MARK)) {
      end = match.index + match[0].length;
      const seq = Number(match[1]);
      if (this.#seen.has(seq)) continue;
      this.#seen.add(seq);
      this.firstArrival ??= arrival;
      this.latencies.push(arrival - Number(match[2]));
    }
    // No whole mark lies past `end`; keep enough of it for one cut by the chunk boundary.
    this.#tail = buffer.slice(Math.max(end, buffer.length - MAX_MARK_CHARS));
  }
}
