import assert from "node:assert/strict";
import { AiEngineError } from "../../lib/ai_engine/ai_engine_error.ts";
import { HttpError, toHttpError } from "../../lib/gateway/http_error.ts";
import { type LogLine, RequestLog } from "../../lib/gateway/request_log.ts";

const encoder = new TextEncoder();

/** A log for `POST /v1/chat/completions` and the lines it wrote. */
function logged(requestId: string | null = null) {
  const lines: string[] = [];
  const log = new RequestLog("POST", "/v1/chat/completions", (line) => lines.push(line), requestId);
  return { log, lines, parsed: () => lines.map((line) => JSON.parse(line) as LogLine) };
}

/** A body that sends `chunks`, each after `delayMs`. */
function slowBody(chunks: string[], delayMs: number): ReadableStream<Uint8Array> {
  let index = 0;
  return new ReadableStream<Uint8Array>({
    async pull(controller) {
      await new Promise((resolve) => setTimeout(resolve, delayMs));
      const chunk = chunks[index++];
      if (chunk === undefined) controller.close();
      else controller.enqueue(encoder.encode(chunk));
    },
  });
}

const BASE_KEYS = [
  "bytes",
  "duration_ms",
  "error",
  "events",
  "method",
  "request_id",
  "route",
  "status",
  "time",
  "ttfb_ms",
  "upstream_status",
];

Deno.test("RequestLog writes one line when the body has been sent, not before", async () => {
  const { log, lines, parsed } = logged();
  const response = log.track(new Response("hello", { status: 201 }));
  assert.equal(lines.length, 0);
  assert.equal(await response.text(), "hello");
  assert.equal(lines.length, 1);
  const [line] = parsed() as [LogLine];
  assert.deepEqual(Object.keys(line).sort(), BASE_KEYS);
  assert.equal(line.method, "POST");
  assert.equal(line.route, "/v1/chat/completions");
  assert.equal(line.status, 201);
  assert.equal(line.bytes, 5);
  assert.equal(line.request_id, null);
  assert.equal(line.upstream_status, null);
  assert.equal(line.events, 0);
  assert.equal(line.error, null);
  assert.ok(!Number.isNaN(Date.parse(line.time)), line.time);
});

Deno.test("RequestLog counts every byte of a body in several chunks, and the time to the first", async () => {
  const { log, parsed } = logged();
  const response = log.track(new Response(slowBody(["ab", "cdé", "f"], 30)));
  assert.equal(await response.text(), "abcdéf");
  const [line] = parsed() as [LogLine];
  assert.equal(line.bytes, 7);
  assert.ok(line.ttfb_ms !== null && line.ttfb_ms >= 25, `ttfb ${line.ttfb_ms}`);
  assert.ok(line.duration_ms >= line.ttfb_ms + 50, `duration ${line.duration_ms}`);
});

Deno.test("RequestLog keeps the response's status and headers when it counts the body", async () => {
  const { log } = logged();
  const response = log.track(
    new Response("x", { status: 418, headers: { "x-request-id": "r1", "content-type": "a/b" } }),
  );
  assert.equal(response.status, 418);
  assert.equal(response.headers.get("x-request-id"), "r1");
  assert.equal(response.headers.get("content-type"), "a/b");
  await response.body?.cancel();
});

Deno.test("RequestLog writes one line when the client cancels the body, with what was sent", async () => {
  const { log, lines, parsed } = logged();
  const response = log.track(new Response(slowBody(["abc", "def", "ghi"], 5)));
  const reader = response.body!.getReader();
  assert.equal(new TextDecoder().decode((await reader.read()).value), "abc");
  await reader.cancel();
  assert.equal(lines.length, 1);
  const [line] = parsed() as [LogLine];
  assert.equal(line.bytes, 3);
  assert.equal(line.error, "client_closed");
  assert.equal(line.status, 200);
});

Deno.test("RequestLog takes a cancel's reason by its code or type, and keeps a failure already set", async () => {
  const reasons: [unknown, string][] = [
    [
      new HttpError(504, "x", { type: "upstream_error", code: "upstream_timeout" }),
      "upstream_timeout",
    ],
    [new AiEngineError("truncated", "x"), "truncated"],
    [new Error("anything"), "client_closed"],
  ];
  for (const [reason, code] of reasons) {
    const { log, parsed } = logged();
    await log.track(new Response("hello")).body!.cancel(reason);
    assert.equal(parsed()[0]?.error, code);
  }
  const { log, parsed } = logged();
  log.error = "upstream_failed";
  await log.track(new Response("hello")).body!.cancel();
  assert.equal(parsed()[0]?.error, "upstream_failed");
});

Deno.test("RequestLog logs a response whose body is not sent (HEAD) at once, as it is", () => {
  const { log, lines, parsed } = logged();
  const original = new Response("not sent", { status: 200 });
  const response = log.track(original, false);
  assert.equal(response, original);
  assert.equal(lines.length, 1);
  const [line] = parsed() as [LogLine];
  assert.equal(line.bytes, 0);
  assert.equal(line.ttfb_ms, null);
});

Deno.test("RequestLog logs a response without a body at once", () => {
  const { log, parsed } = logged();
  log.track(new Response(null, { status: 204 }));
  assert.deepEqual(parsed().map((line) => [line.status, line.bytes, line.ttfb_ms]), [[
    204,
    0,
    null,
  ]]);
});

Deno.test("RequestLog.failed sets the failure's code and no detail for a non-internal error", async () => {
  const { log, parsed } = logged();
  const error = toHttpError(new AiEngineError("rate_limited", "Rate limit reached"));
  log.failed(error);
  assert.equal(log.error, "rate_limit_exceeded");
  assert.equal(log.detail, null);
  await log.track(error.getResponse()).text();
  const [line] = parsed() as [LogLine];
  assert.equal(line.error, "rate_limit_exceeded");
  assert.equal(line.status, 429);
  assert.ok(!("detail" in line));
});

