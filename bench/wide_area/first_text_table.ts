/**
 * The wide-area bench's first table: time to first text, warm and for a fresh process's
 * first answer, in ms and in round trips, and new connections per answer, for each link,
 * runtime and side.
 *
 * @module
 */
import { median } from "../e2e/stats.ts";
import type { FirstTextFigures, FirstTextSample, FirstTextSettings } from "./first_text.ts";
import { type Runtime, RUNTIMES } from "./wide_area_servers.ts";

/** One link's figures: per runtime, its figures or why it was not measured. */
export interface LinkFigures {
  rttMs: number;
  runtimes: Partial<Record<Runtime, FirstTextFigures | string>>;
}

/** The table and its note. */
export function firstTextTable(links: LinkFigures[], settings: FirstTextSettings): string[] {
  const rows = [
    "| runtime | round trip | side | first text, warm (p50) " +
    "| a fresh process's first answer (p50) | new connections per answer: warm / fresh |",
    "| ------- | ---------- | ---- | ---------------------- " +
    "| ------------------------------------ | ---------------------------------------- |",
  ];
  for (const link of links) {
    for (const runtime of RUNTIMES) {
      const measured = link.runtimes[runtime];
      const label = `${runtimeName(runtime)} | ${link.rttMs} ms`;
      if (typeof measured === "string") rows.push(`| ${label} | — | ${measured} | — | — |`);
      if (typeof measured !== "object") continue;
      for (const side of ["raw", "gateway"] as const) {
        const cell = (kind: "warm" | "fresh") => {
          const ms = p50(measured[kind][side]);
          const over = p50(measured[kind].gateway) - p50(measured[kind].raw);
          return inRtts(ms, link.rttMs) + (side === "raw" ? "" : overRaw(over, link.rttMs));
        };
        rows.push(
          `| ${label} | ${side === "raw" ? "raw pass-through" : "gateway `/api/chat`"} ` +
            `| ${cell("warm")} | ${cell("fresh")} ` +
            `| ${perAnswer(measured.warm[side])} / ${perAnswer(measured.fresh[side])} |`,
        );
      }
    }
  }
  const errors = links.flatMap((link) => Object.values(link.runtimes))
    .reduce((sum, f) => sum + (typeof f === "object" ? f.errors : 0), 0);
  rows.push("", note(settings, errors));
  return rows;
}

function note(s: FirstTextSettings, errors: number): string {
  return `Warm: ${s.warmUp} answers to warm up, then ${s.warmAnswers} per side, one after ` +
    `another, the sides taking turns. Fresh: ${s.freshAnswers} new processes per side, each ` +
    `ready (/healthz) before its first request; the gateway is given only the site's URL, so ` +
    `that answer includes its nonce (start_session). First text: request sent → the answer's ` +
    `first piece arrived at the client beside the server. Round trips: ms ÷ the link's. ` +
    `New connections: the link's count of connections accepted, per answer. ` +
    `${errors} answers failed.`;
}

/** How the report names a runtime. */
export function runtimeName(runtime: Runtime): string {
  return runtime === "deno" ? "Deno (`deno serve`)" : "workerd (bare)";
}

/** The median time to first text of `samples`, in ms. */
export function p50(samples: FirstTextSample[]): number {
  return median(samples.map((sample) => sample.ms));
}

/** The mean of new connections per answer over `samples`. */
export function meanConnections(samples: FirstTextSample[]): number {
  return samples.reduce((sum, sample) => sum + sample.connections, 0) / samples.length;
}

/** A difference with its sign, e.g. `+ 0.12`. */
export function signed(value: number): string {
  return `${value < 0 ? "−" : "+"} ${Math.abs(value).toFixed(2)}`;
}

function perAnswer(samples: FirstTextSample[]): string {
  return samples.length === 0 ? "—" : meanConnections(samples).toFixed(2);
}

function inRtts(ms: number, rttMs: number): string {
  if (!Number.isFinite(ms)) return "—";
  return `${ms.toFixed(1)} ms (${(ms / rttMs).toFixed(1)} RTT)`;
}

function overRaw(ms: number, rttMs: number): string {
  if (!Number.isFinite(ms)) return "";
  return `, raw ${ms < 0 ? "−" : "+"} ${Math.abs(ms).toFixed(1)} ms (${signed(ms / rttMs)} RTT)`;
}
