/**
 * The end-to-end results as a Markdown table, with the machine it ran on and which
 * targets were met. Every "added" figure is gateway minus direct, measured in the same
 * run; throughput is a ratio to the raw proxy measured in the same run.
 *
 * @module
 */
import type { CpuFigures } from "./cpu_figures.ts";
import { renderCpuTable, renderLibraryTable } from "./cpu_report.ts";
import type { FootprintFigures } from "./footprint.ts";
import type { LibraryFigures } from "./library_vs_python.ts";
import type { LatencyFigures, LatencySettings } from "./latency.ts";
import type { RssGrowth } from "./memory.ts";
import type { MachineFacts } from "./machine.ts";
import { median, percentile } from "./stats.ts";
import type { PathKind } from "./stream_client.ts";
import { eventsPerSecond, type ThroughputFigures } from "./throughput.ts";

/** Everything the report is made from. */
export interface Results {
  machine: MachineFacts;
  settings: LatencySettings;
  latency: LatencyFigures;
  throughput: ThroughputFigures;
  memory: RssGrowth[];
  footprint: FootprintFigures;
  cpu: CpuFigures;
  library: LibraryFigures;
  seconds: number;
}

const ROUTES = ["/api/chat", "/v1/chat/completions"] as const;
type Row = [string, string, string, string, string, string, string];

/** The report, in Markdown. */
export function renderReport(results: Results): string {
  const rows = [...latencyRows(results), ...throughputRows(results), ...memoryRows(results)];
  rows.push(...concurrencyRows(results), ...footprintRows(results));
  const table = [
    "| # | measure | baseline | `/api/chat` | `/v1/chat/completions` | target | met |",
    "| - | ------- | -------- | ----------- | ---------------------- | ------ | --- |",
    ...rows.map((row) => `| ${row.join(" | ")} |`),
  ];
  const { machine, settings: s } = results;
  return [
    `Machine: ${machine.cpu}, ${machine.cores} cores, ${machine.os}; Deno ${machine.deno}` +
    ` (V8 ${machine.v8}); load average ${machine.loadBefore} before, ${machine.loadAfter}` +
    ` after; ${machine.date}; the whole bench took ${results.seconds.toFixed(0)} s.`,
    "",
    ...table,
    "",
    `1–2: ${s.rounds} streams of ${s.eventsPerStream} events ${s.intervalMs} ms apart per path, ` +
    `then ${s.firstTextRounds} one-event answers per path, interleaved. ` +
    `5: ${s.streams} streams of ${s.concurrentEvents} events ${s.concurrentIntervalMs} ms apart ` +
    `(${Math.round(1000 / s.concurrentIntervalMs)} events/s each, ` +
    `${Math.round(s.streams * 1000 / s.concurrentIntervalMs)} events/s in all), started one ` +
    `by one over ${s.rampMs} ms, after one uncounted warm-up round; ${s.concurrentRounds} ` +
    `rounds per path, pooled. "Added" is the gateway's percentile minus the direct read's.`,
    `3: the emulator writes ${results.throughput.events.toLocaleString("en")} \`live\` events ` +
    `of 4 characters as fast as it can, one write each; request sent → body ended, median of ` +
    `${results.throughput.seconds.direct?.length ?? 0} interleaved rounds. ` +
    `4: a fresh process per column; peak RSS (sampled every 5 ms) minus RSS after one small ` +
    `answer. 5, CPU: the serving process's user + system time over the events it carried, ` +
    `request set-up included. 6: cold starts with Deno's module cache filled, median of ` +
    `${results.footprint.runs} fresh processes.`,
    "",
    renderCpuTable(results.cpu),
    renderLibraryTable(results.library),
  ].join("\n");
}

function latencyRows({ latency }: Results): Row[] {
  const rows: Row[] = [];
  for (const [p, target] of [[50, 0.5], [99, 2]] as const) {
    const direct = percentile(latency.perEvent.direct ?? [], p);
    const added = ROUTES.map((r) => percentile(latency.perEvent[r] ?? [], p) - direct);
    rows.push([
      "1",
      `added latency per event, p${p}`,
      `direct ${ms(direct)}`,
      ...plus(added),
      `≤ ${target} ms`,
      met(added.every((a) => a <= target) && latency.errors === 0),
    ]);
  }
  for (const p of [50, 99]) {
    const direct = percentile(latency.firstText.direct ?? [], p);
    const added = ROUTES.map((r) => percentile(latency.firstText[r] ?? [], p) - direct);
    rows.push([
      "2",
      `added time to first text, p${p}`,
      `direct ${ms(direct)}`,
      ...plus(added),
      "—",
      "—",
    ]);
  }
  return rows;
}

