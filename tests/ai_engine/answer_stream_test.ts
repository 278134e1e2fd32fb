import assert from "node:assert/strict";
import { AiEngineError } from "../../lib/ai_engine/ai_engine_error.ts";
import type { AiEngineEnd, AnswerPart } from "../../lib/ai_engine/events.ts";
import { parseEvent } from "../../lib/ai_engine/parse_event.ts";
import { AnswerRules } from "../../lib/ai_engine/answer_rules.ts";
import { AnswerStream } from "../../lib/ai_engine/answer_stream.ts";
import { SseDataParser } from "../../lib/streams/sse_data_parser.ts";
import {
  allCuts,
  byteCuts,
  counted,
  type Outcome,
  outcomeOf,
  textCuts,
} from "../support/chunking.ts";
import { recordedStreams } from "../support/recorded_answers.ts";

/**
 * What AnswerStream's three cores make of a whole text, run one after the other with no
 * stream around them: the parts up to the finish (events after it are never read), and
 * the failure.
 */
function coresOf(text: string): Outcome<AnswerPart> {
  const values: AnswerPart[] = [];
  try {
    const data: string[] = [];
    new SseDataParser().feed(text, (item) => data.push(item));
    const rules = new AnswerRules();
    for (const item of data) {
      const event = parseEvent(item);
      const part = event && rules.accept(event);
      if (part) values.push(part);
      if (part?.type === "finish") return { values, failed: false };
    }
    rules.close();
    return { values, failed: false };
  } catch (error) {
    return { values, failed: true, error };
  }
}

function textOf(parts: AnswerPart[]): string {
  return parts.map((part) => part.type === "text" ? part.text : "").join("");
}

function finishOf(parts: AnswerPart[]): AnswerPart[] {
  return parts.filter((part) => part.type === "finish");
}

for (const recorded of recordedStreams()) {
  const expected = recorded.expected;
  Deno.test(`AnswerStream: ${recorded.name} gives its answer or failure, whole, randomly cut and byte by byte`, async () => {
    for (const cut of byteCuts(recorded.body)) {
      const stream = cut.stream().pipeThrough(new TextDecoderStream()).pipeThrough(
        new AnswerStream(),
      );
      const { values: parts, error } = await outcomeOf(stream);
      if (expected.kind === "answer") {
        assert.equal(error, undefined, `${cut.label}: ${error}`);
        assert.equal(textOf(parts), expected.text, cut.label);
        assert.deepEqual(parts.filter((p) => p.type === "finish").length, 1, cut.label);
        const finish = parts.at(-1);
        assert.ok(finish?.type === "finish" && finish.reply === expected.reply, cut.label);
      } else {
        assert.ok(
          error instanceof AiEngineError && error.type === expected.type,
          `${cut.label}: ${error}`,
        );
        assert.equal(textOf(parts), expected.text, cut.label);
        assert.deepEqual(finishOf(parts), [], `${cut.label}: no finish`);
      }
    }
  });
}

Deno.test("AnswerStream: text that arrives in one chunk comes out as one part, in order", async () => {
  const input = ["Hel", "lo", ", ", "world"].map((t) => `data: {"type":"live","data":"${t}"}\n\n`)
    .join("") +
    'data: {"type":"end","data":"{\\"success\\":true,\\"reply\\":\\"Hello, world\\"}"}\n\n';
  const parts = await Array.fromAsync(ReadableStream.from([input]).pipeThrough(new AnswerStream()));
  assert.deepEqual(parts, [
    { type: "text", text: "Hello, world" },
    { type: "finish", reply: "Hello, world", usage: null, newToken: null },
  ]);
});

Deno.test("AnswerStream: it gives the same text, finish and failure as its cores on the whole text, however cut", async () => {
  const bodies = recordedStreams().map((r) => new TextDecoder().decode(r.body));
  for (const body of bodies) {
    const expected = coresOf(body);
    for (const cut of textCuts(body)) {
      const outcome = await outcomeOf(cut.stream().pipeThrough(new AnswerStream()));
      assert.equal(
        (outcome.error as AiEngineError | undefined)?.type,
        (expected.error as AiEngineError | undefined)?.type,
        cut.label,
      );
      assert.equal(textOf(outcome.values), textOf(expected.values), cut.label);
      assert.deepEqual(finishOf(outcome.values), finishOf(expected.values), cut.label);
    }
  }
});

Deno.test("AnswerStream: text before a failure in the same chunk goes out first, then the failure", async () => {
  const input = 'data: {"type":"live","data":"Hel"}\n\ndata: {not json\n\n';
  const outcome = await outcomeOf(ReadableStream.from([input]).pipeThrough(new AnswerStream()));
  assert.deepEqual(outcome.values, [{ type: "text", text: "Hel" }]);
  assert.ok(outcome.error instanceof AiEngineError && outcome.error.type === "malformed");
});

