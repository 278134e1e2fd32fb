/**
 * `deno run -A bench/read_floor.ts [pieceDelayMs]`: the floor of a gateway on `fetch`, on
 * Deno (`deno serve`) and on bare workerd: CPU per 1,000-event answer (Apache's framing,
 * two HTTP chunks per event) of a raw pass-through, of reading every chunk in JavaScript
 * with one write at the end, and of reading every chunk with one write per event (see
 * `e2e/read_floor_worker.js`); then whether a read of a buffered body settles within
 * microtasks or before a 0 ms timer. Fast (the site writes as fast as it can) unless
 * `pieceDelayMs` paces it. Prints a table; writes nothing.
 *
 * @module
 */
import { submitBody } from "../lib/ai_engine/submit.ts";
import { rawHttp } from "../tests/support/http1/raw_client.ts";
import { cpuMs, type ServerProcess, startScript, startServe } from "./e2e/processes.ts";
import { startWorkerd } from "./e2e/workerd.ts";

const NONCE = "benchnonce";
const EVENTS = 1000;
const PATHS = ["/raw", "/read", "/write-each-event"] as const;
const pieceDelayMs = Number(Deno.args[0] ?? 0);
/** Answers per measurement, and rounds of raw and the others, in turn. */
const ANSWERS = pieceDelayMs > 0 ? 6 : 40;
const ROUNDS = 3;
const WORKER = new URL("e2e/read_floor_worker.js", import.meta.url).pathname;

await using site = await startScript("bench/e2e/emulator_server.ts", {
  EMULATOR_OPTIONS: JSON.stringify({
    answer: "abcd".repeat(EVENTS),
    pieces: EVENTS,
    pieceDelayMs,
    nonce: NONCE,
  }),
});
const restUrl = `${site.url}/wp-json`;
console.log(`| runtime | ${PATHS.join(" | ")} | reads settled: microtasks / 0 ms timer / later |`);
console.log(`| - | ${PATHS.map(() => "-").join(" | ")} | - |`);
for (const runtime of ["deno", "workerd"] as const) {
  await using server = runtime === "deno"
    ? await startServe(WORKER, { UPSTREAM_REST_URL: restUrl })
    : await startWorkerd({ module: WORKER, bindings: { UPSTREAM_REST_URL: restUrl } });
  const cpu: Record<string, number[]> = {};
  for (const path of PATHS) await answer(server, path); // warm-up
  for (let round = 0; round < ROUNDS; round++) {
    for (const path of PATHS) (cpu[path] ??= []).push(await cpuPerAnswer(server, path));
  }
  const raw = median(cpu["/raw"]!);
  const cells = PATHS.map((path) => {
    const ms = median(cpu[path]!);
    return path === "/raw"
      ? `${ms.toFixed(1)} ms`
      : `${ms.toFixed(1)} ms (${(ms / raw).toFixed(2)}×)`;
  });
  const settles = JSON.parse(await answer(server, "/settles"));
  console.log(
    `| ${runtime} | ${
      cells.join(" | ")
    } | ${settles.microtasks} / ${settles.timer} / ${settles.later} |`,
  );
}

async function cpuPerAnswer(server: ServerProcess, path: string): Promise<number> {
  const before = await cpuMs(server.pid);
  for (let i = 0; i < ANSWERS; i++) await answer(server, path);
  return (await cpuMs(server.pid) - before) / ANSWERS;
}

/** One answer from `path`, read to its end; its body as text. */
async function answer(server: ServerProcess, path: string): Promise<string> {
  const url = new URL(path, server.url);
  const body = submitBody({ botId: "default", messages: [{ role: "user", content: "Hi" }] });
  const utf8 = new TextDecoder();
  let text = "";
  await rawHttp(url.origin, {
    method: "POST",
    target: url.pathname,
    headers: {
      host: url.host,
      connection: "close",
      "content-type": "application/json",
      "x-wp-nonce": NONCE,
    },
    body,
  }, { onBody: (chunk) => text += utf8.decode(chunk, { stream: true }), keepReads: false });
  return text;
}

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)]!;
}
