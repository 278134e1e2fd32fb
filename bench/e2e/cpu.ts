/**
 * Section 7: CPU per 1,000-event answer, in the serving process, on Deno (`deno serve`)
 * and on bare workerd (the wrangler bundle), for each face against a raw pass-through
 * (`raw_proxy.ts`, `raw_worker.js`). CPU is utime + stime from `/proc/<pid>/stat`,
 * request set-up included; every party is its own process, each face its own gateway.
 *
 * Two pacings, each against its own emulator (Apache's framing, 4-character pieces):
 * - paced: a piece every 2 ms, so every event is its own TCP read, as from a real model.
 *   Every server reads answers at the same time, in windows, so that the machine's
 *   load falls on all of them alike; a ratio is to raw in the same window.
 * - fast: the emulator writes as fast as the socket takes it. One server at a time,
 *   each gateway measurement between two raw ones; a ratio is to their mean. A
 *   measurement runs until its CPU is many clock ticks, so the tick does not matter.
 *
 * A window or triplet whose ratios disagree with the others is rerun (a bounded number
 * of times): the machine is shared.
 *
 * @module
 */
import {
  type Candidate,
  type CpuFigures,
  type CpuSettings,
  type Face,
  FACES,
  PACINGS,
  type Runtime,
  RUNTIMES,
} from "./cpu_figures.ts";
import { UNLIMITED } from "./settings.ts";
import { cpuAnswer, measureThenClose } from "./cpu_rounds.ts";
import { type ServerProcess, startScript, startServe } from "./processes.ts";
import type { AnswerPath } from "./stream_client.ts";
import { startWorkerd } from "./workerd.ts";
import type { WorkersBundle } from "./workers_bundle.ts";

const NONCE = "benchnonce";

/** Runs section 7; `bundle` is the Workers build that workerd serves. */
export async function measureCpu(
  settings: CpuSettings,
  bundle: WorkersBundle,
): Promise<CpuFigures> {
  const figures: CpuFigures = { settings, cells: {}, skipped: {}, reruns: 0 };
  if (bundle.module === null) figures.skipped.workerd = bundle.error;
  for (const pacing of PACINGS) {
    await using emulator = await startScript("bench/e2e/emulator_server.ts", {
      EMULATOR_OPTIONS: JSON.stringify(cpuAnswer(settings, pacing, NONCE)),
    });
    const candidates = await startCandidates(emulator.url, bundle, figures);
    await measureThenClose(pacing, candidates, figures);
  }
  return figures;
}

// One process per runtime and face: a face's CPU is then its process's.
async function startCandidates(
  siteUrl: string,
  bundle: WorkersBundle,
  figures: CpuFigures,
): Promise<Candidate[]> {
  const restUrl = `${siteUrl}/wp-json`;
  const gatewayEnv = { AI_ENGINE_URL: siteUrl, AI_ENGINE_NONCE: NONCE, ...UNLIMITED };
  const candidates: Candidate[] = [];
  for (const runtime of RUNTIMES) {
    if (figures.skipped[runtime]) continue;
    try {
      for (const face of FACES) {
        const server = await startServer(runtime, face, restUrl, gatewayEnv, bundle);
        const path: AnswerPath = face === "raw"
          ? { kind: "raw proxy", url: server.url, nonce: NONCE }
          : { kind: face, url: server.url };
        candidates.push({ runtime, face, server, path });
      }
    } catch (error) {
      figures.skipped[runtime] = `did not start: ${error}`;
      const started = candidates.filter((candidate) => candidate.runtime === runtime);
      await Promise.all(started.map((candidate) => candidate.server.close()));
      candidates.splice(candidates.length - started.length);
    }
  }
  return candidates;
}

function startServer(
  runtime: Runtime,
  face: Face,
  restUrl: string,
  gatewayEnv: Record<string, string>,
  bundle: WorkersBundle,
): Promise<ServerProcess> {
  const raw = face === "raw";
  if (runtime === "deno") {
    return raw
      ? startServe("bench/e2e/raw_proxy.ts", { UPSTREAM_REST_URL: restUrl })
      : startServe("main.ts", gatewayEnv);
  }
  if (bundle.module === null) throw new Error(bundle.error);
  return raw
    ? startWorkerd({
      module: new URL("raw_worker.js", import.meta.url).pathname,
      bindings: { UPSTREAM_REST_URL: restUrl },
    })
    : startWorkerd({ module: bundle.module, bindings: gatewayEnv });
}
