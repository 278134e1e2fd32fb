/**
 * `Server-Timing` on every answer: the site's time to its answer headers (`site`) and the
 * gateway's time to the first text (`first-text`), so a slow site tells itself apart from
 * a slow gateway.
 */
import assert from "node:assert/strict";
import { startGateway, waitForLog } from "./gateway.ts";
import { post } from "./http_client.ts";

/** The metrics of a `Server-Timing` header, by name. */
function timings(response: Response): Record<string, number> {
  const header = response.headers.get("server-timing");
  assert.ok(header, "no Server-Timing header");
  const metrics: Record<string, number> = {};
  for (const metric of header.split(",")) {
    const [name, ...params] = metric.trim().split(";");
    const dur = params.find((param) => param.startsWith("dur="));
    metrics[name!] = Number(dur?.slice(4));
  }
  return metrics;
}

Deno.test("every answer says the site's time to headers and the gateway's to the first text", async (t) => {
  await using gw = await startGateway({}, { headersDelayMs: 150 });
  const faces: [string, unknown][] = [
    ["/api/chat", { message: "Hello" }],
    ["/v1/chat/completions", { messages: [{ role: "user", content: "Hello" }], stream: true }],
    ["/v1/chat/completions", { messages: [{ role: "user", content: "Hello" }] }],
    ["/api/webhook", { message: "Hello" }],
  ];
  for (const [path, body] of faces) {
    const streamed = (body as { stream?: boolean }).stream ? " (streamed)" : "";
    await t.step(`${path}${streamed}`, async () => {
      const started = performance.now();
      const response = await post(gw.base, path, body);
      const head = performance.now() - started;
      assert.equal(response.status, 200);
      const { site, "first-text": firstText } = timings(response);
      assert.ok(site! >= 145, `site;dur=${site} is less than the site's delay`);
      assert.ok(firstText! >= site!, `first-text;dur=${firstText} before site;dur=${site}`);
      assert.ok(firstText! <= head + 1, "first-text is later than the head it came in");
      await response.text();
      const id = response.headers.get("x-request-id");
      const line = await waitForLog(gw, (lines) => lines.find((line) => line.request_id === id));
      assert.equal(typeof line.site_ms, "number");
      assert.equal(typeof line.first_text_ms, "number");
    });
  }
});

Deno.test("a failure the site sent says its time too; a route that asks no site says nothing", async () => {
  await using gw = await startGateway();
  const failed = await post(gw.base, "/api/chat", { message: "Hello __fake:500" });
  assert.equal(failed.status, 502);
  assert.deepEqual(Object.keys(timings(failed)), ["site"]);
  await failed.body?.cancel();
  const health = await fetch(`${gw.base}/healthz`);
  assert.equal(health.headers.get("server-timing"), null);
  await health.body?.cancel();
});
