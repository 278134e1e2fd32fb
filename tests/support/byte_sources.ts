/**
 * Doubles of the pull-based sources the answer pipe reads (`ByteSource`), for tests that
 * must see what a stage asked of its source: how often it read, and whether and why it
 * cancelled.
 */
import type { ByteSource } from "../../lib/streams/byte_source.ts";

/** What a spied source was asked. */
export interface SourceRecord {
  /** Calls of `read()`. */
  reads: number;
  /** Calls of `cancel()`. */
  cancels: number;
  /** The reason of the last cancel, or the string "not cancelled". */
  cancelledWith: unknown;
  /** Reads that found the end (`null`). */
  ends: number;
  /** Resolves once the source is let go: cancelled, or read to its end. */
  released: Promise<void>;
}

/** `source`, with a record of its reads and cancels. */
export function spied(source: ByteSource): { source: ByteSource; record: SourceRecord } {
  const { promise: released, resolve: release } = Promise.withResolvers<void>();
  const record: SourceRecord = {
    reads: 0,
    cancels: 0,
    cancelledWith: "not cancelled",
    ends: 0,
    released,
  };
  return {
    source: {
      async read() {
        record.reads++;
        const bytes = await source.read();
        if (bytes === null) record.ends++, release();
        return bytes;
      },
      cancel(reason) {
        record.cancels++;
        record.cancelledWith = reason;
        release();
        return source.cancel(reason);
      },
    },
    record,
  };
}

/**
 * A source of `chunks`, then `then`: the end (`null`), or a read that rejects with the
 * error, again on every later read.
 */
export function sourceOf(
  chunks: readonly Uint8Array[],
  then: "end" | { error: unknown } = "end",
): ByteSource {
  let next = 0;
  let cancelled = false;
  return {
    read() {
      if (cancelled) return Promise.resolve(null);
      if (next < chunks.length) return Promise.resolve(chunks[next++]!);
      return then === "end" ? Promise.resolve(null) : Promise.reject(then.error);
    },
    cancel() {
      cancelled = true;
      return Promise.resolve();
    },
  };
}

/**
 * A source that never answers a read until it is cancelled; then the waiting read ends
 * (as a fetch body's does), with `null` or by rejecting with `onCancel`'s error.
 */
export function silentSource(onCancel: "end" | { error: unknown } = "end"): ByteSource {
  const waiting: ((bytes: null) => void)[] = [];
  const failing: ((error: unknown) => void)[] = [];
  return {
    read: () =>
      new Promise<null>((resolve, reject) => {
        waiting.push(resolve);
        failing.push(reject);
      }),
    cancel() {
      if (onCancel === "end") { for (const resolve of waiting.splice(0)) resolve(null); }
      else for (const reject of failing.splice(0)) reject(onCancel.error);
      return Promise.resolve();
    },
  };
}

const encoder = new TextEncoder();

/** The UTF-8 bytes of `text`. */
export function utf8(text: string): Uint8Array {
  return encoder.encode(text);
}
