import assert from "node:assert/strict";
import { AiEngineError } from "../../lib/ai_engine/ai_engine_error.ts";
import type { AiEngineEnd, AnswerPart } from "../../lib/ai_engine/events.ts";
import { AiEngineEventStream } from "../../lib/ai_engine/parse_event.ts";
import { AnswerStream } from "../../lib/ai_engine/answer_stream.ts";
import { EventDataStream } from "../../lib/streams/event_data_stream.ts";
import { LiveTextStream } from "../../lib/ai_engine/answer_rules.ts";
import { byteCuts, outcomeOf, textCuts } from "../support/chunking.ts";
import { recordedStreams } from "../support/recorded_answers.ts";

/** AnswerStream is the three stages in one: both pipes must agree. */
function staged(text: ReadableStream<string>): ReadableStream<AnswerPart> {
  return text.pipeThrough(new EventDataStream()).pipeThrough(new AiEngineEventStream())
    .pipeThrough(new LiveTextStream());
}

function textOf(parts: AnswerPart[]): string {
  return parts.map((part) => part.type === "text" ? part.text : "").join("");
}

for (const recorded of recordedStreams()) {
  const expected = recorded.expected;
  Deno.test(`${recorded.name} through AnswerStream, whole, randomly cut and byte by byte`, async () => {
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
      }
    }
  });
}

Deno.test("text that arrives in one chunk comes out as one part, in order", async () => {
  const input = ["Hel", "lo", ", ", "world"].map((t) => `data: {"type":"live","data":"${t}"}\n\n`)
    .join("") +
    'data: {"type":"end","data":"{\\"success\\":true,\\"reply\\":\\"Hello, world\\"}"}\n\n';
  const parts = await Array.fromAsync(ReadableStream.from([input]).pipeThrough(new AnswerStream()));
  assert.deepEqual(parts, [
    { type: "text", text: "Hello, world" },
    { type: "finish", reply: "Hello, world", usage: null, newToken: null },
  ]);
});

Deno.test("AnswerStream and the three separate stages give the same text and outcome", async () => {
  const bodies = recordedStreams().map((r) => new TextDecoder().decode(r.body));
  for (const body of bodies) {
    for (const cut of textCuts(body)) {
      const fused = await outcomeOf(cut.stream().pipeThrough(new AnswerStream()));
      const apart = await outcomeOf(staged(cut.stream()));
      assert.equal(
        (fused.error as AiEngineError | null)?.type,
        (apart.error as AiEngineError | null)?.type,
        cut.label,
      );
      if (!fused.failed) assert.equal(textOf(fused.values), textOf(apart.values), cut.label);
    }
  }
});

Deno.test("text before a failure in the same chunk goes out first, then the failure", async () => {
  const input = 'data: {"type":"live","data":"Hel"}\n\ndata: {not json\n\n';
  const outcome = await outcomeOf(ReadableStream.from([input]).pipeThrough(new AnswerStream()));
  assert.deepEqual(outcome.values, [{ type: "text", text: "Hel" }]);
  assert.ok(outcome.error instanceof AiEngineError && outcome.error.type === "malformed");
});

Deno.test("every event is counted and the end object is handed over", async () => {
  const counter = { events: 0 };
  let end: AiEngineEnd | null = null;
  const input = 'data: {"type":"live","data":"x","subtype":"status"}\n\n' +
    'data: {"type":"live","data":"Hi"}\n\n' +
    'data: {"type":"end","data":"{\\"success\\":true,\\"reply\\":\\"Hi\\",\\"new_token\\":\\"abc\\"}"}\n\n';
  await Array.fromAsync(
    ReadableStream.from([input]).pipeThrough(new AnswerStream({ counter, onEnd: (e) => end = e })),
  );
  assert.equal(counter.events, 3);
  assert.equal((end as AiEngineEnd | null)?.newToken, "abc");
});

Deno.test("a stream without its end event fails as truncated; one over the cap as too_large", async () => {
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
