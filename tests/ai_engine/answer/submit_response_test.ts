import assert from "node:assert/strict";
import { AiEngineError } from "../../../lib/ai_engine/ai_engine_error.ts";
import type { AnswerReader } from "../../../lib/ai_engine/answer/answer_reader.ts";
import { NONCE_REFUSED, readAnswer } from "../../../lib/ai_engine/answer/submit_response.ts";
import type { SubmitOptions, UpstreamTrace } from "../../../lib/ai_engine/submit.ts";
import type { UpstreamResponse } from "../../../lib/http/upstream_client.ts";
import { bytesOf, type ByteSource } from "../../../lib/streams/byte_source.ts";
import { byteCuts } from "../../support/chunking.ts";
import { silentSource, sourceOf, spied, utf8 } from "../../support/byte_sources.ts";

const OPTIONS: SubmitOptions = {
  restUrl: "http://site.invalid",
  timeoutMs: 2_000,
};

const live = (text: string) => `data: ${JSON.stringify({ type: "live", data: text })}\n\n`;
const end = (reply: string, extra: Record<string, unknown> = {}) =>
  `data: ${
    JSON.stringify({ type: "end", data: JSON.stringify({ success: true, reply, ...extra }) })
  }\n\n`;
const EVENTS = live("Hel") + live("lo") + end("Hello");

function response(
  body: ByteSource,
  status = 200,
  contentType = "text/event-stream; charset=UTF-8",
): UpstreamResponse {
  return { status, headers: new Headers({ "content-type": contentType }), body };
}

/** readAnswer with a fresh trace, and the nonces it renewed. */
async function read(upstream: UpstreamResponse, options: Partial<SubmitOptions> = {}) {
  const trace: UpstreamTrace = { status: null, events: 0 };
  const nonces: (string | null)[] = [];
  const answer = await readAnswer(
    upstream,
    { ...OPTIONS, ...options },
    (n) => nonces.push(n),
    trace,
  );
  return { answer, trace, nonces };
}

/** The text of an answer, read to its end, and its finish's reply. */
async function textOf(answer: AnswerReader | symbol) {
  assert.notEqual(answer, NONCE_REFUSED);
  const reader = answer as AnswerReader;
  let text = "";
  let reply: string | null = null;
  for (let chunk = await reader.read(); chunk !== null; chunk = await reader.read()) {
    text += chunk.text;
    reply = chunk.finish?.reply ?? reply;
  }
  return { text, reply };
}

/** The AiEngineError readAnswer rejects with (or fails the test). */
async function failureOf(
  upstream: UpstreamResponse,
  options: Partial<SubmitOptions> = {},
): Promise<AiEngineError> {
  const error = await read(upstream, options).then(() => null, (error: unknown) => error);
  assert.ok(error instanceof AiEngineError, `not an AiEngineError: ${error}`);
  return error;
}

Deno.test("readAnswer: whitespace and a BOM before the first event are skipped, however the reads cut them", async () => {
  const body = utf8(`\ufeff \r\n\t\n${EVENTS}`);
  for (const cut of byteCuts(body)) {
    const { source, record } = spied(bytesOf(await Array.fromAsync(cut.stream())));
    const { answer } = await read(response(source));
    assert.deepEqual(await textOf(answer), { text: "Hello", reply: "Hello" }, cut.label);
    await record.released;
    assert.equal(
      record.cancels + record.ends,
      1,
      `${cut.label}: the body is let go after the finish`,
    );
  }
});

Deno.test("readAnswer: whitespace is read in one pass, each read once, up to maxEventChars of it", async () => {
  const reads = [...Array.from({ length: 100 }, () => utf8(" ")), utf8(EVENTS)];
  const { source, record } = spied(bytesOf(reads));
  const { answer } = await read(response(source), { maxEventChars: 100 });
  assert.equal(record.reads, 101, "the 100 reads of whitespace and the first of the events");
  assert.deepEqual(await textOf(answer), { text: "Hello", reply: "Hello" });
});

