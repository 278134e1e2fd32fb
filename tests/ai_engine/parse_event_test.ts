import assert from "node:assert/strict";
import { AiEngineError } from "../../lib/ai_engine/ai_engine_error.ts";
import type { AiEngineEvent } from "../../lib/ai_engine/events.ts";
import { AiEngineEventStream, parseEnd } from "../../lib/ai_engine/parse_event.ts";
import { EventDataStream } from "../../lib/streams/event_data_stream.ts";
import { byteCuts, outcomeOf, textCuts } from "../support/chunking.ts";
import { recordedStreams } from "../support/recorded_answers.ts";

/** The events of an SSE body, read from bytes as the gateway reads them. */
function eventsOf(bytes: ReadableStream<Uint8Array>): ReadableStream<AiEngineEvent> {
  return bytes
    .pipeThrough(new TextDecoderStream())
    .pipeThrough(new EventDataStream())
    .pipeThrough(new AiEngineEventStream());
}

/** The events of the given `data` strings, one per event. */
function decode(...data: string[]): Promise<AiEngineEvent[]> {
  return Array.fromAsync(ReadableStream.from(data).pipeThrough(new AiEngineEventStream()));
}

/** The error the given `data` strings end in. */
async function decodeError(...data: string[]): Promise<AiEngineError> {
  const outcome = await outcomeOf(ReadableStream.from(data).pipeThrough(new AiEngineEventStream()));
  assert.ok(outcome.error instanceof AiEngineError, `expected an AiEngineError: ${outcome.error}`);
  return outcome.error;
}

const RECORDED = recordedStreams();

Deno.test("the recordings hold the streams these tests expect", () => {
  // Both captures: 23 streams at the top level, 18 in rerun/.
  assert.equal(RECORDED.length, 41, RECORDED.map((stream) => stream.name).join("\n"));
  assert.ok(RECORDED.some((stream) => stream.name === "rerun/h-old-nonce-stream.txt"));
});

for (const recorded of RECORDED) {
  Deno.test(`${recorded.name} decodes to the same events however its bytes are cut`, async () => {
    const whole = await outcomeOf(eventsOf(ReadableStream.from([recorded.body])));
    assert.equal(whole.failed, false, `whole: ${whole.error}`);
    for (const cut of byteCuts(recorded.body)) {
      const outcome = await outcomeOf(eventsOf(cut.stream()));
      assert.equal(outcome.failed, false, `${cut.label}: ${outcome.error}`);
      assert.deepEqual(outcome.values, whole.values, cut.label);
    }

    const events = whole.values;
    const last = events.at(-1);
    const text = events.map((event) =>
      event.type === "live" && event.subtype === null ? event.data : ""
    ).join("");
    assert.equal(text, recorded.expected.text);
    if (recorded.expected.kind === "answer") {
      assert.equal(last?.type, "end");
      assert.equal(last.end.success, true);
      assert.equal(last.end.reply, recorded.expected.reply);
      const usage = last.end.usage;
      assert.ok(usage, "an answer's end carries its usage");
      assert.equal(usage.total_tokens, usage.prompt_tokens + usage.completion_tokens);
    } else {
      assert.equal(last?.type, "error");
      assert.ok(last.message.length > 0);
    }
    assert.equal(
      events.filter((event) => event.type === "end" || event.type === "error").length,
      1,
    );
  });
}

Deno.test("the double-encoded end of an ageing nonce's answer parses to usage and new_token", async () => {
  for (
    const [name, usage, token] of [
      ["h-old-nonce-stream.txt", [1, 8, 9], "55b8d074d1"],
      ["rerun/h-old-nonce-stream.txt", [7, 8, 15], "03ff400d5e"],
    ] as const
  ) {
    const recorded = RECORDED.find((stream) => stream.name === name);
    assert.ok(recorded, name);
    const events = await Array.fromAsync(eventsOf(ReadableStream.from([recorded.body])));
    assert.deepEqual(events.at(-1), {
      type: "end",
      end: {
        success: true,
        reply: "Привет, мир! 👋 The answer is 42.",
        usage: { prompt_tokens: usage[0], completion_tokens: usage[1], total_tokens: usage[2] },
        newToken: token,
        message: null,
      },
    });
  }
});

Deno.test("the event-log status of d4 is a live event with its subtype", async () => {
  const recorded = RECORDED.find((stream) => stream.name === "d4-submit-stream-event_logs-on.txt");
  assert.ok(recorded);
  const [first] = await Array.fromAsync(eventsOf(ReadableStream.from([recorded.body])));
  assert.deepEqual(first, { type: "live", data: "Starting stream...", subtype: "status" });
});

Deno.test("a live event yields its text, with subtype null when it has none", async () => {
  assert.deepEqual(await decode('{"type":"live","data":"\\u041f\\u0440\\ud83d\\udc4b"}'), [
    { type: "live", data: "Пр👋", subtype: null },
  ]);
});

Deno.test("a live event keeps its subtype and drops the event-log extras", async () => {
  const data = '{"type":"live","data":"hm","subtype":"thinking","visibility":"collapsed",' +
    '"timestamp":1.5,"metadata":{"a":1}}';
  assert.deepEqual(await decode(data), [{ type: "live", data: "hm", subtype: "thinking" }]);
});

Deno.test("an end whose data is an object, not a JSON string, is read too", async () => {
  const [event] = await decode('{"type":"end","data":{"success":true,"reply":"ok"}}');
  assert.deepEqual(event, {
    type: "end",
    end: { success: true, reply: "ok", usage: null, newToken: null, message: null },
  });
});