Deno.test("RequestLog.failed gives an internal error a detail: its cause's name and message", async () => {
  const { log, parsed } = logged();
  const error = toHttpError(new RangeError("index out of range"));
  log.failed(error);
  assert.equal(log.error, "internal_error");
  await log.track(error.getResponse()).text();
  assert.equal(parsed()[0]?.detail, "RangeError: index out of range");
});

Deno.test("RequestLog.failed cuts an internal error's detail to 300 characters", () => {
  const { log } = logged();
  log.failed(toHttpError(new Error("x".repeat(1000))));
  assert.equal(log.detail?.length, 300);
  assert.ok(log.detail?.startsWith("Error: xxx"));
});

Deno.test("RequestLog.failed gives no detail to an internal error whose cause is not an Error", () => {
  const { log } = logged();
  log.failed(toHttpError("a thrown string"));
  assert.equal(log.error, "internal_error");
  assert.equal(log.detail, null);
});

Deno.test("RequestLog leaves a body that reports itself unwrapped, and logs it at its end", () => {
  const { log, lines, parsed } = logged();
  const body = new ReadableStream<Uint8Array>();
  const report = log.reportBody(body);
  const original = new Response(body, { status: 200 });
  const response = log.track(original);
  assert.equal(response, original);
  assert.equal(response.body, body);
  report.sent(10);
  report.sent(5);
  assert.equal(lines.length, 0);
  report.end();
  report.end();
  assert.equal(lines.length, 1);
  const [line] = parsed() as [LogLine];
  assert.equal(line.bytes, 15);
  assert.equal(line.status, 200);
  assert.equal(typeof line.ttfb_ms, "number");
});

Deno.test("RequestLog logs a self-reporting body that ended before track once track comes", () => {
  const { log, lines, parsed } = logged();
  const body = new ReadableStream<Uint8Array>();
  const report = log.reportBody(body);
  report.sent(3);
  report.end();
  assert.equal(lines.length, 0);
  log.track(new Response(body, { status: 200 }));
  assert.deepEqual(parsed().map((line) => line.bytes), [3]);
});

Deno.test("RequestLog gives a self-reporting body that sent nothing no time to first byte", () => {
  const { log, parsed } = logged();
  const body = new ReadableStream<Uint8Array>();
  const report = log.reportBody(body);
  log.track(new Response(body));
  report.end();
  assert.equal(parsed()[0]?.ttfb_ms, null);
  assert.equal(parsed()[0]?.bytes, 0);
});

Deno.test("RequestLog counts a response that replaced a self-reporting body itself", async () => {
  const { log, lines, parsed } = logged();
  const report = log.reportBody(new ReadableStream<Uint8Array>());
  const error = new HttpError(502, "x", { type: "upstream_error", code: "upstream_failed" });
  const response = log.track(error.getResponse());
  report.end();
  assert.equal(lines.length, 0);
  const text = await response.text();
  assert.deepEqual(parsed().map((line) => [line.status, line.bytes]), [[502, text.length]]);
});

Deno.test("RequestLog writes the upstream's status and events, and its optional facts only when set", async () => {
  const plain = logged();
  plain.log.upstream.status = 200;
  plain.log.upstream.events = 7;
  plain.log.upstream.replyDiffers = false;
  await plain.log.track(new Response("x")).text();
  const [line] = plain.parsed() as [LogLine];
  assert.deepEqual([line.upstream_status, line.events], [200, 7]);
  assert.deepEqual(Object.keys(line).sort(), BASE_KEYS);

  const full = logged("req_abc");
  full.log.upstream.status = 302;
  full.log.upstream.replyDiffers = true;
  full.log.upstream.redirectOrigin = "https://other.example";
  await full.log.track(new Response("x")).text();
  const [fuller] = full.parsed() as [LogLine];
  assert.equal(fuller.request_id, "req_abc");
  assert.equal(fuller.reply_differs, true);
  assert.equal(fuller.redirect_to, "https://other.example");
});

Deno.test("RequestLog never writes what was said: neither the answer nor an error's message", async () => {
  const secret = "my card number is 4111";
  const { log, lines } = logged();
  const error = toHttpError(new AiEngineError("rejected", `Sorry, rejected: ${secret}`));
  log.failed(error);
  await log.track(new Response(`{"answer":"${secret}"}`, { status: 400 })).text();
  assert.equal(lines.length, 1);
  assert.ok(!lines[0]!.includes("4111"), lines[0]);
  assert.equal(JSON.parse(lines[0]!).error, "upstream_rejected");
});

Deno.test("RequestLog: Server-Timing says the site's time to headers and the first text's, once known", async () => {
  const { log, parsed } = logged();
  assert.equal(log.serverTiming(), null, "no site asked, nothing to say");
  log.upstream.siteHeadersMs = 52.14;
  assert.equal(log.serverTiming(), "site;dur=52.1");
  await new Promise((resolve) => setTimeout(resolve, 5));
  log.firstTextReady();
  const timing = log.serverTiming()!;
  const match = /^site;dur=52\.1, first-text;dur=(\d+(?:\.\d)?)$/.exec(timing);
  assert.ok(match, timing);
  assert.ok(Number(match[1]) >= 5);
  log.firstTextReady(); // the first moment stays
  assert.equal(log.serverTiming(), timing);
  await log.track(new Response("x")).text();
  const [line] = parsed() as [LogLine];
  assert.equal(line.site_ms, 52.1);
  assert.equal(`site;dur=52.1, first-text;dur=${line.first_text_ms}`, timing);
});
