/**
 * Sections 7 and 8 as Markdown tables: CPU per answer against raw, per runtime and
 * pacing, with what fits Workers Free's CPU limit; and the library against the original Python generator.
 *
 * @module
 */
import {
  type CpuCell,
  type CpuFigures,
  FACES,
  type GatewayFace,
  type Pacing,
  PACINGS,
  type Runtime,
  RUNTIMES,
} from "./cpu_figures.ts";
import type { LibraryFigures, Reading } from "./library_vs_python.ts";
import { median } from "./stats.ts";

const GATEWAY_FACES = FACES.filter((face) => face !== "raw") as GatewayFace[];
const TARGET = 3;
const AIM = 2;
/** Workers Free's CPU time per request. */
const WORKERS_FREE_CPU_MS = 10;

/** Section 7's table, its notes, and the Workers Free line. */
export function renderCpuTable(cpu: CpuFigures): string {
  const header = [
    "| # | CPU per answer | raw pass-through | `/api/chat` | `/v1/chat/completions` " +
    "| `/api/webhook` | target | met |",
    "| - | -------------- | ---------------- | ----------- | ---------------------- " +
    "| -------------- | ------ | --- |",
  ];
  const rows: string[] = [];
  for (const runtime of RUNTIMES) {
    for (const pacing of PACINGS) rows.push(cpuRow(cpu, runtime, pacing));
  }
  const s = cpu.settings;
  return [
    ...header,
    ...rows,
    "",
    `7: CPU (utime + stime of the serving process, /proc/<pid>/stat) per answer of ` +
    `${s.events.toLocaleString("en")} \`live\` events of 4 characters, request set-up ` +
    `included; one process per face; Deno is \`deno serve\`, workerd is bare \`workerd serve\` ` +
    `of the wrangler bundle (raw: \`raw_worker.js\`). Paced: a piece every ` +
    `${s.pieceDelayMs} ms; every server at once, ${s.pacedWindows} windows of ` +
    `${s.pacedAnswers} answers each (one more when windows disagree), ratio to raw in the ` +
    `same window. Fast: the emulator writes as fast as the socket takes it; one server at a ` +
    `time, ${s.fastRounds} rounds, each gateway measurement (≥ ${s.fastMinAnswers} answers ` +
    `and ≥ ${s.fastMinCpuMs} ms of CPU) between two raw ones, ratio to their mean. ` +
    `Cells: ms per answer (mean ratio to raw; range over windows or measurements). ` +
    `${cpu.reruns} noisy windows or measurements were rerun.`,
    workersFreeLine(cpu),
    "",
  ].join("\n");
}

function cpuRow(cpu: CpuFigures, runtime: Runtime, pacing: Pacing): string {
  const label = `${runtime === "deno" ? "Deno" : "workerd"}, ${pacing}`;
  const skipped = cpu.skipped[runtime];
  if (skipped) return `| 7 | ${label} | ${skipped} | — | — | — | ≤ ${TARGET}× raw | — |`;
  const cells = cpu.cells[`${runtime} ${pacing}`] ?? {};
  const raw = cells.raw;
  const ratios = GATEWAY_FACES.map((face) => meanRatio(cells[face]));
  const errors = FACES.reduce((sum, face) => sum + (cells[face]?.errors ?? 0), 0);
  const ok = errors === 0 && ratios.every((ratio) => ratio <= TARGET);
  const aim = ratios.every((ratio) => ratio <= AIM);
  const faceCells = GATEWAY_FACES.map((face, i) => faceCell(cells[face], ratios[i]!));
  const row = [
    "7",
    label,
    raw ? `${ms(perAnswer(raw))}${failed(raw)}` : "n/a",
    ...faceCells,
    `≤ ${TARGET}× raw (aim ${AIM}×)`,
    `${ok ? "yes" : "**no**"} (${AIM}×: ${aim ? "yes" : "no"})`,
  ];
  return `| ${row.join(" | ")} |`;
}

