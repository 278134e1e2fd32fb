/**
 * The library's side of section 8, in a process of its own: `chat()` from `lib/mod.ts`
 * reads one answer per line `go` on stdin, and prints per answer one JSON line with its
 * wall time and this process's CPU time (user + system, all threads) in ms, the text
 * pieces (several events read at once come as one) and characters read; the same protocol as `bench/python_reader.py`.
 *
 * `deno run --allow-net --allow-env bench/e2e/library_reader.ts SITE_URL NONCE MESSAGE`
 *
 * @module
 */
import { cpuUsage } from "node:process";
import { AiEngineSession, chat } from "../../lib/mod.ts";

const [site = "", nonce = "", message = ""] = Deno.args;
if (!site || !nonce || !message) throw new Error("Usage: library_reader.ts SITE_URL NONCE MESSAGE");
const session = new AiEngineSession({ restUrl: `${site}/wp-json`, nonce });

async function oneAnswer() {
  const wall = performance.now();
  const cpu = cpuUsage();
  let pieces = 0;
  let chars = 0;
  for await (
    const text of chat({ site, session, messages: [{ role: "user", content: message }] })
  ) {
    pieces++;
    chars += text.length;
  }
  const used = cpuUsage(cpu);
  return {
    wallMs: performance.now() - wall,
    cpuMs: (used.user + used.system) / 1000,
    pieces,
    chars,
  };
}

console.log(JSON.stringify({ ready: true }));
let pending = "";
for await (const text of Deno.stdin.readable.pipeThrough(new TextDecoderStream())) {
  const lines = (pending + text).split("\n");
  pending = lines.pop() ?? "";
  for (const line of lines) {
    if (line.trim() !== "go") Deno.exit(0);
    console.log(JSON.stringify(await oneAnswer()));
  }
}
