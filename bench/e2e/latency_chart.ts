/**
 * The latency distribution as a small self-contained SVG: for each path, the share of
 * events (y) that arrived within a latency (x, log scale), one panel per workload.
 *
 * @module
 */
import { percentile } from "./stats.ts";

/** One line of a panel. */
export interface Series {
  label: string;
  samples: readonly number[];
}

/** A panel: a title and its lines. */
export interface Panel {
  title: string;
  series: Series[];
}

const WIDTH = 360;
const HEIGHT = 220;
const MARGIN = { left: 44, right: 24, top: 28, bottom: 36 };
// One colour per path, the same in every panel.
const COLORS: Record<string, string> = {
  "direct": "#6b7280",
  "raw proxy": "#d97706",
  "/api/chat": "#2563eb",
  "/v1/chat/completions": "#dc2626",
};

/**
 * Renders the panels side by side.
 *
 * @example
 * ```ts
 * import { latencyChart } from "./latency_chart.ts";
 * const svg = latencyChart([{ title: "demo", series: [{ label: "a", samples: [0.2, 0.4, 1] }] }]);
 * console.log(svg.startsWith("<svg")); // true
 * ```
 */
export function latencyChart(panels: Panel[]): string {
  const width = WIDTH * panels.length;
  const body = panels.map((panel, i) => panelSvg(panel, i * WIDTH)).join("\n");
  return `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${HEIGHT}" ` +
    `viewBox="0 0 ${width} ${HEIGHT}" font-family="sans-serif" font-size="10">\n` +
    `<rect width="100%" height="100%" fill="white"/>\n${body}\n</svg>\n`;
}

function panelSvg(panel: Panel, dx: number): string {
  const all = panel.series.flatMap((series) => series.samples).filter((x) => x > 0);
  const lo = 10 ** Math.floor(Math.log10(Math.max(1e-3, percentile(all, 0.5))));
  const hi = 10 ** Math.ceil(Math.log10(Math.max(lo * 10, percentile(all, 99.9))));
  const plotW = WIDTH - MARGIN.left - MARGIN.right;
  const plotH = HEIGHT - MARGIN.top - MARGIN.bottom;
  const x = (ms: number) =>
    round(
      dx + MARGIN.left +
        plotW * (Math.log10(Math.min(hi, Math.max(lo, ms)) / lo) / Math.log10(hi / lo)),
    );
  const y = (share: number) => round(MARGIN.top + plotH * (1 - share));
  const parts = [`<text x="${dx + WIDTH / 2}" y="14" text-anchor="middle">${panel.title}</text>`];
  for (let decade = lo; decade <= hi * 1.0001; decade *= 10) {
    parts.push(
      `<line x1="${x(decade)}" y1="${y(0)}" x2="${x(decade)}" y2="${y(1)}" stroke="#e5e7eb"/>`,
      `<text x="${x(decade)}" y="${y(0) + 12}" text-anchor="middle">${
        Number(decade.toPrecision(1))
      } ms</text>`,
    );
  }
  for (const share of [0, 0.5, 0.99]) {
    parts.push(
      `<line x1="${x(lo)}" y1="${y(share)}" x2="${x(hi)}" y2="${y(share)}" stroke="#e5e7eb"/>`,
      `<text x="${x(lo) - 4}" y="${y(share) + 3}" text-anchor="end">${share * 100}%</text>`,
    );
  }
  panel.series.forEach((series, i) => {
    const color = COLORS[series.label] ?? "#059669";
    const points = cdfPoints(series.samples).map(([ms, share]) => `${x(ms)},${y(share)}`);
    parts.push(
      `<polyline fill="none" stroke="${color}" stroke-width="1.5" points="${points.join(" ")}"/>`,
      `<text x="${x(lo) + 6}" y="${
        MARGIN.top + 12 + i * 12
      }" fill="${color}">${series.label}</text>`,
    );
  });
  parts.push(
    `<text x="${dx + WIDTH / 2}" y="${HEIGHT - 4}" text-anchor="middle">` +
      `arrival − send per event (log scale); y: share of events</text>`,
  );
  return parts.join("\n");
}

function round(value: number): number {
  return Math.round(value * 10) / 10;
}

// At most ~200 points per line: the chart stays a few kilobytes.
function cdfPoints(samples: readonly number[]): [number, number][] {
  const sorted = [...samples].sort((a, b) => a - b);
  const step = Math.max(1, Math.floor(sorted.length / 200));
  const points: [number, number][] = [];
  for (let i = 0; i < sorted.length; i += step) points.push([sorted[i]!, (i + 1) / sorted.length]);
  if (sorted.length > 0) points.push([sorted.at(-1)!, 1]);
  return points;
}
