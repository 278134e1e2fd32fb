/**
 * How much section 7 measures, shared by `deno task bench:e2e` and `deno task bench:cpu`.
 *
 * @module
 */
import type { CpuSettings } from "./cpu_figures.ts";

/**
 * Paced: 2 windows × 12 answers × about 2.2 s, every server at once. Fast: enough
 * answers per measurement that ±1 clock tick (10 ms) is under 3% of it.
 */
export const CPU_SETTINGS: CpuSettings = {
  events: 1000,
  pieceDelayMs: 2,
  pacedWindows: 2,
  pacedAnswers: 12,
  pacedReruns: 1,
  fastRounds: 2,
  fastMinAnswers: 20,
  fastMaxAnswers: 400,
  fastMinCpuMs: 400,
  fastReruns: 2,
};

/**
 * What a measured gateway is given beyond its site: one loopback client sends every
 * request, so the per-client limits for anonymous clients are off, or they would measure
 * themselves.
 */
export const UNLIMITED = {
  ANON_REQUESTS_PER_MINUTE: "off",
  ANON_CONCURRENT_ANSWERS: "off",
} as const;
