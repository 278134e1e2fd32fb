/**
 * `deno task bench:cpu`: only the end-to-end bench's CPU section (7), for quick runs;
 * prints its table and writes nothing. `deno task bench:e2e` runs it among the rest.
 *
 * @module
 */
import { measureCpu } from "./e2e/cpu.ts";
import { renderCpuTable } from "./e2e/cpu_report.ts";
import { CPU_SETTINGS } from "./e2e/settings.ts";
import { buildWorkersBundle } from "./e2e/workers_bundle.ts";

console.error("bench:cpu: building the Workers bundle");
const bundle = await buildWorkersBundle();
console.error("bench:cpu: 7: CPU per answer, paced then fast");
console.log(renderCpuTable(await measureCpu(CPU_SETTINGS, bundle)));
