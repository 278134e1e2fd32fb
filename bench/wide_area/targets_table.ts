/**
 * The wide-area bench's targets, each with what this run measured and whether it met it:
 * per link and runtime, warm first text, connections per answer and a fresh process's
 * first answer against the raw pass-through; per runtime, CPU per answer over the link.
 *
 * @module
 */
import type { CpuFigures } from "../e2e/cpu_figures.ts";
import { meanConnections, p50, runtimeName, signed } from "./first_text_table.ts";
import type { LinkFigures } from "./first_text_table.ts";
import { CPU_TARGETS, meanRatio, pacingName } from "./link_cpu_table.ts";
import { type Runtime, RUNTIMES } from "./wide_area_servers.ts";

/** The targets of first text and connections. */
export const TARGETS = {
  /** Warm first text: gateway − raw, in round trips. */
  warmRtts: 0.25,
  /** New connections per answer in steady traffic. */
  connectionsPerAnswer: 0.1,
  /** A fresh process's first answer: gateway − raw's first, in round trips. */
  freshRtts: 1.25,
} as const;

/** The targets table; `cpuRttMs` is the link the CPU was measured over. */
export function targetTable(links: LinkFigures[], cpu: CpuFigures, cpuRttMs: number): string[] {
  const rows = [
    "| runtime | round trip | target | measured | met |",
    "| ------- | ---------- | ------ | -------- | --- |",
  ];
  const row = (runtime: Runtime, rttMs: number, target: string, value: string, ok: boolean) =>
    rows.push(
      `| ${runtimeName(runtime)} | ${rttMs} ms | ${target} | ${value} ` +
        `| ${ok ? "met" : "**not met**"} |`,
    );
  for (const link of links) {
    for (const runtime of RUNTIMES) {
      const f = link.runtimes[runtime];
      if (typeof f !== "object") continue;
      if (f.warm.gateway.length > 0) {
        const warm = (p50(f.warm.gateway) - p50(f.warm.raw)) / link.rttMs;
        const connections = meanConnections(f.warm.gateway);
        row(
          runtime,
          link.rttMs,
          `warm first text ≤ raw + ${TARGETS.warmRtts} RTT`,
          `raw ${signed(warm)} RTT`,
          warm <= TARGETS.warmRtts,
        );
        row(
          runtime,
          link.rttMs,
          `≤ ${TARGETS.connectionsPerAnswer} new connections per answer`,
          connections.toFixed(2),
          connections <= TARGETS.connectionsPerAnswer,
        );
      }
      const fresh = (p50(f.fresh.gateway) - p50(f.fresh.raw)) / link.rttMs;
      row(
        runtime,
        link.rttMs,
        `fresh first answer ≤ raw's + ${TARGETS.freshRtts} RTT`,
        `raw's ${signed(fresh)} RTT`,
        fresh <= TARGETS.freshRtts,
      );
    }
  }
  for (const runtime of RUNTIMES) {
    if (cpu.skipped[runtime]) continue;
    for (const pacing of ["paced", "fast"] as const) {
      const ratio = meanRatio(cpu.cells[`${runtime} ${pacing}`]?.["/api/chat"]);
      const target = CPU_TARGETS[pacing];
      const what = `CPU ${pacingName(pacing)} ≤ ${target}× raw`;
      row(runtime, cpuRttMs, what, `${ratio.toFixed(2)}×`, ratio <= target);
    }
  }
  return rows;
}
