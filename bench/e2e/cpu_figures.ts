/**
 * What section 7 measures and what it finds: the runtimes, pacings and faces, the
 * settings, and the figures per cell. The CPU bench (`cpu.ts`), its two ways of
 * measuring (`cpu_rounds.ts`) and its report all share these types, and import nothing
 * of each other for them.
 *
 * @module
 */
import type { ServerProcess } from "./processes.ts";
import type { AnswerPath } from "./stream_client.ts";

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
export interface Candidate {
  runtime: Runtime;
  face: Face;
  server: ServerProcess;
  path: AnswerPath;
}
