import assert from "node:assert/strict";
import { AiEngineError } from "../../../lib/ai_engine/ai_engine_error.ts";
import {
  AnswerDecoder,
  type AnswerDecoderOptions,
} from "../../../lib/ai_engine/answer/answer_decoder.ts";
import type { AiEngineEnd, AnswerChunk, AnswerPart } from "../../../lib/ai_engine/answer/events.ts";
import { parseEvent } from "../../../lib/ai_engine/answer/parse_event.ts";
import { AnswerRules } from "../../../lib/ai_engine/answer/answer_rules.ts";
import { SseDataParser } from "../../../lib/streams/sse_data_parser.ts";
import { allCuts, type Cut, type Outcome, textCuts } from "../../support/chunking.ts";
import { ANSWER, recordedStreams } from "../../support/recorded_answers.ts";

/** What a decoder made of some pieces, fed in order as a reader feeds them. */
interface Decoded {
  chunks: AnswerChunk[];
  /** The chunks' text joined. */
  text: string;
  /** The finish, if one came. */
  finish: AnswerChunk["finish"];
  /** What a call threw, if one did. */
  error?: unknown;
}

/**
 * Feeds `pieces` to a new decoder and ends it, stopping at the first finish (a reader
 * reads nothing after it) or at the first throw.
 */
function decode(pieces: Iterable<string>, options: AnswerDecoderOptions = {}): Decoded {
  const decoder = new AnswerDecoder(options);
  const chunks: AnswerChunk[] = [];
  const decoded = (error?: unknown): Decoded => ({
    chunks,
    text: chunks.map((chunk) => chunk.text).join(""),
    finish: chunks.find((chunk) => chunk.finish)?.finish ?? null,
    ...(error === undefined ? {} : { error }),
  });
  try {
    for (const piece of pieces) {
      const chunk = decoder.feed(piece);
      chunks.push(chunk);
      if (chunk.finish) return decoded();
    }
    chunks.push(decoder.end());
    return decoded();
  } catch (error) {
    return decoded(error);
  }
}

/** The pieces of one cut. */
function piecesOf(cut: Cut<string>): Promise<string[]> {
  return Array.fromAsync(cut.stream());
}

/**
 * What the decoder's three cores make of a whole text, run one after the other by hand:
 * the parts up to the finish (nothing after it counts), and the failure.
 */
function coresOf(text: string): Outcome<AnswerPart> {
  const values: AnswerPart[] = [];
  const rules = new AnswerRules();
  let finished = false;
  try {
    new SseDataParser().feed(text, (data) => {
      if (finished) return;
      const event = parseEvent(data);
      const part = event && rules.accept(event);
      if (part) values.push(part);
      if (part?.type === "finish") finished = true;
    });
    if (!finished) rules.close();
    return { values, failed: false };
  } catch (error) {
    return finished ? { values, failed: false } : { values, failed: true, error };
  }
}

function textOf(parts: AnswerPart[]): string {
  return parts.map((part) => part.type === "text" ? part.text : "").join("");
}

function typeOf(error: unknown): string | undefined {
  return error instanceof AiEngineError ? error.type : error === undefined ? undefined : "other";
}

const live = (text: string) => `data: ${JSON.stringify({ type: "live", data: text })}\n\n`;
const end = (reply: string, extra: Record<string, unknown> = {}) =>
  `data: ${
    JSON.stringify({ type: "end", data: JSON.stringify({ success: true, reply, ...extra }) })
  }\n\n`;

for (const recorded of recordedStreams()) {
  const expected = recorded.expected;
  Deno.test(`AnswerDecoder: ${recorded.name} gives its answer or failure, whole, randomly cut and byte by byte`, async () => {
    for (const cut of allCuts(recorded.body)) {
      const decoded = decode(await piecesOf(cut));
      assert.equal(decoded.text, expected.text, cut.label);
      if (expected.kind === "answer") {
        assert.equal(decoded.error, undefined, `${cut.label}: ${decoded.error}`);
        assert.equal(decoded.finish?.reply, expected.reply, cut.label);
        assert.equal(decoded.chunks.filter((chunk) => chunk.finish).length, 1, cut.label);
        assert.ok(decoded.chunks.at(-1)?.finish, `${cut.label}: the finish comes last`);
      } else {
        assert.equal(typeOf(decoded.error), expected.type, `${cut.label}: ${decoded.error}`);
        assert.equal(decoded.finish, null, `${cut.label}: no finish`);
      }
    }
  });
}

Deno.test("AnswerDecoder: the text of one piece comes out as one chunk, in order, with the finish", () => {
  const input = ["Hel", "lo", ", ", "world"].map(live).join("") + end("Hello, world");
  assert.deepEqual(new AnswerDecoder().feed(input), {
    text: "Hello, world",
    finish: { type: "finish", reply: "Hello, world", usage: null, newToken: null },
  });
});

