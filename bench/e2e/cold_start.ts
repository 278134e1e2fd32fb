/**
 * Cold starts with the page and the embed inside the bundle: the Workers bundle's gzip size,
 * and, median and least of `runs` fresh processes each (the least is the one a busy machine
 * disturbed least), the time to a first answer on bare workerd
 * (spawn → first /healthz, then the first `GET /`) and on Deno (import main.ts → first
 * /healthz, and → first `GET /`, in process: `cold_start_probe.ts`).
 *
 *   deno run -A bench/e2e/cold_start.ts [runs]
 *
 * @module
 */
import { median } from "./stats.ts";
import { startWorkerd } from "./workerd.ts";
import { buildWorkersBundle } from "./workers_bundle.ts";

const ROOT = new URL("../../", import.meta.url).pathname;
const runs = Number(Deno.args[0] ?? 5);

const bundle = await buildWorkersBundle();
if (bundle.module === null) throw new Error(bundle.error);
const gzipped = ReadableStream.from([await Deno.readFile(bundle.module)])
  .pipeThrough(new CompressionStream("gzip"));
let gzipBytes = 0;
for await (const chunk of gzipped) gzipBytes += chunk.byteLength;

const workerdHealthz: number[] = [];
const workerdPage: number[] = [];
for (let run = 0; run < runs; run++) {
  const start = performance.now();
  await using server = await startWorkerd({
    module: bundle.module,
    bindings: { AI_ENGINE_URL: "http://127.0.0.1:9", AI_ENGINE_BOTS: "default" },
  });
  workerdHealthz.push(performance.now() - start);
  const asked = performance.now();
  const page = await fetch(`${server.url}/`);
  await page.text();
  if (!page.ok) throw new Error(`GET / answered ${page.status}`);
  workerdPage.push(performance.now() - asked);
}

async function probe(path: string): Promise<number> {
  const output = await new Deno.Command(Deno.execPath(), {
    args: ["run", "--allow-env", "--allow-read", "bench/e2e/cold_start_probe.ts", path],
    cwd: ROOT,
    stderr: "inherit",
  }).output();
  const line = new TextDecoder().decode(output.stdout).trim().split("\n").at(-1) ?? "";
  return JSON.parse(line).firstAnswerMs;
}
await probe("/healthz"); // fills Deno's module cache: a cold start, not a first compile
const denoHealthz: number[] = [];
const denoPage: number[] = [];
for (let run = 0; run < runs; run++) {
  denoHealthz.push(await probe("/healthz"));
  denoPage.push(await probe("/"));
}

const ms = (values: number[]) => ({
  median: Number(median(values).toFixed(1)),
  least: Number(Math.min(...values).toFixed(1)),
});
console.log(JSON.stringify({
  gzipBytes,
  runs,
  workerd: { spawnToHealthzMs: ms(workerdHealthz), thenFirstPageMs: ms(workerdPage) },
  deno: { importToHealthzMs: ms(denoHealthz), importToPageMs: ms(denoPage) },
}));
