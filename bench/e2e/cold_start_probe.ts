/**
 * Run in a fresh process: imports main.ts and asks it for /healthz, and prints how long
 * that took (ms) from the first line of this module. No server, no socket: the cost
 * of loading the gateway and answering once, as an edge runtime pays it.
 *
 * @module
 */
const start = performance.now();
const { default: app } = await import("../../main.ts");
const imported = performance.now();
const response = await app.fetch(new Request("http://127.0.0.1/healthz"));
await response.text();
if (!response.ok) throw new Error(`/healthz answered ${response.status}`);
const answered = performance.now();
console.log(JSON.stringify({ importMs: imported - start, firstAnswerMs: answered - start }));
