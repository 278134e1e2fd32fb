/**
 * Section 6: the size of main.ts bundled for Workers, gzipped, and its cold start.
 *
 * The bundle is wrangler's own (`workers_bundle.ts`), whose gzip size is what Cloudflare
 * counts. Where wrangler cannot run, the
 * figure comes from `deno bundle --platform browser` (esbuild, as wrangler uses), gzipped.
 *
 * @module
 */
import { freePort, untilHealthy } from "./processes.ts";
import { median } from "./stats.ts";
import type { WorkersBundle } from "./workers_bundle.ts";

const ROOT = new URL("../../", import.meta.url).pathname;

/** What section 6 measured. */
export interface FootprintFigures {
  /** Gzipped bytes of the Workers bundle, and what made it; null when bundling failed. */
  gzipBytes: number | null;
  bundler: "wrangler" | "deno bundle";
  /** Median ms, fresh process: import main.ts and answer /healthz in-process. */
  importAndAnswerMs: number;
  /** Median ms, fresh process: `deno serve main.ts` spawned → first /healthz over HTTP. */
  serveToHealthzMs: number;
  /** Fresh processes per cold-start figure. */
  runs: number;
}

/** Runs section 6 with `runs` fresh processes for each cold-start figure. */
export async function measureFootprint(
  runs: number,
  bundle: WorkersBundle,
): Promise<FootprintFigures> {
  const inProcess: number[] = [];
  const served: number[] = [];
  await probe(); // fill Deno's module cache once: a cold start, not a first-ever compile
  for (let run = 0; run < runs; run++) {
    inProcess.push(await probe());
    served.push(await serveToHealthz());
  }
  const wrangler = bundle.module === null ? null : bundle.gzipBytes;
  return {
    gzipBytes: wrangler ?? await denoBundleGzipBytes(),
    bundler: wrangler === null ? "deno bundle" : "wrangler",
    importAndAnswerMs: median(inProcess),
    serveToHealthzMs: median(served),
    runs,
  };
}

async function denoBundleGzipBytes(): Promise<number | null> {
  const args = ["bundle", "--quiet", "--platform", "browser", "main.ts"];
  const output = await new Deno.Command(Deno.execPath(), { args, cwd: ROOT, stderr: "null" })
    .output();
  if (!output.success || output.stdout.length === 0) return null;
  const gzipped = ReadableStream.from([output.stdout]).pipeThrough(new CompressionStream("gzip"));
  let bytes = 0;
  for await (const chunk of gzipped) bytes += chunk.byteLength;
  return bytes;
}

async function probe(): Promise<number> {
  const output = await new Deno.Command(Deno.execPath(), {
    args: ["run", "--allow-env", "--allow-read", "bench/e2e/cold_start_probe.ts"],
    cwd: ROOT,
    stderr: "null",
  }).output();
  const line = new TextDecoder().decode(output.stdout).trim().split("\n").at(-1) ?? "";
  return JSON.parse(line).firstAnswerMs;
}

async function serveToHealthz(): Promise<number> {
  const port = freePort();
  const start = performance.now();
  const child = new Deno.Command(Deno.execPath(), {
    args: ["serve", "--allow-net", "--allow-env", "--port", String(port), "main.ts"],
    cwd: ROOT,
    stdout: "null",
    stderr: "null",
  }).spawn();
  try {
    await untilHealthy(`http://127.0.0.1:${port}`, child);
    return performance.now() - start;
  } finally {
    child.kill("SIGTERM");
    await child.status;
  }
}
