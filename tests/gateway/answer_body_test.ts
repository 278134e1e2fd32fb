import assert from "node:assert/strict";
import { AiEngineError } from "../../lib/ai_engine/ai_engine_error.ts";
import { EventAnswerReader } from "../../lib/ai_engine/answer/answer_reader.ts";
import { bytesOf } from "../../lib/streams/byte_source.ts";
import { answerBody, KEEPALIVE_MS } from "../../lib/gateway/answer_body.ts";
import type { AnswerEncoder } from "../../lib/gateway/encoders/answer_encoder.ts";
import { chatCompletionChunks, completionMeta } from "../../lib/gateway/encoders/openai.ts";
import { PLAIN_TEXT } from "../../lib/gateway/encoders/plain_text.ts";
import { type LogLine, RequestLog } from "../../lib/gateway/request_log.ts";
import {
  answerAtTestPace,
  type AnswerStep,
  finish,
  scriptedAnswer,
  streamed,
} from "../support/answer_readers.ts";

const delay = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
const utf8 = new TextDecoder();

/** A request log that keeps its lines. */
function requestLog(): { log: RequestLog; lines: LogLine[] } {
  const lines: LogLine[] = [];
  const log = new RequestLog("POST", "/api/chat", (line) => lines.push(JSON.parse(line)));
  return { log, lines };
}

/** An encoder that marks every part, so each write can be told apart. */
const MARKED: AnswerEncoder = {
  start: "<start>",
  text: (text) => `[${text}]`,
  finish: (end) => `<finish ${end.reply}>`,
  failure: (error) => `<failure ${error.code}>`,
  keepAlive: null,
};

/** A clock that moves 2 ms each time it is read: a site that paces its text. */
function pacedClock(): () => number {
  let ms = 0;
  return () => ms += 2;
}

/** The body of `steps`, tracked by a log as the edge middleware does; paced, unless told. */
function bodyOf(
  steps: readonly AnswerStep[],
  encoder: AnswerEncoder = MARKED,
  now: () => number = pacedClock(),
) {
  const { answer, record } = scriptedAnswer(steps);
  const { log, lines } = requestLog();
  const body = answerBody(answer, encoder, log, KEEPALIVE_MS, now);
  const response = log.track(new Response(body));
  return { body, response, record, log, lines };
}

/** Each write of the body, decoded, and how the body ended. */
async function writesOf(body: ReadableStream<Uint8Array>) {
  const writes: string[] = [];
  try {
    for await (const bytes of body) writes.push(utf8.decode(bytes));
    return { writes, error: undefined as unknown };
  } catch (error) {
    return { writes, error };
  }
}

const CUT = new AiEngineError("truncated", "AI Engine's answer broke off: connection reset");

Deno.test("answerBody: on a paced answer each read that brings text is one write, the start with the first", async () => {
  const { body, record } = bodyOf([
    { text: "Hel", finish: null },
    { text: "lo", finish: null },
    { text: "!", finish: finish("Hello!") },
  ]);
  const { writes, error } = await writesOf(body);
  assert.equal(error, undefined);
  assert.deepEqual(writes, ["<start>[Hel]", "[lo]", "[!]<finish Hello!>"]);
  assert.equal(record.reads, 3, "nothing is read past the finish");
});

/** The events of an answer of `pieces` pieces, each its own read of the site's body. */
function siteEvents(pieces: readonly string[]): Uint8Array[] {
  const event = (data: object) => new TextEncoder().encode(`data: ${JSON.stringify(data)}\n\n`);
  const reply = pieces.join("");
  return [
    ...pieces.map((piece) => event({ type: "live", data: piece })),
    event({ type: "end", data: JSON.stringify({ success: true, reply }) }),
  ];
}

