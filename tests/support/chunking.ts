/**
 * Ways to cut a stream's input into chunks, so each stage is tested whole, split at
 * random points and one unit at a time (as eventsource-parser's own tests do).
 *
 * The random cuts come from a seeded generator: every cut's `label` names its seed, and
 * an assertion message that carries the label is enough to replay a failure. Each run
 * adds one fresh seed to the fixed ones, so the cuts tried grow from run to run; set
 * `TEST_SEED` (with `--allow-env`) to replay one seed alone.
 */

/** One way of cutting an input, named for assertion messages. */
export interface Cut<T> {
  /** "whole", "split at 7 random points (seed 1234)", "one UTF-16 unit at a time", ... */
  label: string;
  /** A fresh stream of the chunks (a stream can be read only once). */
  stream(): ReadableStream<T>;
}

/** Seeds every run tries, chosen once; they keep a failure found with them reproducible. */
const FIXED_SEEDS = [1, 0x5eed, 20261124];

/** The seeds of this run: `TEST_SEED` alone when set, else the fixed ones and a fresh one. */
export const SEEDS: readonly number[] = seedsOfThisRun();

function seedsOfThisRun(): number[] {
  const given = envSeed();
  if (given !== null) return [given];
  return [...FIXED_SEEDS, crypto.getRandomValues(new Uint32Array(1))[0]!];
}

function envSeed(): number | null {
  // Reading the environment needs --allow-env; the fast test run grants only --allow-read.
  const permission = Deno.permissions.querySync({ name: "env", variable: "TEST_SEED" });
  if (permission.state !== "granted") return null;
  const value = Deno.env.get("TEST_SEED");
  return value ? Number(value) >>> 0 : null;
}

/** mulberry32: a small, fast, seeded generator of floats in [0, 1). */
export function seededRandom(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** An integer in [min, max], from `random`. */
export function randomInt(random: () => number, min: number, max: number): number {
  return min + Math.floor(random() * (max - min + 1));
}

/**
 * Cut positions for `length` units: `count` random points in [0, length], sorted. Equal
 * points make empty chunks, which a stage must take in its stride too.
 */
export function randomPoints(random: () => number, length: number, count: number): number[] {
  return Array.from({ length: count }, () => randomInt(random, 0, length)).sort((a, b) => a - b);
}

/** Slices anything sliceable at the given sorted positions. */
export function sliceAt<T extends { slice(start: number, end?: number): T }>(
  whole: T & { length: number },
  points: readonly number[],
): T[] {
  const pieces: T[] = [];
  let start = 0;
  for (const point of points) {
    pieces.push(whole.slice(start, point));
    start = point;
  }
  pieces.push(whole.slice(start));
  return pieces;
}

/** How many random points each seed cuts at: one, a few, and many (one by one covers the rest). */
function splitCounts(length: number): number[] {
  return [...new Set([1, 7, Math.max(1, Math.min(64, Math.floor(length / 3)))])];
}

function cutsOf<T extends { slice(start: number, end?: number): T; length: number }>(
  whole: T,
  unit: string,
  options: CutOptions,
): Cut<T>[] {
  const cuts: Cut<T>[] = [{ label: "whole", stream: () => ReadableStream.from([whole]) }];
  for (const seed of SEEDS) {
    for (const count of options.splitCounts ?? splitCounts(whole.length)) {
      const points = randomPoints(seededRandom(seed + count), whole.length, count);
      cuts.push({
        label: `split at ${count} random points (seed ${seed})`,
        stream: () => ReadableStream.from(sliceAt(whole, points)),
      });
    }
  }
  if (options.oneByOne ?? true) {
    cuts.push({
      label: `one ${unit} at a time`,
      stream: () =>
        ReadableStream.from(Array.from({ length: whole.length }, (_, i) => whole.slice(i, i + 1))),
    });
  }
  return cuts;
}

/** What to try beyond "whole"; the defaults suit inputs up to some kilobytes. */
export interface CutOptions {
  /** Random points per seed; by default 1, 7 and a third of the length (at most 64). */
  splitCounts?: number[];
  /** Also one unit at a time (default true; too slow for a megabyte). */
  oneByOne?: boolean;
}

/** Cuts of a string: whole, at random points, one UTF-16 code unit at a time. */
export function textCuts(text: string, options: CutOptions = {}): Cut<string>[] {
  return cutsOf(text, "UTF-16 unit", options);
}

/** Cuts of bytes: whole, at random points, one byte at a time. */
export function byteCuts(bytes: Uint8Array, options: CutOptions = {}): Cut<Uint8Array>[] {
  return cutsOf(bytes, "byte", options);
}

/**
 * Every cut of a text at both levels: the string's own cuts, and the cuts of its UTF-8
 * bytes decoded by `TextDecoderStream` (so a multi-byte character, an emoji, a BOM
 * splits across chunks). Given bytes, only the byte level. Byte-level labels start with
 * "bytes: ".
 */
export function allCuts(
  text: string | Uint8Array,
  options: CutOptions = {},
): Cut<string>[] {
  const bytes = typeof text === "string" ? new TextEncoder().encode(text) : text;
  const decoded = byteCuts(bytes, options).map((cut) => ({
    label: `bytes: ${cut.label}`,
    stream: () => cut.stream().pipeThrough(new TextDecoderStream()),
  }));
  return typeof text === "string" ? [...textCuts(text, options), ...decoded] : decoded;
}

/** What a stream yielded before it ended or failed. */
export interface Outcome<T> {
  values: T[];
  /** Whether it failed rather than closed. */
  failed: boolean;
  /** The error it failed with. */
  error?: unknown;
}

/** Reads a stream to its end and reports what came, and how it ended. */
export async function outcomeOf<T>(stream: ReadableStream<T>): Promise<Outcome<T>> {
  const values: T[] = [];
  try {
    for await (const value of stream) values.push(value);
    return { values, failed: false };
  } catch (error) {
    return { values, failed: true, error };
  }
}

/** A lazy source of `chunks` that counts its pulls and records its cancel reason. */
export function counted<T>(chunks: T[], then: "close" | { error: unknown } = "close") {
  const record = { pulls: 0, cancelledWith: "not cancelled" as unknown };
  const stream = new ReadableStream<T>({
    pull(controller) {
      const next = record.pulls++;
      if (next < chunks.length) controller.enqueue(chunks[next]!);
      else if (then === "close") controller.close();
      else controller.error(then.error);
    },
    cancel(reason) {
      record.cancelledWith = reason;
    },
  }, { highWaterMark: 0 });
  return { stream, record };
}