Deno.test("AnswerDecoder: each piece gives the text of the events it completes, and none of a partial one", () => {
  const decoder = new AnswerDecoder();
  const event = live("Hi");
  assert.deepEqual(decoder.feed(event.slice(0, 10)), { text: "", finish: null });
  assert.deepEqual(decoder.feed(event.slice(10) + live(" there")), {
    text: "Hi there",
    finish: null,
  });
  assert.equal(decoder.end(end("Hi there")).finish?.reply, "Hi there");
});

Deno.test("AnswerDecoder: it gives the same text, finish and failure as its cores on the whole text, however cut", async () => {
  const bodies = recordedStreams().map((r) => new TextDecoder().decode(r.body));
  for (const body of bodies) {
    const expected = coresOf(body);
    const expectedFinish = expected.values.find((part) => part.type === "finish") ?? null;
    for (const cut of textCuts(body)) {
      const decoded = decode(await piecesOf(cut));
      assert.equal(typeOf(decoded.error), typeOf(expected.error), cut.label);
      assert.equal(decoded.text, textOf(expected.values), cut.label);
      assert.deepEqual(decoded.finish, expectedFinish, cut.label);
    }
  }
});

Deno.test("AnswerDecoder: text before a failure in the same piece comes out first, then the next call throws it", () => {
  const decoder = new AnswerDecoder();
  assert.deepEqual(decoder.feed(live("Hel") + "data: {not json\n\n"), {
    text: "Hel",
    finish: null,
  });
  assert.throws(() => decoder.check(), (error) => typeOf(error) === "malformed");
  assert.throws(() => decoder.feed(live("lo")), (error) => typeOf(error) === "malformed");
  assert.throws(() => decoder.end(), (error) => typeOf(error) === "malformed");
});

Deno.test("AnswerDecoder: a failure with no text before it in its piece is thrown at once", () => {
  const decoder = new AnswerDecoder();
  assert.deepEqual(decoder.feed(live("Hel")), { text: "Hel", finish: null });
  assert.throws(
    () => decoder.feed('data: {"type":"error","data":"Sorry, your query has been rejected."}\n\n'),
    (error) => typeOf(error) === "rejected",
  );
});

Deno.test("AnswerDecoder: a failure after text, however cut, keeps the text and ends in the failure, never a finish", async () => {
  const input = live("Привет, ") + live("мир") +
    'data: {"type":"error","data":"FakeLLM: cURL error 18: transfer closed"}\n\n' + end("late");
  for (const cut of allCuts(input)) {
    const decoded = decode(await piecesOf(cut));
    assert.equal(decoded.text, "Привет, мир", cut.label);
    assert.equal(typeOf(decoded.error), "upstream_failed", cut.label);
    assert.equal(decoded.finish, null, cut.label);
  }
});

Deno.test("AnswerDecoder: every event is counted, skipped ones included, and the end object is handed over", () => {
  const counter = { events: 0 };
  let seen: AiEngineEnd | null = null;
  const input = 'data: {"type":"live","data":"x","subtype":"status"}\n\n' +
    'data: {"type":"ping"}\n\n' +
    live("Hi") +
    end("Hi", { new_token: "abc" });
  const decoded = decode([input], { counter, onEnd: (e) => seen = e });
  assert.equal(decoded.text, "Hi");
  assert.equal(counter.events, 4);
  assert.equal((seen as AiEngineEnd | null)?.newToken, "abc");
});

Deno.test("AnswerDecoder: events after the end in the same piece are neither counted nor handed over", () => {
  const counter = { events: 0 };
  const ends: AiEngineEnd[] = [];
  const input = live("Hi") + end("Hi") + live("more") + end("again");
  const chunk = new AnswerDecoder({ counter, onEnd: (e) => ends.push(e) }).feed(input);
  assert.equal(chunk.text, "Hi");
  assert.equal(chunk.finish?.reply, "Hi");
  assert.equal(counter.events, 2);
  assert.deepEqual(ends.map((e) => e.reply), ["Hi"]);
});

Deno.test("AnswerDecoder: a body without its end event fails as truncated; an event over the cap as too_large", () => {
  assert.equal(typeOf(decode([live("Hi")]).error), "truncated");
  assert.equal(decode([live("Hi")]).text, "Hi", "the text before the cut still came out");
  assert.equal(typeOf(decode([]).error), "truncated", "no event at all");
  const big = decode([`data: ${"x".repeat(200)}`], { maxEventChars: 100 });
  assert.equal(typeOf(big.error), "too_large");
});

Deno.test("AnswerDecoder: a recorded answer cut short before its end event fails as truncated, however cut", async () => {
  const recorded = recordedStreams().find((stream) => stream.name === "d-submit-stream.txt");
  assert.ok(recorded);
  const text = new TextDecoder().decode(recorded.body);
  const cutShort = text.slice(0, text.indexOf('data: {"type":"end"'));
  for (const cut of allCuts(cutShort)) {
    const decoded = decode(await piecesOf(cut));
    assert.equal(decoded.text, ANSWER, cut.label);
    assert.equal(typeOf(decoded.error), "truncated", cut.label);
  }
});