function faceCell(cell: CpuCell | undefined, ratio: number): string {
  if (!cell) return "n/a";
  const range = cell.ratios.length > 0
    ? `; ${Math.min(...cell.ratios).toFixed(2)}–${Math.max(...cell.ratios).toFixed(2)}`
    : "";
  return `${ms(perAnswer(cell))} (${ratio.toFixed(2)}×${range})${failed(cell)}`;
}

/** How long an answer fits Workers Free's CPU limit, by the workerd figures. */
function workersFreeLine(cpu: CpuFigures): string {
  if (cpu.skipped.workerd) return `Workers Free: not measured (workerd ${cpu.skipped.workerd}).`;
  const parts = PACINGS.map((pacing) => {
    const cells = cpu.cells[`workerd ${pacing}`] ?? {};
    const faces = GATEWAY_FACES.map((face) => {
      const cell = cells[face];
      const events = cell ? (WORKERS_FREE_CPU_MS * cpu.settings.events) / perAnswer(cell) : NaN;
      return `\`${face}\` ${Number.isFinite(events) ? Math.round(events) : "n/a"}`;
    });
    return `${pacing}: ${faces.join(", ")}`;
  });
  return `Workers Free (${WORKERS_FREE_CPU_MS} ms CPU per request): events of an answer per ` +
    `${WORKERS_FREE_CPU_MS} ms of CPU on workerd, set-up included: ${parts.join("; ")}.`;
}

/** Section 8's table and its note. */
export function renderLibraryTable(library: LibraryFigures): string {
  const header = [
    "| # | measure | original generator (Python, aiohttp) | `chat()` (Deno) | library speed ÷ Python " +
    "| target | met |",
    "| - | ------- | ----------------------------- | --------------- | -------------------- " +
    "| ------ | --- |",
  ];
  const events = library.events.toLocaleString("en");
  if (library.skipped !== null) {
    return [...header, `| 8 | ${events}-event answer | ${library.skipped} | — | — | ≥ 1× | — |`, ""]
      .join("\n");
  }
  const row = (what: string, of: (reading: Reading) => number) => {
    const python = median(library.python.map(of));
    const lib = median(library.library.map(of));
    const ratio = python / lib;
    const ok = ratio >= 1 && library.errors === 0;
    return `| 8 | ${events}-event answer, ${what} | ${ms(python)} | ${ms(lib)} | ` +
      `${ratio.toFixed(2)}× | ≥ 1× | ${ok ? "yes" : "**no**"} |`;
  };
  return [
    ...header,
    row("wall time", (reading) => reading.wallMs),
    row("CPU of the reading process", (reading) => reading.cpuMs),
    "",
    `8: the same emulator answer (fast, Apache framing) read by \`bench/python_reader.py\` ` +
    `(aiohttp \`async for line in response.content\`, \`json.loads\` per \`data:\` line) and ` +
    `by \`chat()\` from \`lib/mod.ts\`, each in its own warm process, taking turns; median ` +
    `of ${library.python.length} answers each; CPU is the reader's own (getrusage), wall is ` +
    `request sent → last text, so it cannot be shorter than the emulator takes to write ` +
    `the answer (row 3's direct read). ${library.errors} answers came back incomplete.`,
    "",
  ].join("\n");
}

// Each ratio compares measurements taken under the same load; their mean is the figure.
function meanRatio(cell: CpuCell | undefined): number {
  const ratios = cell?.ratios ?? [];
  return ratios.length === 0 ? NaN : ratios.reduce((a, b) => a + b, 0) / ratios.length;
}

function perAnswer(cell: CpuCell): number {
  return cell.cpuMs / cell.answers;
}

function failed(cell: CpuCell): string {
  return cell.errors > 0 ? `, **${cell.errors} failed**` : "";
}

function ms(value: number): string {
  if (!Number.isFinite(value)) return "n/a";
  return `${value.toFixed(value < 10 ? 2 : value < 100 ? 1 : 0)} ms`;
}