Deno.test("an end with success false keeps its message", async () => {
  const [event] = await decode(
    JSON.stringify({ type: "end", data: JSON.stringify({ success: false, message: "Nope" }) }),
  );
  assert.equal(event?.type, "end");
  assert.equal(event.end.success, false);
  assert.equal(event.end.message, "Nope");
});

Deno.test("an error event yields its message", async () => {
  assert.deepEqual(await decode('{"type":"error","data":"Sorry, your query has been rejected."}'), [
    { type: "error", message: "Sorry, your query has been rejected." },
  ]);
});

Deno.test("an error event whose data is not a string yields that data as JSON", async () => {
  assert.deepEqual(await decode('{"type":"error","data":{"code":"x"}}'), [
    { type: "error", message: '{"code":"x"}' },
  ]);
});

Deno.test("an error event without data still yields a string message", async () => {
  const [event] = await decode('{"type":"error"}');
  assert.equal(event?.type, "error");
  assert.equal(typeof event.message, "string");
});

Deno.test("an event of a type this gateway does not know is skipped, and the stream goes on", async () => {
  assert.deepEqual(
    await decode('{"type":"ping"}', '{"type":"live","data":"a"}', '{"type":"usage","data":1}'),
    [{ type: "live", data: "a", subtype: null }],
  );
});

Deno.test("the counter counts every event read, skipped ones included", async () => {
  const counter = { events: 0 };
  await Array.fromAsync(
    ReadableStream.from(['{"type":"ping"}', '{"type":"live","data":"a"}'])
      .pipeThrough(new AiEngineEventStream(counter)),
  );
  assert.equal(counter.events, 2);
});

for (
  const [what, data, message] of [
    ["data that is not JSON", "{not json", "Invalid upstream event: not JSON"],
    ["an empty data", "", "Invalid upstream event: not JSON"],
    ["a JSON array", '[{"type":"live"}]', "Invalid upstream event: not a JSON object"],
    ["a JSON string", '"live"', "Invalid upstream event: not a JSON object"],
    ["null", "null", "Invalid upstream event: not a JSON object"],
    ["an object without type", '{"data":"Hi"}', 'Invalid upstream event: missing "type"'],
    [
      "a type that is not a string",
      '{"type":1,"data":"Hi"}',
      'Invalid upstream event: missing "type"',
    ],
    ["a live event without text", '{"type":"live"}', 'Invalid upstream event: "live" without text'],
    [
      "a live event with a number",
      '{"type":"live","data":4}',
      'Invalid upstream event: "live" without text',
    ],
    [
      "an end whose data is not JSON",
      '{"type":"end","data":"{oops"}',
      'Invalid upstream event: "end" data is not JSON',
    ],
    [
      "an end without success",
      '{"type":"end","data":"{\\"reply\\":\\"x\\"}"}',
      'Invalid upstream answer: no "success"',
    ],
    ["an end without data", '{"type":"end"}', 'Invalid upstream answer: no "success"'],
  ] as const
) {
  Deno.test(`${what} errors the stream as malformed`, async () => {
    const error = await decodeError(data);
    assert.equal(error.type, "malformed");
    assert.ok(error.message.startsWith(`${message}: `), error.message);
  });
}

Deno.test("a malformed event after good ones errors the stream after passing them on", async () => {
  const outcome = await outcomeOf(
    ReadableStream.from(['{"type":"live","data":"a"}', "{", '{"type":"live","data":"b"}'])
      .pipeThrough(new AiEngineEventStream()),
  );
  assert.deepEqual(outcome.values, [{ type: "live", data: "a", subtype: null }]);
  assert.ok(outcome.error instanceof AiEngineError);
  assert.equal(outcome.error.type, "malformed");
});

Deno.test("a malformed event's message quotes at most 80 characters of it, and keeps the cause", async () => {
  const error = await decodeError(`{${"x".repeat(200)}`);
  assert.equal(error.message, `Invalid upstream event: not JSON: {${"x".repeat(79)}…`);
  assert.ok(error.cause instanceof SyntaxError);
});

Deno.test("an event split across SSE chunks decodes once, however cut", async () => {
  const text = 'data: {"type":"live",\ndata: "data":"Привет 👋"}\n\n';
  for (const cut of textCuts(text)) {
    const events = await Array.fromAsync(
      cut.stream().pipeThrough(new EventDataStream()).pipeThrough(new AiEngineEventStream()),
    );
    assert.deepEqual(events, [{ type: "live", data: "Привет 👋", subtype: null }], cut.label);
  }
});

Deno.test("parseEnd reads a non-streamed answer and counts missing token numbers as 0", () => {
  assert.deepEqual(
    parseEnd({
      success: true,
      reply: "Hi",
      usage: { prompt_tokens: 3, completion_tokens: "2", price: 0.01 },
      new_token: "",
    }),
    {
      success: true,
      reply: "Hi",
      usage: { prompt_tokens: 3, completion_tokens: 0, total_tokens: 0, price: 0.01 },
      newToken: null,
      message: null,
    },
  );
});

Deno.test("parseEnd refuses what is not an answer object as malformed", () => {
  for (const value of [null, "ok", [], { reply: "x" }, { success: "true" }]) {
    assert.throws(
      () => parseEnd(value),
      (error) => error instanceof AiEngineError && error.type === "malformed",
      JSON.stringify(value),
    );
  }
});