Deno.test("readAnswer: more than maxEventChars of whitespace before the first event is too_large, however cut, and the body is cancelled", async () => {
  for (const cut of byteCuts(utf8(" \n".repeat(51)), { oneByOne: true })) {
    const reads = await Array.fromAsync(cut.stream());
    const { source, record } = spied(bytesOf([...reads, utf8(EVENTS)]));
    const error = await failureOf(response(source), { maxEventChars: 100 });
    assert.equal(error.type, "too_large", cut.label);
    assert.equal(
      error.message,
      "Upstream answer too large: over 100 bytes before its first event",
      cut.label,
    );
    assert.equal(record.cancels, 1, cut.label);
  }
});

Deno.test("readAnswer: endless whitespace is refused, not read forever", async () => {
  let reads = 0;
  const { source, record } = spied({
    read: () => Promise.resolve(reads++ < 1_000_000 ? utf8("\n".repeat(10)) : null),
    cancel: () => Promise.resolve(),
  });
  const error = await failureOf(response(source), { maxEventChars: 1000 });
  assert.equal(error.type, "too_large");
  assert.ok(reads <= 101, `read ${reads} reads of 10 bytes for a cap of 1000`);
  assert.equal(record.cancels, 1);
});

Deno.test("readAnswer: a body of nothing but whitespace, or none, is truncated, naming the status", async () => {
  for (const reads of [[], [utf8("")], [utf8("\r\n \n")]]) {
    const error = await failureOf(response(bytesOf(reads), 200));
    assert.equal(error.type, "truncated");
    assert.equal(error.message, "AI Engine answered 200 with no body");
    assert.equal(error.upstreamStatus, 200);
  }
});

Deno.test("readAnswer: events are events whatever the status and content type say", async () => {
  for (
    const [status, type] of [[200, "application/json"], [200, "text/html"], [
      403,
      "text/plain",
    ]] as const
  ) {
    const { answer, trace } = await read(response(bytesOf([utf8(EVENTS)]), status, type));
    assert.deepEqual(await textOf(answer), { text: "Hello", reply: "Hello" }, `${status} ${type}`);
    assert.equal(trace.status, status);
    assert.equal(trace.events, 3, "the trace counts the events");
  }
});

Deno.test("readAnswer: a body starting with a comment or another SSE field is read as events", async () => {
  for (const first of [": ping\n\n", "event: message\n", "id: 1\n", "retry: 100\n"]) {
    const { answer } = await read(response(bytesOf([utf8(first + EVENTS)])));
    assert.deepEqual(await textOf(answer), { text: "Hello", reply: "Hello" }, first);
  }
});

Deno.test("readAnswer: JSON is JSON whatever the content type says: an answer, a rejection, a nonce refusal", async () => {
  const answer = JSON.stringify({ success: true, reply: "Hi", new_token: "n2" });
  const whole = await read(response(bytesOf([utf8(answer)]), 200, "text/event-stream"));
  assert.deepEqual(await textOf(whole.answer), { text: "Hi", reply: "Hi" });
  assert.ok(whole.nonces.includes("n2"), "the JSON's new token renews the nonce");

  const rejection = JSON.stringify({
    success: false,
    message: "Sorry, your query has been rejected.",
  });
  const rejected = await failureOf(response(bytesOf([utf8(rejection)]), 403, "text/event-stream"));
  assert.equal(rejected.type, "rejected");

  const refused = JSON.stringify({
    code: "rest_cookie_invalid_nonce",
    message: "Cookie check failed",
  });
  const { answer: nonce } = await read(response(bytesOf([utf8(refused)]), 403, "application/json"));
  assert.equal(nonce, NONCE_REFUSED);
});