Deno.test("answerBody: a burst of events from the site is written in a few writes, not one per event", async () => {
  const pieces = Array.from({ length: 1000 }, (_, i) => `${i % 10}abc`);
  const answer = new EventAnswerReader(bytesOf(siteEvents(pieces)));
  const { log } = requestLog();
  const { writes, error } = await writesOf(answerBody(answer, PLAIN_TEXT, log));
  assert.equal(error, undefined);
  assert.equal(writes.join(""), pieces.join(""));
  assert.equal(writes[0], "0abc", "the first text goes out alone, at once");
  assert.ok(writes.length <= 10, `${writes.length} writes for 1,000 events`);
});

Deno.test("answerBody: a paced answer is not held: each piece is written before the next is read", async () => {
  const { answer, give, reads } = answerAtTestPace();
  const { log } = requestLog();
  const reader = answerBody(answer, MARKED, log, KEEPALIVE_MS, pacedClock()).getReader();
  for (const piece of ["Hel", "lo", "!"]) {
    const write = reader.read();
    give({ text: piece, finish: null });
    assert.match(utf8.decode((await write).value), new RegExp(`\\[${piece}\\]$`));
    assert.equal(reads(), ["Hel", "lo", "!"].indexOf(piece) + 1, "the next piece is not read yet");
  }
  await reader.cancel();
});

Deno.test("answerBody: a chunk with no text writes no empty text part", async () => {
  const { body } = bodyOf(streamed(["Hi"]));
  assert.deepEqual((await writesOf(body)).writes, ["<start>[Hi]", "<finish Hi>"]);
});

Deno.test("answerBody: an answer whose reader ends without a finish closes the body", async () => {
  const { body } = bodyOf([{ text: "Hi", finish: null }]);
  const { writes, error } = await writesOf(body);
  assert.equal(error, undefined);
  assert.deepEqual(writes, ["<start>[Hi]"]);
});

Deno.test("answerBody: the answer is read only as the body is pulled: backpressure", async () => {
  const { body, record } = bodyOf(streamed(["a", "b", "c", "d"]));
  await delay(10);
  assert.equal(record.reads, 0, "no read before the client asks");
  const reader = body.getReader();
  assert.equal(utf8.decode((await reader.read()).value), "<start>[a]");
  await delay(10);
  assert.equal(record.reads, 1, "no read ahead of the client");
  await reader.read();
  await delay(10);
  assert.equal(record.reads, 2);
  await reader.cancel();
});

Deno.test("answerBody: cancelling the body cancels the answer with the same reason, and the log says why", async () => {
  const { body, record, lines } = bodyOf(streamed(["a", "b", "c"]));
  const reader = body.getReader();
  await reader.read();
  const why = new Error("Client went away");
  await reader.cancel(why);
  assert.equal(record.cancelledWith, why);
  assert.equal(lines.length, 1);
  assert.equal(lines[0]!.error, "client_closed");
  assert.equal(lines[0]!.bytes, "<start>[a]".length);
});

Deno.test("answerBody: a failure after text is said in band by an encoder that can, and the body ends normally", async () => {
  const { body, lines } = bodyOf([{ text: "Hel", finish: null }, { error: CUT }]);
  const { writes, error } = await writesOf(body);
  assert.equal(error, undefined);
  assert.deepEqual(writes, ["<start>[Hel]", "<failure upstream_truncated>"]);
  assert.equal(lines[0]!.error, "upstream_truncated");
});

Deno.test("answerBody: with OpenAI's chunks a failure after text is an error event and no [DONE]", async () => {
  const { body } = bodyOf(
    [{ text: "Hel", finish: null }, { error: CUT }],
    chatCompletionChunks(completionMeta("default")),
  );
  const sse = (await writesOf(body)).writes.join("");
  assert.ok(!sse.includes("[DONE]"));
  const last = sse.trimEnd().split("\n\n").at(-1)!;
  assert.equal(JSON.parse(last.slice("data: ".length)).error.code, "upstream_truncated");
});

