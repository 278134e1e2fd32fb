/**
 * The wide-area bench's CPU table: CPU per answer of the raw pass-through and of the
 * gateway over the link, per runtime and pacing, with the ratio and its target.
 *
 * @module
 */
import type { CpuCell, CpuFigures, CpuSettings, Pacing } from "../e2e/cpu_figures.ts";
import { runtimeName } from "./first_text_table.ts";
import { RUNTIMES } from "./wide_area_servers.ts";

/** The CPU targets, gateway ÷ raw per answer (the end-to-end bench's). */
export const CPU_TARGETS: Record<Pacing, number> = { paced: 3, fast: 1 };

/** The CPU table and its note. */
export function cpuTable(cpu: CpuFigures, rttMs: number): string[] {
  const rows = [
    "| runtime | pacing | raw pass-through | gateway `/api/chat` | ratio (range) | target |",
    "| ------- | ------ | ---------------- | ------------------- | ------------- | ------ |",
  ];
  for (const runtime of RUNTIMES) {
    for (const pacing of ["paced", "fast"] as const) {
      const label = `${runtimeName(runtime)} | ${pacingName(pacing)}`;
      const skipped = cpu.skipped[runtime];
      if (skipped) {
        rows.push(`| ${label} | ${skipped} | — | — | — |`);
        continue;
      }
      const cells = cpu.cells[`${runtime} ${pacing}`] ?? {};
      const gateway = cells["/api/chat"];
      const range = gateway && gateway.ratios.length > 0
        ? ` (${Math.min(...gateway.ratios).toFixed(2)}–${Math.max(...gateway.ratios).toFixed(2)})`
        : "";
      rows.push(
        `| ${label} | ${cpuMs(cells.raw)} | ${cpuMs(gateway)} | ` +
          `${meanRatio(gateway).toFixed(2)}×${range} | ≤ ${CPU_TARGETS[pacing]}× |`,
      );
    }
  }
  rows.push("", cpuNote(cpu.settings, rttMs, cpu.reruns));
  return rows;
}

/** What the end-to-end bench calls fast, a burst: the site writes as fast as it can. */
export function pacingName(pacing: Pacing): string {
  return pacing === "fast" ? "burst" : "paced";
}

/** The mean of a cell's ratios to raw, each taken under the same load. */
export function meanRatio(cell: CpuCell | undefined): number {
  const ratios = cell?.ratios ?? [];
  return ratios.length === 0 ? NaN : ratios.reduce((a, b) => a + b, 0) / ratios.length;
}

function cpuNote(s: CpuSettings, rttMs: number, reruns: number): string {
  return `CPU (utime + stime of the serving process) per answer of ` +
    `${s.events.toLocaleString("en")} \`live\` events, over the ${rttMs} ms link, set-up ` +
    `(connections, TLS handshakes) included. Paced: a piece every ${s.pieceDelayMs} ms, every ` +
    `server at once, ${s.pacedWindows} windows of ${s.pacedAnswers} answers, ratio to raw in the ` +
    `same window. Burst: the site writes as fast as the link takes it; one server at a time, ` +
    `${s.fastRounds} round(s), each gateway measurement (≥ ${s.fastMinAnswers} answers, ` +
    `≥ ${s.fastMinCpuMs} ms of CPU) between two raw ones. ${reruns} noisy measurements rerun.`;
}

function cpuMs(cell: CpuCell | undefined): string {
  if (!cell) return "n/a";
  const value = cell.cpuMs / cell.answers;
  const failed = cell.errors > 0 ? `, **${cell.errors} failed**` : "";
  return `${value.toFixed(value < 10 ? 2 : 1)} ms${failed}`;
}
