import assert from "node:assert/strict";
import { AiEngineError } from "../../lib/ai_engine/ai_engine_error.ts";
import type { AiEngineEnd, AiEngineEvent, AnswerPart } from "../../lib/ai_engine/events.ts";
import { AiEngineEventStream } from "../../lib/ai_engine/parse_event.ts";
import { AnswerTextStream } from "../../lib/ai_engine/answer_text_stream.ts";
import { EventDataStream } from "../../lib/streams/event_data_stream.ts";
import { finishFromEnd, LiveTextStream } from "../../lib/ai_engine/answer_rules.ts";
import { byteCuts, type Outcome, outcomeOf } from "../support/chunking.ts";
import { recordedStreams } from "../support/recorded_answers.ts";

/** The gateway's pipe from upstream bytes to answer parts. */
function answerOf(bytes: ReadableStream<Uint8Array>): ReadableStream<AnswerPart> {
  return bytes
    .pipeThrough(new TextDecoderStream())
    .pipeThrough(new EventDataStream())
    .pipeThrough(new AiEngineEventStream())
    .pipeThrough(new LiveTextStream());
}

function textOf(parts: AnswerPart[]): string {
  return parts.map((part) => part.type === "text" ? part.text : "").join("");
}

function partsOf(...events: AiEngineEvent[]): Promise<Outcome<AnswerPart>> {
  return outcomeOf(ReadableStream.from(events).pipeThrough(new LiveTextStream()));
}

function end(fields: Partial<AiEngineEnd> = {}): AiEngineEvent {
  return {
    type: "end",
    end: { success: true, reply: "", usage: null, newToken: null, message: null, ...fields },
  };
}

function live(data: string, subtype: string | null = null): AiEngineEvent {
  return { type: "live", data, subtype };
}

const FINISH = { type: "finish", reply: "", usage: null, newToken: null } as const;

for (const recorded of recordedStreams()) {
  const expected = recorded.expected;
  const outcome = expected.kind === "answer"
    ? `the text "${expected.text}" and a finish`
    : `${expected.text ? `"${expected.text}" then ` : ""}a ${expected.type} error`;
  Deno.test(`${recorded.name} gives ${outcome}, whole, randomly cut and byte by byte`, async () => {
    for (const cut of byteCuts(recorded.body)) {
      const { values: parts, failed, error } = await outcomeOf(answerOf(cut.stream()));
      assert.equal(textOf(parts), expected.text, cut.label);
      if (expected.kind === "answer") {
        assert.equal(failed, false, `${cut.label}: ${error}`);
        const finish = parts.at(-1);
        assert.equal(finish?.type, "finish", cut.label);
        assert.equal(finish.reply, expected.reply, cut.label);
        assert.equal(parts.filter((part) => part.type === "finish").length, 1, cut.label);
      } else {
        assert.ok(error instanceof AiEngineError, `${cut.label}: ${error}`);
        assert.equal(error.type, expected.type, cut.label);
        assert.ok(parts.every((part) => part.type === "text"), `${cut.label}: no finish`);
      }
    }
  });
}

Deno.test("a live event without subtype is answer text", async () => {
  assert.deepEqual((await partsOf(live("Hi"), end({ reply: "Hi" }))).values, [
    { type: "text", text: "Hi" },
    { ...FINISH, reply: "Hi" },
  ]);
});

Deno.test('a live event with subtype "content" is answer text', async () => {
  assert.deepEqual((await partsOf(live("Hi", "content"), end())).values, [
    { type: "text", text: "Hi" },
    FINISH,
  ]);
});

Deno.test("live events of the admin's event logs (thinking, status, tool_call) are not text", async () => {
  const outcome = await partsOf(
    live("Let me think", "thinking"),
    live("Starting stream...", "status"),
    live("{}", "tool_call"),
    live("42", "content"),
    end({ reply: "42" }),
  );
  assert.deepEqual(outcome.values, [{ type: "text", text: "42" }, { ...FINISH, reply: "42" }]);
});

Deno.test("an empty live event yields no empty piece of text", async () => {
  assert.deepEqual((await partsOf(live(""), live("a"), end())).values, [
    { type: "text", text: "a" },
    FINISH,
  ]);
});

Deno.test("the finish carries the end's reply, usage and new token, and onEnd sees the end first", async () => {
  const usage = { prompt_tokens: 1, completion_tokens: 2, total_tokens: 3 };
  const seen: unknown[] = [];
  const reader = ReadableStream.from([
    end({ reply: "Hi", usage, newToken: "abc123" }),
  ]).pipeThrough(new LiveTextStream((end) => seen.push(end.newToken))).getReader();
  const { value } = await reader.read();
  assert.deepEqual(seen, ["abc123"]);
  assert.deepEqual(value, { type: "finish", reply: "Hi", usage, newToken: "abc123" });
  assert.equal((await reader.read()).done, true);
});

