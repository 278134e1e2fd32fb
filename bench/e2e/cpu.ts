/**
 * Section 7: CPU per 1,000-event answer, in the serving process, on Deno (`deno serve`)
 * and on bare workerd (the wrangler bundle), for each face against a raw pass-through
 * (`raw_proxy.ts`, `raw_worker.js`). CPU is utime + stime from `/proc/<pid>/stat`,
 * request set-up included; every party is its own process, each face its own gateway.
 *
 * Two pacings, each against its own emulator (Apache's framing, 4-character pieces):
 * - paced: a piece every 2 ms, so every event is its own TCP read, as from a real model.
 *   Every server reads answers at the same time, in windows, so that the machine's
 *   load falls on all of them alike; a ratio is to raw in the same window.
 * - fast: the emulator writes as fast as the socket takes it. One server at a time,
 *   each gateway measurement between two raw ones; a ratio is to their mean. A
 *   measurement runs until its CPU is many clock ticks, so the tick does not matter.
 *
 * A window or triplet whose ratios disagree with the others is rerun (a bounded number
 * of times): the machine is shared.
 *
 * @module
 */
import { cpuMs, type ServerProcess, startScript, startServe } from "./processes.ts";
import { type AnswerPath, readAnswerStream } from "./stream_client.ts";
import { startWorkerd } from "./workerd.ts";
import type { WorkersBundle } from "./workers_bundle.ts";

/** The runtimes, pacings and faces measured. */
export const RUNTIMES = ["deno", "workerd"] as const;
export const PACINGS = ["paced", "fast"] as const;
export const FACES = ["raw", "/api/chat", "/v1/chat/completions", "/api/webhook"] as const;
export type Runtime = typeof RUNTIMES[number];
export type Pacing = typeof PACINGS[number];
export type Face = typeof FACES[number];
export type GatewayFace = Exclude<Face, "raw">;

/** How much is measured. */
export interface CpuSettings {
  events: number;
  pieceDelayMs: number;
  /** paced: windows, answers per server per window, extra windows allowed for noise. */
  pacedWindows: number;
  pacedAnswers: number;
  pacedReruns: number;
  /** fast: rounds, and per measurement at least this many answers and clock ticks. */
  fastRounds: number;
  fastMinAnswers: number;
  fastMaxAnswers: number;
  fastMinCpuMs: number;
  fastReruns: number;
}

/** One face on one runtime and pacing. */
export interface CpuCell {
  /** Total CPU over all answers counted, in ms, and how many answers. */
  cpuMs: number;
  answers: number;
  /** Ratio to raw per window (paced) or per bracketed measurement (fast). */
  ratios: number[];
  /** Answers that failed or came back incomplete. */
  errors: number;
}

/** Section 7's figures; a runtime that could not run says why. */
export interface CpuFigures {
  settings: CpuSettings;
  cells: Partial<Record<`${Runtime} ${Pacing}`, Partial<Record<Face, CpuCell>>>>;
  skipped: Partial<Record<Runtime, string>>;
  /** Windows or measurements rerun because they disagreed. */
  reruns: number;
}

/** A server measured: its face, process and the path the client reads. */
interface Candidate {
  runtime: Runtime;
  face: Face;
  server: ServerProcess;
  path: AnswerPath;
}

const NONCE = "benchnonce";
const MESSAGE = "Tell me a story";

/** Runs section 7; `bundle` is the Workers build that workerd serves. */
export async function measureCpu(
  settings: CpuSettings,
  bundle: WorkersBundle,
): Promise<CpuFigures> {
  const figures: CpuFigures = { settings, cells: {}, skipped: {}, reruns: 0 };
  if (bundle.module === null) figures.skipped.workerd = bundle.error;
  for (const pacing of PACINGS) {
    const delay = pacing === "paced" ? settings.pieceDelayMs : 0;
    await using emulator = await startScript("bench/e2e/emulator_server.ts", {
      EMULATOR_OPTIONS: JSON.stringify({
        answer: "abcd".repeat(settings.events),
        pieces: settings.events,
        pieceDelayMs: delay,
        nonce: NONCE,
      }),
    });
    const candidates = await startCandidates(emulator.url, bundle, figures);
    try {
      if (pacing === "paced") await measurePaced(candidates, figures);
      else await measureFast(candidates, figures);
    } finally {
      await Promise.all(candidates.map((candidate) => candidate.server.close()));
    }
  }
  return figures;
}

// One process per runtime and face: a face's CPU is then its process's.
async function startCandidates(
  siteUrl: string,
  bundle: WorkersBundle,
  figures: CpuFigures,
): Promise<Candidate[]> {
  const restUrl = `${siteUrl}/wp-json`;
  const gatewayEnv = { AI_ENGINE_URL: siteUrl, AI_ENGINE_NONCE: NONCE };
  const candidates: Candidate[] = [];
  for (const runtime of RUNTIMES) {
    if (figures.skipped[runtime]) continue;
    try {
      for (const face of FACES) {
        const server = await startServer(runtime, face, restUrl, gatewayEnv, bundle);
        const path: AnswerPath = face === "raw"
          ? { kind: "raw proxy", url: server.url, nonce: NONCE }
          : { kind: face, url: server.url };
        candidates.push({ runtime, face, server, path });
      }
    } catch (error) {
      figures.skipped[runtime] = `did not start: ${error}`;
      const started = candidates.filter((candidate) => candidate.runtime === runtime);
      await Promise.all(started.map((candidate) => candidate.server.close()));
      candidates.splice(candidates.length - started.length);
    }
  }
  return candidates;
}

