import assert from "node:assert/strict";
import { AiEngineError } from "../../../lib/ai_engine/ai_engine_error.ts";
import type {
  AiEngineEnd,
  AiEngineEvent,
  AnswerPart,
} from "../../../lib/ai_engine/answer/events.ts";
import { parseEvent } from "../../../lib/ai_engine/answer/parse_event.ts";
import { SseDataParser } from "../../../lib/streams/sse_data_parser.ts";
import { AnswerRules, finishFromEnd } from "../../../lib/ai_engine/answer/answer_rules.ts";
import type { Outcome } from "../../support/chunking.ts";
import { type RecordedStream, recordedStreams } from "../../support/recorded_answers.ts";

/** Runs one answer's rules over `events`, then closes them: the parts, and what they threw. */
function partsOf(...events: AiEngineEvent[]): Outcome<AnswerPart> {
  const rules = new AnswerRules();
  const values: AnswerPart[] = [];
  try {
    for (const event of events) {
      const part = rules.accept(event);
      if (part) values.push(part);
    }
    rules.close();
    return { values, failed: false };
  } catch (error) {
    return { values, failed: true, error };
  }
}

/** The AI Engine events of an SSE body, as the SSE parser and `parseEvent` read it. */
function eventsOf(body: Uint8Array): AiEngineEvent[] {
  const events: AiEngineEvent[] = [];
  new SseDataParser().feed(new TextDecoder().decode(body), (data) => {
    const event = parseEvent(data);
    if (event) events.push(event);
  });
  return events;
}

function recorded(name: string): RecordedStream {
  const stream = recordedStreams().find((stream) => stream.name === name);
  assert.ok(stream, name);
  return stream;
}

function textOf(parts: AnswerPart[]): string {
  return parts.map((part) => part.type === "text" ? part.text : "").join("");
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
  Deno.test(`AnswerRules: the events of ${recorded.name} give ${outcome}`, () => {
    const { values: parts, failed, error } = partsOf(...eventsOf(recorded.body));
    assert.equal(textOf(parts), expected.text);
    if (expected.kind === "answer") {
      assert.equal(failed, false, String(error));
      const finish = parts.at(-1);
      assert.equal(finish?.type, "finish");
      assert.equal(finish.reply, expected.reply);
      assert.equal(parts.filter((part) => part.type === "finish").length, 1);
    } else {
      assert.ok(error instanceof AiEngineError, String(error));
      assert.equal(error.type, expected.type);
      assert.ok(parts.every((part) => part.type === "text"), "no finish");
    }
  });
}

Deno.test("AnswerRules: a live event without subtype is answer text", () => {
  assert.deepEqual(partsOf(live("Hi"), end({ reply: "Hi" })).values, [
    { type: "text", text: "Hi" },
    { ...FINISH, reply: "Hi" },
  ]);
});

Deno.test('AnswerRules: a live event with subtype "content" is answer text', () => {
  assert.deepEqual(partsOf(live("Hi", "content"), end()).values, [
    { type: "text", text: "Hi" },
    FINISH,
  ]);
});

Deno.test("AnswerRules: live events of the admin's event logs (thinking, status, tool_call) are not text", () => {
  const outcome = partsOf(
    live("Let me think", "thinking"),
    live("Starting stream...", "status"),
    live("{}", "tool_call"),
    live("42", "content"),
    end({ reply: "42" }),
  );
  assert.deepEqual(outcome.values, [{ type: "text", text: "42" }, { ...FINISH, reply: "42" }]);
});

Deno.test("AnswerRules: an empty live event makes no empty piece of text", () => {
  assert.deepEqual(partsOf(live(""), live("a"), end()).values, [
    { type: "text", text: "a" },
    FINISH,
  ]);
});

Deno.test("AnswerRules: the finish carries the end's reply, usage and new token, and onEnd sees the end first", () => {
  const usage = { prompt_tokens: 1, completion_tokens: 2, total_tokens: 3 };
  const seen: unknown[] = [];
  const rules = new AnswerRules((end) => seen.push(end.newToken));
  const part = rules.accept(end({ reply: "Hi", usage, newToken: "abc123" }));
  assert.deepEqual(seen, ["abc123"]);
  assert.deepEqual(part, { type: "finish", reply: "Hi", usage, newToken: "abc123" });
  rules.close();
  assert.deepEqual(seen, ["abc123"], "onEnd is called once");
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
  Deno.test(`AnswerRules: an error event "${message.slice(0, 40)}…" throws ${type}, after the text before it`, () => {
    const outcome = partsOf(live("Hi"), { type: "error", message });
    assert.deepEqual(outcome.values, [{ type: "text", text: "Hi" }]);
    assert.ok(outcome.error instanceof AiEngineError);
    assert.equal(outcome.error.type, type);
    assert.equal(outcome.error.message, message);
  });
}

Deno.test("AnswerRules: an end with success false throws its classified message", () => {
  const outcome = partsOf(end({ success: false, message: "Rate limit reached" }));
  assert.deepEqual(outcome.values, []);
  assert.ok(outcome.error instanceof AiEngineError);
  assert.equal(outcome.error.type, "rate_limited");
  assert.equal(outcome.error.message, "Rate limit reached");
});

Deno.test("finishFromEnd: an end with success false and no message is an upstream failure", () => {
  assert.throws(
    () => finishFromEnd({ success: false, reply: "", usage: null, newToken: null, message: null }),
    (error) => error instanceof AiEngineError && error.type === "upstream_failed",
  );
});

Deno.test("AnswerRules: events that stop without the end event close as truncated, after their text", () => {
  const outcome = partsOf(live("Hel"), live("lo"));
  assert.deepEqual(outcome.values, [{ type: "text", text: "Hel" }, { type: "text", text: "lo" }]);
  assert.ok(outcome.error instanceof AiEngineError);
  assert.equal(outcome.error.type, "truncated");
});

Deno.test("AnswerRules: closing without any event throws truncated", () => {
  const outcome = partsOf();
  assert.ok(outcome.error instanceof AiEngineError);
  assert.equal(outcome.error.type, "truncated");
});

Deno.test("AnswerRules: a recorded answer cut short before its end event closes as truncated", () => {
  const body = recorded("d-submit-stream.txt").body;
  const text = new TextDecoder().decode(body);
  const cutShort = new TextEncoder().encode(text.slice(0, text.indexOf('data: {"type":"end"')));
  const outcome = partsOf(...eventsOf(cutShort));
  assert.equal(textOf(outcome.values), "Привет, мир! 👋 The answer is 42.");
  assert.ok(outcome.error instanceof AiEngineError);
  assert.equal(outcome.error.type, "truncated");
});

Deno.test("AnswerRules: events after the end are ignored: text, errors and a second end", () => {
  const outcome = partsOf(
    live("a"),
    end({ reply: "a" }),
    live("b"),
    { type: "error", message: "Sorry, your query has been rejected." },
    end({ reply: "later" }),
  );
  assert.equal(outcome.failed, false, String(outcome.error));
  assert.deepEqual(outcome.values, [{ type: "text", text: "a" }, { ...FINISH, reply: "a" }]);
});
