/**
 * Section 7's two ways of measuring (see `cpu.ts`): paced, every server at once in
 * windows, a ratio to raw in the same window; fast, one server at a time, each gateway
 * measurement between two raw ones. Both rerun what disagrees, a bounded number of times.
 *
 * @module
 */
import {
  type Candidate,
  type CpuFigures,
  type CpuSettings,
  type Pacing,
  RUNTIMES,
} from "./cpu_figures.ts";
import { cpuMs } from "./processes.ts";
import { readAnswerStream } from "./stream_client.ts";

const MESSAGE = "Tell me a story";

/** The emulator's options for the answer CPU is measured on, at `pacing`. */
export function cpuAnswer(settings: CpuSettings, pacing: Pacing, nonce: string) {
  return {
    answer: "abcd".repeat(settings.events),
    pieces: settings.events,
    pieceDelayMs: pacing === "paced" ? settings.pieceDelayMs : 0,
    nonce,
  };
}

/** Measures `candidates` at `pacing`, then closes their servers, whatever happened. */
export async function measureThenClose(
  pacing: Pacing,
  candidates: Candidate[],
  figures: CpuFigures,
): Promise<void> {
  try {
    if (pacing === "paced") await measurePaced(candidates, figures);
    else await measureFast(candidates, figures);
  } finally {
    await Promise.all(candidates.map((candidate) => candidate.server.close()));
  }
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

/** Paced: every server at once, window after window; ratios within a runtime and window. */
export async function measurePaced(candidates: Candidate[], figures: CpuFigures): Promise<void> {
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

/** Fast: one server at a time; each gateway face between two raw measurements. */
export async function measureFast(candidates: Candidate[], figures: CpuFigures): Promise<void> {
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
