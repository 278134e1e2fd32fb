/**
 * Section 4: how much the resident set of a fresh gateway process grows while 50 MiB
 * of answer (4 KiB events, the emulator's `__fake:huge:50`) stream through each of its
 * streaming routes, against a fresh raw proxy doing the same. RSS is sampled every 5 ms
 * from `/proc`; growth is the peak minus the level after a warm-up answer.
 *
 * @module
 */
import { sampleRss, type ServerProcess } from "./processes.ts";
import { type AnswerPath, readAnswerStream } from "./stream_client.ts";

/** One process's RSS growth for one route. */
export interface RssGrowth {
  path: AnswerPath["kind"];
  /** RSS after a warm-up answer, before the big one (bytes). */
  before: number;
  /** Peak RSS while the big answer streamed (bytes). */
  peak: number;
  /** Bytes the client received. */
  bytes: number;
  error: string | null;
}

/** Streams `mib` MiB through `path` on `server` and samples its RSS meanwhile. */
export async function rssGrowth(
  server: ServerProcess,
  path: AnswerPath,
  mib: number,
): Promise<RssGrowth> {
  const warm = await readAnswerStream(path, "Hello");
  if (warm.error) throw new Error(`Warm-up through ${path.kind} failed: ${warm.error}`);
  const sampler = sampleRss(server.pid);
  await new Promise((resolve) => setTimeout(resolve, 200));
  while (sampler.latest === 0) await new Promise((resolve) => setTimeout(resolve, 10));
  const before = sampler.latest;
  sampler.resetPeak();
  const result = await readAnswerStream(path, `__fake:huge:${mib}`);
  await new Promise((resolve) => setTimeout(resolve, 20)); // one more sample after the end
  const peak = sampler.peak;
  await sampler.stop();
  const expected = mib * 1024 * 1024;
  const error = result.error ??
    (path.kind === "/api/chat" && result.bytes !== expected
      ? `${result.bytes} bytes, not ${expected}`
      : null);
  return { path: path.kind, before, peak, bytes: result.bytes, error };
}