Deno.test("answerBody: a failure after text errors the body when the encoder cannot say it, after the text", async () => {
  const { body, lines } = bodyOf([{ text: "Hel", finish: null }, { error: CUT }], PLAIN_TEXT);
  const { writes, error } = await writesOf(body);
  assert.deepEqual(writes, ["Hel"]);
  assert.equal(error, "mwai-edge: the answer failed after it began (upstream_truncated)");
  assert.ok(!String(error).includes("connection reset"), "the upstream's words stay out");
  assert.equal(lines.length, 1);
  assert.equal(lines[0]!.error, "upstream_truncated");
});

Deno.test("answerBody: an answer aborted because the client left ends the body quietly", async () => {
  const abort = new DOMException("The client left", "AbortError");
  const { body, lines } = bodyOf([{ text: "Hel", finish: null }, { error: abort }], PLAIN_TEXT);
  const { writes, error } = await writesOf(body);
  assert.equal(error, undefined);
  assert.deepEqual(writes, ["Hel"]);
  assert.equal(lines[0]!.error, "client_closed");
});

Deno.test("answerBody: it counts its own bytes into the log line, written once the body ended", async () => {
  const { body, response, lines, log } = bodyOf(
    [{ text: "Привет", finish: null }, { text: " 👋", finish: finish("Привет 👋") }],
    PLAIN_TEXT,
  );
  assert.equal(response.body, body, "the log puts no stream around the body");
  log.upstream.status = 200;
  log.upstream.events = 3;
  const reader = body.getReader();
  await reader.read();
  assert.equal(lines.length, 0, "not before the body ended");
  await reader.read();
  assert.equal((await reader.read()).done, true);
  assert.equal(lines.length, 1);
  const line = lines[0]!;
  assert.equal(line.bytes, new TextEncoder().encode("Привет 👋").byteLength);
  assert.equal(line.status, 200);
  assert.equal(line.upstream_status, 200);
  assert.equal(line.events, 3);
  assert.equal(line.error, null);
  assert.ok(line.ttfb_ms !== null && line.ttfb_ms <= line.duration_ms);
  assert.equal(line.route, "/api/chat");
});

Deno.test("answerBody: a body that ends before the response is tracked is logged when it is", async () => {
  const { answer } = scriptedAnswer(streamed(["Hi"]));
  const { log, lines } = requestLog();
  const body = answerBody(answer, PLAIN_TEXT, log);
  const response = new Response(body);
  await response.text();
  assert.equal(lines.length, 0);
  log.track(response);
  assert.equal(lines.length, 1);
  assert.equal(lines[0]!.bytes, 2);
});

/** An answer that stays silent until cancelled: a model that thinks for a long time. */
function silentAnswer() {
  let end = (_: null) => {};
  let cancelled = false;
  return {
    answer: {
      read: () => new Promise<null>((resolve) => end = resolve),
      cancel: () => {
        cancelled = true;
        end(null);
        return Promise.resolve();
      },
    },
    cancelled: () => cancelled,
  };
}

Deno.test("answerBody: a silent site gets keep-alive comments, two in a row, on a face that has them", async () => {
  const { answer, cancelled } = silentAnswer();
  const { log } = requestLog();
  const encoder = { ...MARKED, keepAlive: ": keep-alive\n\n" };
  const body = answerBody(answer, encoder, log, 20);
  const reader = body.getReader();
  const first = await reader.read();
  const second = await reader.read();
  assert.equal(utf8.decode(first.value), ": keep-alive\n\n");
  // The second follows soon after: the write that tells workerd the client has gone.
  assert.equal(utf8.decode(second.value), ": keep-alive\n\n");
  await reader.cancel();
  assert.ok(cancelled(), "cancelling the body cancels the answer, and its timers");
});

Deno.test("answerBody: a face without keep-alive writes nothing while the site is silent", async () => {
  const { answer } = silentAnswer();
  const { log } = requestLog();
  const body = answerBody(answer, PLAIN_TEXT, log, 10);
  const reader = body.getReader();
  const read = reader.read();
  const winner = await Promise.race([read.then(() => "wrote"), delay(80).then(() => "silent")]);
  assert.equal(winner, "silent");
  await reader.cancel();
  await read;
});
