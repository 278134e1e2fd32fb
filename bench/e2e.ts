/**
 * `deno task bench:e2e`: the gateway end to end on loopback, each party in its own
 * process (upstream, gateway or raw proxy, and this client), on Deno and, for the CPU
 * section, on bare workerd; prints its tables to stdout and writes them to
 * `bench/results/latest.md` with a latency chart (`bench/results/latency.svg`). See
 * `bench/e2e/report.ts` and `bench/e2e/cpu_report.ts` for what each row means.
 *
 * @module
 */
import { measureCpu } from "./e2e/cpu.ts";
import { measureFootprint } from "./e2e/footprint.ts";
import { latencyChart } from "./e2e/latency_chart.ts";
import { type LatencySettings, measureLatency } from "./e2e/latency.ts";
import { loadAverage, machineFacts } from "./e2e/machine.ts";
import { type RssGrowth, rssGrowth } from "./e2e/memory.ts";
import { startScript, startServe } from "./e2e/processes.ts";
import { measureLibraryVsPython } from "./e2e/library_vs_python.ts";
import { renderReport } from "./e2e/report.ts";
import { CPU_SETTINGS, UNLIMITED } from "./e2e/settings.ts";
import type { AnswerPath } from "./e2e/stream_client.ts";
import { longAnswerOptions, measureThroughput } from "./e2e/throughput.ts";
import { buildWorkersBundle } from "./e2e/workers_bundle.ts";

const SETTINGS: LatencySettings = {
  rounds: 6,
  eventsPerStream: 250,
  intervalMs: 4,
  firstTextRounds: 40,
  streams: 200,
  concurrentEvents: 60,
  concurrentIntervalMs: 50,
  rampMs: 1000,
  concurrentRounds: 2,
};
const LONG_ANSWER_EVENTS = 20_000;
const THROUGHPUT_ROUNDS = 4;
const LIBRARY_ROUNDS = 5;
const STREAMED_MIB = 50;
const COLD_STARTS = 5;
const NONCE = "benchnonce";
const RESULTS = new URL("results/", import.meta.url);

const started = performance.now();
const machine = await machineFacts();
progress("building the Workers bundle (deno task build:workers)");
const bundle = await buildWorkersBundle();
progress("1, 2, 5: latency per event, time to first text, concurrent streams");
const latency = await measureLatency(SETTINGS);
const emulatorEnv = {
  EMULATOR_OPTIONS: JSON.stringify({ ...longAnswerOptions(LONG_ANSWER_EVENTS), nonce: NONCE }),
};
await using emulator = await startScript("bench/e2e/emulator_server.ts", emulatorEnv);
const site: AnswerPath = { kind: "direct", url: `${emulator.url}/wp-json`, nonce: NONCE };
const gatewayEnv = { AI_ENGINE_URL: emulator.url, AI_ENGINE_NONCE: NONCE, ...UNLIMITED };
const proxyEnv = { UPSTREAM_REST_URL: site.url };
progress(`3: a ${LONG_ANSWER_EVENTS}-event answer`);
const throughput = await (async () => {
  await using proxy = await startServe("bench/e2e/raw_proxy.ts", proxyEnv);
  await using gateway = await startServe("main.ts", gatewayEnv);
  return await measureThroughput(site, proxy, gateway, LONG_ANSWER_EVENTS, THROUGHPUT_ROUNDS);
})();
progress(
  `8: the library and the original Python generator's reader, a ${LONG_ANSWER_EVENTS}-event answer`,
);
const library = await measureLibraryVsPython(
  emulator.url,
  NONCE,
  LONG_ANSWER_EVENTS,
  LIBRARY_ROUNDS,
);
progress(`4: RSS while ${STREAMED_MIB} MiB stream through fresh processes`);
const memory: RssGrowth[] = [];
for (const kind of ["raw proxy", "/api/chat", "/v1/chat/completions"] as const) {
  const raw = kind === "raw proxy";
  await using server = await startServe(raw ? "bench/e2e/raw_proxy.ts" : "main.ts", {
    ...(raw ? proxyEnv : gatewayEnv),
  });
  memory.push(await rssGrowth(server, { kind, url: server.url, nonce: NONCE }, STREAMED_MIB));
}
await emulator.close();
progress("7: CPU per 1,000-event answer, Deno and workerd, paced then fast");
const cpu = await measureCpu(CPU_SETTINGS, bundle);
progress("6: bundle size and cold start");
const footprint = await measureFootprint(COLD_STARTS, bundle);
machine.loadAfter = await loadAverage();

const report = renderReport({
  machine,
  settings: SETTINGS,
  latency,
  throughput,
  memory,
  footprint,
  cpu,
  library,
  seconds: (performance.now() - started) / 1000,
});
console.log(report);
await Deno.mkdir(RESULTS, { recursive: true });
await Deno.writeTextFile(
  new URL("latest.md", RESULTS),
  `# End-to-end bench\n\n${report}\n![Latency per event](latency.svg)\n`,
);
await Deno.writeTextFile(
  new URL("latency.svg", RESULTS),
  latencyChart([
    { title: "One stream at a time", series: seriesOf(latency.perEvent) },
    {
      title: `${SETTINGS.streams} concurrent streams`,
      series: seriesOf(Object.fromEntries(
        Object.entries(latency.concurrent).map(([kind, run]) => [kind, run?.latencies ?? []]),
      )),
    },
  ]),
);
progress("written: bench/results/latest.md, bench/results/latency.svg");

function seriesOf(byPath: Record<string, number[] | undefined>) {
  return Object.entries(byPath).map(([label, samples]) => ({ label, samples: samples ?? [] }));
}

function progress(message: string): void {
  console.error(`bench:e2e: ${message}`);
}
