/**
 * Run in a fresh process: imports main.ts and asks it for /healthz (or the path given as
 * the first argument, e.g. `/` for the chat page), and prints how long that took (ms) from
 * the first line of this module. No server, no socket: the cost
 * of loading the gateway and answering once, as an edge runtime pays it.
 *
 * @module
 */
const start = performance.now();
const { default: app } = await import("../../main.ts");
const imported = performance.now();
const path = Deno.args[0] ?? "/healthz";
const response = await app.fetch(new Request(`http://127.0.0.1${path}`));
await response.text();
if (!response.ok) throw new Error(`${path} answered ${response.status}`);
const answered = performance.now();
console.log(JSON.stringify({ importMs: imported - start, firstAnswerMs: answered - start }));