Deno.test("readAnswer: JSON cut at any read, after whitespace, is read whole", async () => {
  const body = utf8(` \n${JSON.stringify({ success: true, reply: "Привет 👋" })}`);
  for (const cut of byteCuts(body)) {
    const { answer } = await read(response(bytesOf(await Array.fromAsync(cut.stream()))));
    assert.deepEqual(await textOf(answer), { text: "Привет 👋", reply: "Привет 👋" }, cut.label);
  }
});

Deno.test("readAnswer: anything else (an HTML page) fails naming the status and content type, and the body is cancelled", async () => {
  const { source, record } = spied(bytesOf([utf8("<!doctype html><p>Bad gateway</p>")]));
  const error = await failureOf(response(source, 502, "text/html; charset=UTF-8"));
  assert.equal(error.type, "upstream_failed");
  assert.equal(error.message, "AI Engine answered 502 with text/html, not events or JSON");
  assert.equal(error.upstreamStatus, 502);
  assert.equal(record.cancels, 1);
  const limited = await failureOf(response(bytesOf([utf8("<html>slow down")]), 429, "text/html"));
  assert.equal(limited.type, "rate_limited");
});

Deno.test("readAnswer: the end event's new token renews the nonce", async () => {
  const body = utf8(live("Hi") + end("Hi", { new_token: "fresh" }));
  const { answer, nonces } = await read(response(bytesOf([body])));
  await textOf(answer);
  assert.deepEqual(nonces, ["fresh"]);
});

Deno.test("readAnswer: a site silent before its first byte fails as timeout, and the body is cancelled", async () => {
  const { source, record } = spied(silentSource());
  const error = await failureOf(response(source), { timeoutMs: 30 });
  assert.equal(error.type, "timeout");
  assert.equal(error.message, "AI Engine fell silent for 30 ms");
  assert.equal(record.cancelledWith, error);
});

Deno.test("readAnswer: a site silent between events fails the answer as timeout, after the text before", async () => {
  const head = utf8(live("Hel"));
  let reads = 0;
  const stalls = silentSource();
  const body: ByteSource = {
    read: () => reads++ === 0 ? Promise.resolve(head) : stalls.read(),
    cancel: (reason) => stalls.cancel(reason),
  };
  const { answer } = await read(response(body), { timeoutMs: 30 });
  const reader = answer as AnswerReader;
  assert.equal((await reader.read())?.text, "Hel");
  const error = await reader.read().then(() => null, (error: unknown) => error);
  assert.ok(error instanceof AiEngineError && error.type === "timeout", String(error));
});

Deno.test("readAnswer: a body that breaks off is truncated, with the cause; the client's abort stays an abort", async () => {
  const reset = new TypeError("connection reset");
  const broken = await failureOf(response(sourceOf([], { error: reset })));
  assert.equal(broken.type, "truncated");
  assert.equal(broken.cause, reset);
  assert.match(broken.message, /^AI Engine's answer broke off: /);

  const abort = new DOMException("The client left", "AbortError");
  const body = sourceOf([utf8(live("Hel"))], { error: abort });
  const { answer } = await read(response(body));
  const reader = answer as AnswerReader;
  assert.equal((await reader.read())?.text, "Hel");
  assert.equal(await reader.read().then(() => null, (error: unknown) => error), abort);
});

Deno.test("readAnswer: a site's 429 carries its Retry-After, as JSON or as a page", async () => {
  const limited = (body: string, contentType: string) => ({
    ...response(sourceOf([utf8(body)]), 429, contentType),
    headers: new Headers({ "content-type": contentType, "retry-after": "30" }),
  });
  for (
    const upstream of [
      limited(`{"code":"too_many_requests","message":"Slow down"}`, "application/json"),
      limited(`{"success":false,"message":"Slow down"}`, "application/json"),
      limited("<html>Too many requests</html>", "text/html"),
    ]
  ) {
    const error = await failureOf(upstream);
    assert.deepEqual([error.type, error.retryAfter], ["rate_limited", 30], error.message);
  }
});
