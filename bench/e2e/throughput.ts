/**
 * Section 3: one long answer (20,000 events of 4 characters, written as fast as the
 * emulator can) read directly, through the raw pass-through proxy, and through the
 * gateway's two streaming routes, in interleaved rounds.
 *
 * @module
 */
import type { ServerProcess } from "./processes.ts";
import { type AnswerPath, type PathKind, readAnswerStream } from "./stream_client.ts";
import { swapLastTwo } from "./latency.ts";
import { median } from "./stats.ts";

/** Seconds to read the whole answer, per path, one entry per round. */
export type Durations = Partial<Record<PathKind, number[]>>;

/** What section 3 measured. */
export interface ThroughputFigures {
  events: number;
  seconds: Durations;
  /** Reads that failed or came back incomplete (should be none). */
  errors: number;
}

/** The emulator options for the long answer: `events` pieces of "abcd", unpaced. */
export function longAnswerOptions(events: number) {
  return { answer: "abcd".repeat(events), pieces: events, pieceDelayMs: 0 };
}

/** Runs section 3 against an emulator started with {@linkcode longAnswerOptions}. */
export async function measureThroughput(
  site: AnswerPath,
  proxy: ServerProcess,
  gateway: ServerProcess,
  events: number,
  rounds: number,
): Promise<ThroughputFigures> {
  const all: AnswerPath[] = [
    site,
    { kind: "raw proxy", url: proxy.url, nonce: site.nonce ?? "" },
    { kind: "/api/chat", url: gateway.url },
    { kind: "/v1/chat/completions", url: gateway.url },
  ];
  const figures: ThroughputFigures = { events, seconds: {}, errors: 0 };
  for (const path of all) await readAnswerStream(path, "warm up"); // JIT, connections
  for (let round = 0; round < rounds; round++) {
    // The gateway's first read after it idled costs more: its routes take turns at it.
    for (const path of round % 2 === 0 ? all : swapLastTwo(all)) {
      const result = await readAnswerStream(path, "Tell me a long story");
      // The text route's body is exactly the answer: 4 bytes per event.
      const short = path.kind === "/api/chat" && result.bytes !== events * 4;
      if (result.error || short) figures.errors++;
      (figures.seconds[path.kind] ??= []).push((result.endedAt - result.sentAt) / 1000);
    }
  }
  return figures;
}

/** Events per second of the median round. */
export function eventsPerSecond(figures: ThroughputFigures, kind: PathKind): number {
  return figures.events / median(figures.seconds[kind] ?? []);
}