for (
  const [message, type] of [
    ["Sorry, your query has been rejected.", "rejected"],
    [
      "FakeLLM: Error: Rate limit reached for fake-model. (rate_limit_exceeded) (requests)",
      "rate_limited",
    ],
    ["Too Many Requests", "rate_limited"],
    [
      "FakeLLM: cURL error 18: transfer closed with outstanding read data remaining",
      "upstream_failed",
    ],
    [
      "FakeLLM: Error: The fake upstream exploded (fake LLM HTTP 500). (fake_500) (server_error)",
      "upstream_failed",
    ],
  ] as const
) {
  Deno.test(`an error event "${message.slice(0, 40)}…" errors the stream as ${type}`, async () => {
    const outcome = await partsOf(live("Hi"), { type: "error", message });
    assert.deepEqual(outcome.values, [{ type: "text", text: "Hi" }]);
    assert.ok(outcome.error instanceof AiEngineError);
    assert.equal(outcome.error.type, type);
    assert.equal(outcome.error.message, message);
  });
}

Deno.test("an end with success false errors the stream with its classified message", async () => {
  const outcome = await partsOf(end({ success: false, message: "Rate limit reached" }));
  assert.deepEqual(outcome.values, []);
  assert.ok(outcome.error instanceof AiEngineError);
  assert.equal(outcome.error.type, "rate_limited");
  assert.equal(outcome.error.message, "Rate limit reached");
});

Deno.test("an end with success false and no message is an upstream failure", () => {
  assert.throws(
    () => finishFromEnd({ success: false, reply: "", usage: null, newToken: null, message: null }),
    (error) => error instanceof AiEngineError && error.type === "upstream_failed",
  );
});

Deno.test("a stream that ends without its end event errors as truncated, after its text", async () => {
  const outcome = await partsOf(live("Hel"), live("lo"));
  assert.deepEqual(outcome.values, [{ type: "text", text: "Hel" }, { type: "text", text: "lo" }]);
  assert.ok(outcome.error instanceof AiEngineError);
  assert.equal(outcome.error.type, "truncated");
});

Deno.test("a stream without any event errors as truncated", async () => {
  const outcome = await partsOf();
  assert.ok(outcome.error instanceof AiEngineError);
  assert.equal(outcome.error.type, "truncated");
});

Deno.test("a recorded answer cut short before its end event errors as truncated, however cut", async () => {
  const recorded = recordedStreams().find((stream) => stream.name === "d-submit-stream.txt");
  assert.ok(recorded);
  const text = new TextDecoder().decode(recorded.body);
  const cutShort = new TextEncoder().encode(text.slice(0, text.indexOf('data: {"type":"end"')));
  for (const cut of byteCuts(cutShort)) {
    const outcome = await outcomeOf(answerOf(cut.stream()));
    assert.equal(textOf(outcome.values), "Привет, мир! 👋 The answer is 42.", cut.label);
    assert.ok(outcome.error instanceof AiEngineError, cut.label);
    assert.equal(outcome.error.type, "truncated", cut.label);
  }
});

Deno.test("events after the end are ignored: text, errors and a second end", async () => {
  const outcome = await partsOf(
    live("a"),
    end({ reply: "a" }),
    live("b"),
    { type: "error", message: "Sorry, your query has been rejected." },
    end({ reply: "later" }),
  );
  assert.equal(outcome.failed, false, String(outcome.error));
  assert.deepEqual(outcome.values, [{ type: "text", text: "a" }, { ...FINISH, reply: "a" }]);
});

Deno.test("an error upstream of the stage surfaces downstream as the same error object", async () => {
  const boom = new Error("Boom");
  let pulls = 0;
  const source = new ReadableStream<AiEngineEvent>({
    pull(controller) {
      if (pulls++ === 0) controller.enqueue(live("a"));
      else controller.error(boom);
    },
  }, { highWaterMark: 0 });
  const outcome = await outcomeOf(source.pipeThrough(new LiveTextStream()));
  assert.deepEqual(outcome.values, [{ type: "text", text: "a" }]);
  assert.equal(outcome.error, boom);
});

Deno.test("cancelling the answer cancels the source with the same reason", async () => {
  let reason: unknown = "not cancelled";
  const source = new ReadableStream<AiEngineEvent>({
    pull(controller) {
      controller.enqueue(live("a"));
    },
    cancel(why) {
      reason = why;
    },
  });
  const reader = source.pipeThrough(new LiveTextStream()).getReader();
  await reader.read();
  const why = new Error("Client went away");
  await reader.cancel(why);
  assert.equal(reason, why);
});

Deno.test("AnswerTextStream keeps only the answer text of the parts", async () => {
  const recorded = recordedStreams().find((stream) =>
    stream.name === "d4-submit-stream-event_logs-on.txt"
  );
  assert.ok(recorded);
  for (const cut of byteCuts(recorded.body)) {
    const pieces = await Array.fromAsync(
      answerOf(cut.stream()).pipeThrough(new AnswerTextStream()),
    );
    assert.equal(pieces.join(""), "Привет, мир! 👋 The answer is 42.", cut.label);
    assert.ok(pieces.length >= 7, `${cut.label}: the pieces stream as they come, not at the end`);
  }
});