Deno.test("AnswerDecoder: an event over the cap fails as too_large with the upstream message, however cut", async () => {
  for (const input of [`data: ${"a".repeat(95)}\n\n`, `${"data: aaaaaaaaa\r\n".repeat(20)}`]) {
    for (const cut of allCuts(input)) {
      const { error } = decode(await piecesOf(cut), { maxEventChars: 100 });
      assert.ok(error instanceof AiEngineError, `${cut.label}: ${error}`);
      assert.equal(error.type, "too_large", cut.label);
      assert.equal(error.message, "Upstream event too large: over 100 characters", cut.label);
    }
  }
});

Deno.test("AnswerDecoder: an endless line fails too_large once the cap is passed, not later", () => {
  const decoder = new AnswerDecoder({ maxEventChars: 100 });
  decoder.feed("data: ");
  let pieces = 0;
  assert.throws(() => {
    for (; pieces < 1000; pieces++) decoder.feed("aaaaaaaaaa");
  }, (error) => typeOf(error) === "too_large");
  assert.equal(pieces, 9, "the tenth piece of 10 characters passes 100 with the field name");
});

Deno.test("AnswerDecoder: garbage, a malformed event or an oversized line after the end in the same piece still finish the answer", async () => {
  const answer = live("Hel") + live("lo") + end("Hello");
  const after = {
    garbage: "\u0000\u0001 not SSE at all \uFFFD\n\n",
    "a malformed event": "data: {not json\n\n",
    "an error event": 'data: {"type":"error","data":"Sorry, your query has been rejected."}\n\n',
    "an oversized line": `data: ${"x".repeat(500)}`,
    "an oversized event": `data: ${"x".repeat(500)}\n\n`,
  };
  const finish = { type: "finish", reply: "Hello", usage: null, newToken: null };
  for (const [name, tail] of Object.entries(after)) {
    const decoder = new AnswerDecoder({ maxEventChars: 100 });
    assert.deepEqual(decoder.feed(answer + tail), { text: "Hello", finish }, `${name}, whole`);
    assert.doesNotThrow(() => decoder.check(), `${name}: no failure is held back`);
    const textFirst = new AnswerDecoder({ maxEventChars: 100 });
    textFirst.feed(live("Hello"));
    assert.deepEqual(textFirst.feed(end("Hello") + tail), { text: "", finish }, `${name}, alone`);
    for (const cut of allCuts(answer + tail, { oneByOne: false })) {
      const decoded = decode(await piecesOf(cut), { maxEventChars: 100 });
      assert.equal(decoded.error, undefined, `${name}, ${cut.label}: ${decoded.error}`);
      assert.equal(decoded.text, "Hello", `${name}, ${cut.label}`);
      assert.equal(decoded.finish?.reply, "Hello", `${name}, ${cut.label}`);
    }
  }
});

// AI Engine's PHP escapes text as \uXXXX: an emoji split between two `live` events comes
// as a high surrogate ending one event and a low one starting the next.
const SPLIT_EMOJI = live("Hi \ud83d") + live("\udc4b there") + end("Hi 👋 there");

Deno.test("AnswerDecoder: a surrogate pair split across two live events comes out as one whole emoji", () => {
  const decoder = new AnswerDecoder();
  const [first, second] = SPLIT_EMOJI.split(/(?<=\n\n)/);
  assert.deepEqual(decoder.feed(first!), { text: "Hi ", finish: null });
  assert.deepEqual(decoder.feed(second!), { text: "👋 there", finish: null });
});

Deno.test("AnswerDecoder: no chunk ever holds a lone surrogate, in any cut, and the text is whole", async () => {
  for (const cut of allCuts(SPLIT_EMOJI)) {
    const decoded = decode(await piecesOf(cut));
    assert.equal(decoded.error, undefined, `${cut.label}: ${decoded.error}`);
    assert.equal(decoded.text, "Hi 👋 there", cut.label);
    for (const chunk of decoded.chunks) {
      assert.ok(chunk.text.isWellFormed(), `${cut.label}: ${JSON.stringify(chunk.text)}`);
    }
  }
});

Deno.test("AnswerDecoder: a high surrogate held back is given with the finish when the answer ends on it", () => {
  const decoder = new AnswerDecoder();
  assert.deepEqual(decoder.feed(live("a\ud83d")), { text: "a", finish: null });
  const last = decoder.feed(end("a"));
  assert.equal(last.text, "\ud83d", "the upstream's text, as it sent it");
  assert.equal(last.finish?.reply, "a");
});

Deno.test("AnswerDecoder: a failure after a held high surrogate is still thrown", () => {
  const decoder = new AnswerDecoder();
  assert.deepEqual(decoder.feed(live("\ud83d") + "data: {not json\n\n"), {
    text: "",
    finish: null,
  });
  assert.throws(() => decoder.check(), (error) => typeOf(error) === "malformed");
});