function throughputRows({ throughput }: Results): Row[] {
  const raw = eventsPerSecond(throughput, "raw proxy");
  const cell = (kind: PathKind) => {
    const rate = eventsPerSecond(throughput, kind);
    return `${seconds(throughput, kind)} (${(rate / raw).toFixed(2)}×)`;
  };
  const ratios = ROUTES.map((r) => eventsPerSecond(throughput, r) / raw);
  return [[
    "3",
    `${throughput.events.toLocaleString("en")}-event answer, time (ratio)`,
    `raw proxy ${seconds(throughput, "raw proxy")}; direct ${seconds(throughput, "direct")}`,
    cell("/api/chat"),
    cell("/v1/chat/completions"),
    "≥ 0.5× raw proxy",
    met(ratios.every((ratio) => ratio >= 0.5) && throughput.errors === 0),
  ]];
}

function memoryRows({ memory }: Results): Row[] {
  const growth = (kind: PathKind) => {
    const run = memory.find((m) => m.path === kind);
    return run ? run.peak - run.before : NaN;
  };
  const errors = memory.filter((m) => m.error !== null).length;
  const added = ROUTES.map(growth);
  return [[
    "4",
    "RSS growth while 50 MiB stream through",
    `raw proxy ${mb(growth("raw proxy"))}`,
    ...added.map(mb) as [string, string],
    "≤ 16 MB",
    met(added.every((bytes) => bytes <= 16e6) && errors === 0),
  ]];
}

function concurrencyRows({ latency, settings }: Results): Row[] {
  const run = (kind: PathKind) => latency.concurrent[kind];
  const p99 = (kind: PathKind) => percentile(run(kind)?.latencies ?? [], 99);
  const added = ROUTES.map((r) => p99(r) - p99("direct"));
  const errors = ROUTES.map((r) => run(r)?.errors ?? NaN);
  const cpu = (kind: PathKind) => `${(run(kind)?.cpuPerEventUs ?? NaN).toFixed(0)} µs`;
  const [rawAdded] = plus([p99("raw proxy") - p99("direct"), 0]);
  return [
    [
      "5",
      `${settings.streams} concurrent streams, added p99`,
      `direct ${ms(p99("direct"))}; raw proxy ${rawAdded}`,
      ...plus(added),
      "≤ 20 ms",
      met(added.every((a) => a <= 20)),
    ],
    [
      "5",
      `${settings.streams} concurrent streams, failed streams`,
      `direct ${run("direct")?.errors ?? "—"}; raw proxy ${run("raw proxy")?.errors ?? "—"}`,
      String(errors[0]),
      String(errors[1]),
      "0",
      met(errors.every((e) => e === 0)),
    ],
    [
      "5",
      "server CPU per event, under those streams",
      `raw proxy ${cpu("raw proxy")}`,
      cpu("/api/chat"),
      cpu("/v1/chat/completions"),
      "—",
      "—",
    ],
  ];
}

function footprintRows({ footprint: f }: Results): Row[] {
  const size = f.gzipBytes === null ? "n/a" : `${(f.gzipBytes / 1024).toFixed(1)} KiB`;
  return [
    [
      "6",
      "Workers bundle of main.ts, gzip",
      `made by ${f.bundler}`,
      size,
      "(same bundle)",
      "≤ 144 KiB",
      met(f.gzipBytes !== null && f.gzipBytes <= 144 * 1024),
    ],
    [
      "6",
      "cold start: import main.ts + first /healthz",
      `\`deno serve\` spawn → /healthz ${ms(f.serveToHealthzMs)}`,
      `${ms(f.importAndAnswerMs)} (in a fresh process)`,
      "(same app)",
      "—",
      "—",
    ],
  ];
}

function ms(value: number): string {
  if (!Number.isFinite(value)) return "n/a";
  return `${value.toFixed(value < 10 ? 2 : value < 100 ? 1 : 0)} ms`;
}

function plus(values: number[]): [string, string] {
  const cell = (v: number) => (v >= 0 ? "+" : "−") + ms(Math.abs(v));
  return [cell(values[0]!), cell(values[1]!)];
}

function mb(bytes: number): string {
  return Number.isFinite(bytes) ? `+${(bytes / 1e6).toFixed(1)} MB` : "n/a";
}

function seconds(figures: ThroughputFigures, kind: PathKind): string {
  const s = median(figures.seconds[kind] ?? []);
  const rate = figures.events / s;
  return `${s.toFixed(2)} s, ${Math.round(rate).toLocaleString("en")} ev/s`;
}

function met(ok: boolean): string {
  return ok ? "yes" : "**no**";
}
