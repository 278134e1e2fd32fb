/**
 * The MCP server's cost on workerd: for each Workers bundle given (paths to `main.js`), bare
 * workerd is started `rounds` times (interleaved); printed per bundle: spawn → first
 * `/healthz` answered, then the first and the next `/mcp` `tools/list` (ms, medians). A
 * bundle without `/mcp` shows its 404 time. Used for docs/performance.md, "The MCP server's
 * cost": `deno run -A bench/e2e/mcp_workerd_probe.ts base/main.js dist/main.js`.
 *
 * @module
 */
import { startWorkerd } from "./workerd.ts";

const bundles = Deno.args;
const rounds = 5;
const listTools = async (url: string) => {
  const start = performance.now();
  const response = await fetch(`${url}/mcp`, {
    method: "POST",
    headers: { accept: "application/json, text/event-stream", "content-type": "application/json" },
    body: JSON.stringify({ jsonrpc: "2.0", id: 1, method: "tools/list" }),
  });
  await response.text();
  return performance.now() - start;
};
const figures = new Map(bundles.map((bundle) => [bundle, [] as number[][]]));
for (let round = 0; round < rounds; round++) {
  for (const bundle of bundles) {
    const spawned = performance.now();
    await using worker = await startWorkerd({
      module: bundle,
      bindings: { AI_ENGINE_URL: "http://127.0.0.1:9", AI_ENGINE_BOTS: "default" },
    });
    const healthy = performance.now() - spawned;
    figures.get(bundle)!.push([healthy, await listTools(worker.url), await listTools(worker.url)]);
  }
}
const median = (values: number[]) => values.sort((a, b) => a - b)[Math.floor(values.length / 2)]!;
for (const [bundle, runs] of figures) {
  const [healthy, first, next] = [0, 1, 2].map((i) => median(runs.map((run) => run[i]!)));
  console.log(JSON.stringify({
    bundle,
    bytes: (await Deno.stat(bundle)).size,
    spawnToHealthyMs: Math.round(healthy!),
    firstMcpMs: Math.round(first! * 10) / 10,
    nextMcpMs: Math.round(next! * 10) / 10,
  }));
}
