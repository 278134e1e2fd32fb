/**
 * Sections 1, 2 and 5: per-event latency, time to first text, and concurrent streams,
 * each read directly from the timing upstream and through the gateway's two streaming
 * routes (and, under concurrency, the raw proxy), interleaved so that background load
 * falls on every path alike.
 *
 * @module
 */
import { UNLIMITED } from "./settings.ts";
import { ArrivalRecorder } from "./event_clock.ts";
import { cpuMs, startScript, startServe } from "./processes.ts";
import { type AnswerPath, type PathKind, readAnswerStream } from "./stream_client.ts";
import { timingMessage } from "./timing_upstream.ts";

/** Samples per path. */
export type ByPath<T> = Partial<Record<PathKind, T>>;

/** One path under concurrent streams. */
export interface ConcurrentRun {
  latencies: number[];
  /** Streams that failed or lost events. */
  errors: number;
  /** CPU the serving process used per event, in µs (null for the direct read). */
  cpuPerEventUs: number | null;
}

/** What sections 1, 2 and 5 measured. */
export interface LatencyFigures {
  /** Section 1: arrival − send of every event, one stream at a time (ms). */
  perEvent: ByPath<number[]>;
  /** Section 2: request sent → first text arrived (ms). */
  firstText: ByPath<number[]>;
  /** Section 5: arrival − send under concurrent streams. */
  concurrent: ByPath<ConcurrentRun>;
  /** Sequential streams that failed or lost events (should be none). */
  errors: number;
}

/** How much of each is measured. */
export interface LatencySettings {
  rounds: number;
  eventsPerStream: number;
  intervalMs: number;
  firstTextRounds: number;
  streams: number;
  concurrentEvents: number;
  concurrentIntervalMs: number;
  /** The concurrent streams start one by one over this time, not all in the same instant. */
  rampMs: number;
  /** Rounds of concurrent streams per path, interleaved and pooled. */
  concurrentRounds: number;
}

const NONCE = "benchnonce";

/** Runs sections 1, 2 and 5 against a fresh timing upstream, gateway and raw proxy. */
export async function measureLatency(settings: LatencySettings): Promise<LatencyFigures> {
  await using upstream = await startScript("bench/e2e/timing_upstream.ts");
  const site: AnswerPath = { kind: "direct", url: `${upstream.url}/wp-json`, nonce: NONCE };
  await using gateway = await startServe("main.ts", {
    AI_ENGINE_URL: upstream.url,
    AI_ENGINE_NONCE: NONCE,
    ...UNLIMITED,
  });
  await using proxy = await startServe("bench/e2e/raw_proxy.ts", { UPSTREAM_REST_URL: site.url });
  const routes: AnswerPath[] = [
    { kind: "/api/chat", url: gateway.url },
    { kind: "/v1/chat/completions", url: gateway.url },
  ];
  const figures = await oneAtATime([site, ...routes], settings);
  const proxied: AnswerPath = { kind: "raw proxy", url: proxy.url, nonce: NONCE };
  figures.concurrent = await manyAtOnce([
    [site, null],
    [proxied, proxy.pid],
    ...routes.map((path): [AnswerPath, number] => [path, gateway.pid]),
  ], settings);
  return figures;
}

// Sections 1 and 2: one stream at a time, the paths taking turns.
async function oneAtATime(all: AnswerPath[], settings: LatencySettings): Promise<LatencyFigures> {
  const figures: LatencyFigures = { perEvent: {}, firstText: {}, concurrent: {}, errors: 0 };
  for (const path of all) await timedStream(path, 200, 0); // warm-up: JIT, connections
  for (let round = 0; round < settings.rounds; round++) {
    for (const path of all) {
      const run = await timedStream(path, settings.eventsPerStream, settings.intervalMs);
      (figures.perEvent[path.kind] ??= []).push(...run.latencies);
      if (!run.ok) figures.errors++;
    }
  }
  for (let round = 0; round < settings.firstTextRounds; round++) {
    for (const path of all) {
      const run = await timedStream(path, 1, 0);
      if (run.firstText === null) figures.errors++;
      else (figures.firstText[path.kind] ??= []).push(run.firstText);
    }
  }
  return figures;
}

// Section 5: each path under the same concurrent load, in turns; a serving gateway is
// warm, so a first, shorter round under that load is not counted.
async function manyAtOnce(
  servers: [AnswerPath, number | null][],
  settings: LatencySettings,
): Promise<ByPath<ConcurrentRun>> {
  const warmUp = { ...settings, concurrentEvents: Math.min(15, settings.concurrentEvents) };
  for (const [path, pid] of servers) await concurrentStreams(path, pid, warmUp);
  const runs: ByPath<ConcurrentRun> = {};
  for (let round = 0; round < settings.concurrentRounds; round++) {
    // The gateway's first round after it idled pays for its heap growing again: the two
    // routes take turns at being first.
    for (const [path, pid] of round % 2 === 0 ? servers : swapLastTwo(servers)) {
      const run = await concurrentStreams(path, pid, settings);
      const pooled = runs[path.kind];
      runs[path.kind] = pooled ? pool(pooled, run) : run;
    }
  }
  return runs;
}

/** The list with its last two items swapped: the gateway's routes, which come last. */
export function swapLastTwo<T>(items: T[]): T[] {
  return [...items.slice(0, -2), ...items.slice(-2).reverse()];
}

function pool(a: ConcurrentRun, b: ConcurrentRun): ConcurrentRun {
  const cpu = a.cpuPerEventUs === null || b.cpuPerEventUs === null
    ? null
    : (a.cpuPerEventUs + b.cpuPerEventUs) / 2;
  return {
    latencies: [...a.latencies, ...b.latencies],
    errors: a.errors + b.errors,
    cpuPerEventUs: cpu,
  };
}

interface TimedRun {
  ok: boolean;
  latencies: number[];
  /** Request sent → first stamp arrived, on the client's clock. */
  firstText: number | null;
}

async function timedStream(path: AnswerPath, events: number, intervalMs: number) {
  const recorder = new ArrivalRecorder();
  const result = await readAnswerStream(
    path,
    timingMessage(events, intervalMs),
    (text, arrival) => recorder.feed(text, arrival),
  );
  const first = recorder.firstArrival;
  return {
    ok: result.error === null && recorder.count === events,
    latencies: recorder.latencies,
    firstText: first === null ? null : first - result.sentAt,
  } satisfies TimedRun;
}

// The streams start one by one over the ramp, as visitors arrive, not in one instant;
// every event of every stream counts, the first ones included.
async function concurrentStreams(
  path: AnswerPath,
  serverPid: number | null,
  settings: LatencySettings,
): Promise<ConcurrentRun> {
  const { streams, concurrentEvents: events, concurrentIntervalMs: interval, rampMs } = settings;
  const cpuBefore = serverPid === null ? 0 : await cpuMs(serverPid);
  const runs = await Promise.all(Array.from({ length: streams }, async (_, i) => {
    await new Promise((resolve) => setTimeout(resolve, (i * rampMs) / streams));
    return timedStream(path, events, interval);
  }));
  const cpu = serverPid === null ? null : await cpuMs(serverPid) - cpuBefore;
  return {
    latencies: runs.flatMap((run) => run.latencies),
    errors: runs.filter((run) => !run.ok).length,
    cpuPerEventUs: cpu === null ? null : (cpu * 1000) / (streams * events),
  };
}