function startServer(
  runtime: Runtime,
  face: Face,
  restUrl: string,
  gatewayEnv: Record<string, string>,
  bundle: WorkersBundle,
): Promise<ServerProcess> {
  const raw = face === "raw";
  if (runtime === "deno") {
    return raw
      ? startServe("bench/e2e/raw_proxy.ts", { UPSTREAM_REST_URL: restUrl })
      : startServe("main.ts", gatewayEnv);
  }
  if (bundle.module === null) throw new Error(bundle.error);
  return raw
    ? startWorkerd({
      module: new URL("raw_worker.js", import.meta.url).pathname,
      bindings: { UPSTREAM_REST_URL: restUrl },
    })
    : startWorkerd({ module: bundle.module, bindings: gatewayEnv });
}

/** CPU and outcome of `answers` answers read one after another from one server. */
interface Measurement {
  cpuMs: number;
  answers: number;
  errors: number;
}

// Reads answers until `enough` says so, checking the CPU every few answers; always
// bounded by `maxAnswers`.
async function measure(
  candidate: Candidate,
  events: number,
  maxAnswers: number,
  enough: (m: Measurement) => boolean = () => false,
): Promise<Measurement> {
  const pid = candidate.server.pid;
  const before = await cpuMs(pid);
  const m: Measurement = { cpuMs: 0, answers: 0, errors: 0 };
  while (m.answers < maxAnswers) {
    if (!(await readOne(candidate, events))) m.errors++;
    m.answers++;
    if (m.answers % 10 === 0 || m.answers === maxAnswers) {
      m.cpuMs = await cpuMs(pid) - before;
      if (enough(m)) break;
    }
  }
  m.cpuMs = await cpuMs(pid) - before;
  return m;
}

async function readOne(candidate: Candidate, events: number): Promise<boolean> {
  const result = await readAnswerStream(candidate.path, MESSAGE);
  if (result.error !== null) return false;
  // The text face's body is exactly the answer; the others carry it, and more.
  return candidate.face === "/api/chat" ? result.bytes === events * 4 : result.bytes > events * 4;
}

// Paced: every server at once, window after window; ratios within a runtime and window.
async function measurePaced(candidates: Candidate[], figures: CpuFigures): Promise<void> {
  const s = figures.settings;
  await Promise.all(candidates.map((candidate) => measure(candidate, s.events, 1))); // warm-up
  const windows: Measurement[][] = [];
  for (let w = 0; w < s.pacedWindows + s.pacedReruns; w++) {
    if (w >= s.pacedWindows && !disagree(windows.map((ms) => windowRatios(candidates, ms)))) {
      break;
    }
    if (w >= s.pacedWindows) figures.reruns++;
    windows.push(
      await Promise.all(
        candidates.map((candidate) => measure(candidate, s.events, s.pacedAnswers)),
      ),
    );
  }
  for (const ms of windows) {
    const ratios = windowRatios(candidates, ms);
    candidates.forEach((candidate, i) => record(figures, "paced", candidate, ms[i]!, ratios[i]!));
  }
}

function windowRatios(candidates: Candidate[], ms: Measurement[]): number[] {
  return candidates.map((candidate, i) => {
    const raw = candidates.findIndex((c) => c.runtime === candidate.runtime && c.face === "raw");
    return perAnswer(ms[i]!) / perAnswer(ms[raw]!);
  });
}

// Fast: one server at a time; each gateway face between two raw measurements.
async function measureFast(candidates: Candidate[], figures: CpuFigures): Promise<void> {
  const s = figures.settings;
  const enough = (m: Measurement) => m.answers >= s.fastMinAnswers && m.cpuMs >= s.fastMinCpuMs;
  const run = (candidate: Candidate) => measure(candidate, s.events, s.fastMaxAnswers, enough);
  for (const candidate of candidates) await measure(candidate, s.events, 5); // warm-up
  for (let round = 0; round < s.fastRounds; round++) {
    for (const runtime of RUNTIMES) {
      const raw = candidates.find((c) => c.runtime === runtime && c.face === "raw");
      if (!raw) continue;
      const faces = candidates.filter((c) => c.runtime === runtime && c.face !== "raw");
      if (round % 2 === 1) faces.reverse(); // no face is always first after raw
      let before = await run(raw);
      for (const candidate of faces) {
        for (let attempt = 0;; attempt++) {
          const m = await run(candidate);
          const after = await run(raw);
          const rawMs = [perAnswer(before), perAnswer(after)];
          before = after;
          const noisy = Math.max(...rawMs) / Math.min(...rawMs) > 1.35;
          if (noisy && attempt < s.fastReruns) {
            figures.reruns++;
            continue;
          }
          const ratio = perAnswer(m) / ((rawMs[0]! + rawMs[1]!) / 2);
          record(figures, "fast", candidate, m, ratio);
          record(figures, "fast", raw, after, 1);
          break;
        }
      }
    }
  }
}

// Windows disagree when some face's ratio differs by more than a quarter between two.
function disagree(windows: number[][]): boolean {
  if (windows.length < 2) return false;
  return windows[0]!.some((_, i) => {
    const ratios = windows.map((ratios) => ratios[i]!);
    return Math.max(...ratios) / Math.min(...ratios) > 1.25;
  });
}

function perAnswer(m: Measurement): number {
  return m.cpuMs / m.answers;
}

function record(
  figures: CpuFigures,
  pacing: Pacing,
  candidate: Candidate,
  m: Measurement,
  ratio: number,
): void {
  const cells = figures.cells[`${candidate.runtime} ${pacing}`] ??= {};
  const cell = cells[candidate.face] ??= { cpuMs: 0, answers: 0, ratios: [], errors: 0 };
  cell.cpuMs += m.cpuMs;
  cell.answers += m.answers;
  cell.errors += m.errors;
  if (candidate.face !== "raw") cell.ratios.push(ratio);
}