Deno.test("AnswerStream: every event is counted, skipped ones included, and the end object is handed over", async () => {
  const counter = { events: 0 };
  let end: AiEngineEnd | null = null;
  const input = 'data: {"type":"live","data":"x","subtype":"status"}\n\n' +
    'data: {"type":"ping"}\n\n' +
    'data: {"type":"live","data":"Hi"}\n\n' +
    'data: {"type":"end","data":"{\\"success\\":true,\\"reply\\":\\"Hi\\",\\"new_token\\":\\"abc\\"}"}\n\n';
  await Array.fromAsync(
    ReadableStream.from([input]).pipeThrough(new AnswerStream({ counter, onEnd: (e) => end = e })),
  );
  assert.equal(counter.events, 4);
  assert.equal((end as AiEngineEnd | null)?.newToken, "abc");
});

Deno.test("AnswerStream: a stream without its end event fails as truncated; one over the cap as too_large", async () => {
  const cut = await outcomeOf(
    ReadableStream.from(['data: {"type":"live","data":"Hi"}\n\n']).pipeThrough(new AnswerStream()),
  );
  assert.ok(cut.error instanceof AiEngineError && cut.error.type === "truncated");
  const big = await outcomeOf(
    ReadableStream.from([`data: ${"x".repeat(200)}`]).pipeThrough(
      new AnswerStream({ maxEventChars: 100 }),
    ),
  );
  assert.ok(big.error instanceof AiEngineError && big.error.type === "too_large");
});

Deno.test("AnswerStream: a recorded answer cut short before its end event fails as truncated, however cut", async () => {
  const recorded = recordedStreams().find((stream) => stream.name === "d-submit-stream.txt");
  assert.ok(recorded);
  const text = new TextDecoder().decode(recorded.body);
  const cutShort = new TextEncoder().encode(text.slice(0, text.indexOf('data: {"type":"end"')));
  for (const cut of byteCuts(cutShort)) {
    const stream = cut.stream().pipeThrough(new TextDecoderStream()).pipeThrough(
      new AnswerStream(),
    );
    const outcome = await outcomeOf(stream);
    assert.equal(textOf(outcome.values), "Привет, мир! 👋 The answer is 42.", cut.label);
    assert.ok(outcome.error instanceof AiEngineError, cut.label);
    assert.equal(outcome.error.type, "truncated", cut.label);
  }
});

Deno.test("AnswerStream: an event over the cap fails as too_large with the upstream message, however cut", async () => {
  for (const input of [`data: ${"a".repeat(95)}\n\n`, `${"data: aaaaaaaaa\r\n".repeat(20)}`]) {
    for (const cut of allCuts(input)) {
      const outcome = await outcomeOf(
        cut.stream().pipeThrough(new AnswerStream({ maxEventChars: 100 })),
      );
      assert.ok(outcome.error instanceof AiEngineError, `${cut.label}: ${outcome.error}`);
      assert.equal(outcome.error.type, "too_large", cut.label);
      assert.equal(
        outcome.error.message,
        "Upstream event too large: over 100 characters",
        cut.label,
      );
    }
  }
});

Deno.test("AnswerStream: an endless line from a hostile upstream fails too_large and cancels the source", async () => {
  let pulls = 0;
  let cancelledWith: unknown = "not cancelled";
  const endless = new ReadableStream<string>({
    pull(controller) {
      controller.enqueue(pulls++ === 0 ? "data: " : "aaaaaaaaaa");
    },
    cancel(reason) {
      cancelledWith = reason;
    },
  });
  const reader = endless.pipeThrough(new AnswerStream({ maxEventChars: 100 })).getReader();
  const error = await reader.read().then(() => null, (error: unknown) => error);
  assert.ok(error instanceof AiEngineError);
  assert.equal(error.type, "too_large");
  await new Promise((resolve) => setTimeout(resolve, 0));
  assert.equal(cancelledWith, error, "the source is cancelled with the same error");
  assert.ok(pulls < 30, `read ${pulls} chunks of 10 characters for a cap of 100`);
});

Deno.test("AnswerStream: an error upstream of the stage surfaces downstream as the same error object", async () => {
  const boom = new Error("Boom");
  const { stream } = counted(['data: {"type":"live","data":"a"}\n\n'], { error: boom });
  const outcome = await outcomeOf(stream.pipeThrough(new AnswerStream()));
  assert.deepEqual(outcome.values, [{ type: "text", text: "a" }]);
  assert.equal(outcome.error, boom);
});

Deno.test("AnswerStream: cancelling the answer cancels the source with the same reason", async () => {
  const live = 'data: {"type":"live","data":"a"}\n\n';
  const { stream, record } = counted([live, live, live]);
  const reader = stream.pipeThrough(new AnswerStream()).getReader();
  assert.deepEqual(await reader.read(), { done: false, value: { type: "text", text: "a" } });
  const why = new Error("Client went away");
  await reader.cancel(why);
  assert.equal(record.cancelledWith, why);
});
