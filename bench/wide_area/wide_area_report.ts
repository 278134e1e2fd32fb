/**
 * The wide-area bench's report, in Markdown: time to first text and connections per
 * answer for each runtime and round trip, the CPU per answer over the link, and every
 * target with whether this run met it.
 *
 * @module
 */
import type { CpuFigures } from "../e2e/cpu_figures.ts";
import type { MachineFacts } from "../e2e/machine.ts";
import type { FirstTextSettings } from "./first_text.ts";
import { firstTextTable, type LinkFigures } from "./first_text_table.ts";
import { cpuTable } from "./link_cpu_table.ts";
import { targetTable } from "./targets_table.ts";

/** Everything the report shows. */
export interface WideAreaFigures {
  machine: MachineFacts;
  firstText: FirstTextSettings;
  links: LinkFigures[];
  cpu: CpuFigures;
  cpuRttMs: number;
  seconds: number;
}

/** The whole report. */
export function renderWideArea(figures: WideAreaFigures): string {
  const m = figures.machine;
  return [
    `Run ${m.date} on ${m.cpu} (${m.cores} cores, ${m.os}), Deno ${m.deno}; load average ` +
    `${m.loadBefore} before, ${m.loadAfter} after; ${figures.seconds.toFixed(0)} s.`,
    "",
    "## Time to first text and connections",
    "",
    ...firstTextTable(figures.links, figures.firstText),
    "",
    "## CPU per answer over the link",
    "",
    ...cpuTable(figures.cpu, figures.cpuRttMs),
    "",
    "## Targets",
    "",
    ...targetTable(figures.links, figures.cpu, figures.cpuRttMs),
    "",
  ].join("\n");
}
