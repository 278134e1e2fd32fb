/**
 * `deno task bench:wan`: the gateway against a distant AI Engine site, a TLS emulator
 * behind a delay link of a chosen round trip (`bench/wide_area/`), on Deno and on bare
 * workerd, each against a raw pass-through that keeps its connections, in the same run:
 * time to first text warm and for a fresh process's first answer, new connections per
 * answer, CPU per answer paced and burst, and the targets met or not. Prints its tables
 * and writes them to `bench/results/wide_area.md`. `--short` runs a few samples of each,
 * for trying a change (and writes nothing).
 *
 * @module
 */
import { makeCertificates } from "../tests/support/tls/test_ca.ts";
import type { CpuSettings } from "./e2e/cpu_figures.ts";
import { loadAverage, machineFacts } from "./e2e/machine.ts";
import { buildWorkersBundle } from "./e2e/workers_bundle.ts";
import { startDistantSite } from "./wide_area/distant_site.ts";
import {
  FIRST_TEXT_ANSWER,
  type FirstTextSettings,
  measureFirstText,
} from "./wide_area/first_text.ts";
import { measureWideAreaCpu } from "./wide_area/wide_area_cpu.ts";
import type { LinkFigures } from "./wide_area/first_text_table.ts";
import { renderWideArea } from "./wide_area/wide_area_report.ts";
import { RUNTIMES } from "./wide_area/wide_area_servers.ts";

const SHORT = Deno.args.includes("--short");
/** Round trips measured whole; then round trips where only fresh processes are timed. */
const RTTS_MS = [1, 40];
const FRESH_ONLY_RTTS_MS = SHORT ? [] : [150];
const FIRST_TEXT: FirstTextSettings = SHORT
  ? { warmUp: 2, warmAnswers: 4, freshAnswers: 2 }
  : { warmUp: 3, warmAnswers: 20, freshAnswers: 5 };
/** The link CPU is measured over: its round trip only sets how long answers take. */
const CPU_RTT_MS = 40;
const CPU: CpuSettings = {
  events: 1000,
  pieceDelayMs: 2,
  pacedWindows: 2,
  pacedAnswers: SHORT ? 2 : 5,
  pacedReruns: SHORT ? 0 : 1,
  fastRounds: 1,
  fastMinAnswers: SHORT ? 5 : 20,
  fastMaxAnswers: 400,
  fastMinCpuMs: SHORT ? 50 : 300,
  fastReruns: SHORT ? 0 : 1,
};
const RESULTS = new URL("results/", import.meta.url);

const started = performance.now();
const machine = await machineFacts();
progress("building the Workers bundle (deno task build:workers)");
const bundle = await buildWorkersBundle();
const certificates = await makeCertificates(
  await Deno.makeTempDir({ dir: "/tmp", prefix: "mwai-wan-ca-" }),
);
try {
  const links: LinkFigures[] = [];
  for (const rttMs of [...RTTS_MS, ...FRESH_ONLY_RTTS_MS]) {
    const settings = RTTS_MS.includes(rttMs)
      ? FIRST_TEXT
      : { ...FIRST_TEXT, warmUp: 0, warmAnswers: 0 };
    await using site = await startDistantSite(FIRST_TEXT_ANSWER, certificates, rttMs);
    const link: LinkFigures = { rttMs, runtimes: {} };
    for (const runtime of RUNTIMES) {
      progress(`first text and connections, ${runtime}, round trip ${rttMs} ms`);
      if (runtime === "workerd" && bundle.module === null) {
        link.runtimes.workerd = bundle.error;
        continue;
      }
      const setting = { siteUrl: site.url, certificates, bundle };
      link.runtimes[runtime] = await measureFirstText(runtime, site, setting, settings)
        .catch((error) => `not measured: ${error}`);
    }
    links.push(link);
  }
  progress(`CPU per answer over the ${CPU_RTT_MS} ms link, paced then burst`);
  const cpu = await measureWideAreaCpu(CPU, certificates, bundle, CPU_RTT_MS);
  machine.loadAfter = await loadAverage();
  const report = renderWideArea({
    machine,
    firstText: FIRST_TEXT,
    links,
    cpu,
    cpuRttMs: CPU_RTT_MS,
    seconds: (performance.now() - started) / 1000,
  });
  console.log(report);
  if (!SHORT) {
    await Deno.mkdir(RESULTS, { recursive: true });
    await Deno.writeTextFile(new URL("wide_area.md", RESULTS), `# Wide-area bench\n\n${report}`);
    progress("written: bench/results/wide_area.md");
  }
} finally {
  await Deno.remove(certificates.dir, { recursive: true });
}

function progress(message: string): void {
  console.error(`bench:wan: ${message}`);
}
