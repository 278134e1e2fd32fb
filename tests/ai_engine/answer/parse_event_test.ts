import assert from "node:assert/strict";
import { AiEngineError } from "../../../lib/ai_engine/ai_engine_error.ts";
import type { AiEngineEvent } from "../../../lib/ai_engine/answer/events.ts";
import { parseEnd, parseEvent } from "../../../lib/ai_engine/answer/parse_event.ts";
import { SseDataParser } from "../../../lib/streams/sse_data_parser.ts";
import { byteCuts, type Outcome, textCuts } from "../../support/chunking.ts";
import { recordedStreams } from "../../support/recorded_answers.ts";

/**
 * The events of an SSE body, read as the gateway reads them: each decoded chunk fed to
 * the SSE parser, each event's data to `parseEvent`, unknown types skipped.
 */
async function eventsOf(text: ReadableStream<string>): Promise<Outcome<AiEngineEvent>> {
  const parser = new SseDataParser();
  const values: AiEngineEvent[] = [];
  try {
    for await (const chunk of text) {
      parser.feed(chunk, (data) => {
        const event = parseEvent(data);
        if (event) values.push(event);
      });
    }
    return { values, failed: false };
  } catch (error) {
    return { values, failed: true, error };
  }
}

/** The events of an SSE body's bytes. */
function eventsOfBytes(bytes: ReadableStream<Uint8Array>): Promise<Outcome<AiEngineEvent>> {
  return eventsOf(bytes.pipeThrough(new TextDecoderStream()));
}

/** The error `parseEvent` throws for `data`. */
function parseError(data: string): AiEngineError {
  try {
    parseEvent(data);
  } catch (error) {
    assert.ok(error instanceof AiEngineError, `expected an AiEngineError: ${error}`);
    return error;
  }
  assert.fail(`parseEvent(${JSON.stringify(data)}) did not throw`);
}

const RECORDED = recordedStreams();

Deno.test("recordedStreams: the recordings hold the streams these tests expect", () => {
  // Both captures: 23 streams at the top level, 18 in rerun/.
  assert.equal(RECORDED.length, 41, RECORDED.map((stream) => stream.name).join("\n"));
  assert.ok(RECORDED.some((stream) => stream.name === "rerun/h-old-nonce-stream.txt"));
});

for (const recorded of RECORDED) {
  Deno.test(`parseEvent: ${recorded.name} decodes to the same events however its bytes are cut`, async () => {
    const whole = await eventsOfBytes(ReadableStream.from([recorded.body]));
    assert.equal(whole.failed, false, `whole: ${whole.error}`);
    for (const cut of byteCuts(recorded.body)) {
      const outcome = await eventsOfBytes(cut.stream());
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
      assert.equal(usage.total_tokens, usage.prompt_tokens! + usage.completion_tokens!);
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

Deno.test("parseEvent: the double-encoded end of an ageing nonce's answer parses to usage and new_token", async () => {
  for (
    const [name, usage, token] of [
      ["h-old-nonce-stream.txt", [1, 8, 9], "55b8d074d1"],
      ["rerun/h-old-nonce-stream.txt", [7, 8, 15], "03ff400d5e"],
    ] as const
  ) {
    const recorded = RECORDED.find((stream) => stream.name === name);
    assert.ok(recorded, name);
    const { values: events } = await eventsOfBytes(ReadableStream.from([recorded.body]));
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

Deno.test("parseEvent: the event-log status of d4 is a live event with its subtype", async () => {
  const recorded = RECORDED.find((stream) => stream.name === "d4-submit-stream-event_logs-on.txt");
  assert.ok(recorded);
  const [first] = (await eventsOfBytes(ReadableStream.from([recorded.body]))).values;
  assert.deepEqual(first, { type: "live", data: "Starting stream...", subtype: "status" });
});

Deno.test("parseEvent: a live event is its text, with subtype null when it has none", () => {
  assert.deepEqual(parseEvent('{"type":"live","data":"\\u041f\\u0440\\ud83d\\udc4b"}'), {
    type: "live",
    data: "Пр👋",
    subtype: null,
  });
});

Deno.test("parseEvent: a live event keeps its subtype and drops the event-log extras", () => {
  const data = '{"type":"live","data":"hm","subtype":"thinking","visibility":"collapsed",' +
    '"timestamp":1.5,"metadata":{"a":1}}';
  assert.deepEqual(parseEvent(data), { type: "live", data: "hm", subtype: "thinking" });
});

Deno.test("parseEvent: an end whose data is an object, not a JSON string, is read too", () => {
  assert.deepEqual(parseEvent('{"type":"end","data":{"success":true,"reply":"ok"}}'), {
    type: "end",
    end: { success: true, reply: "ok", usage: null, newToken: null, message: null },
  });
});

Deno.test("parseEvent: an end with success false keeps its message", () => {
  const event = parseEvent(
    JSON.stringify({ type: "end", data: JSON.stringify({ success: false, message: "Nope" }) }),
  );
  assert.equal(event?.type, "end");
  assert.equal(event.end.success, false);
  assert.equal(event.end.message, "Nope");
});

Deno.test("parseEvent: an error event carries its message", () => {
  assert.deepEqual(parseEvent('{"type":"error","data":"Sorry, your query has been rejected."}'), {
    type: "error",
    message: "Sorry, your query has been rejected.",
  });
});

Deno.test("parseEvent: an error event whose data is not a string carries that data as JSON", () => {
  assert.deepEqual(parseEvent('{"type":"error","data":{"code":"x"}}'), {
    type: "error",
    message: '{"code":"x"}',
  });
});

Deno.test("parseEvent: an error event without data still carries a string message", () => {
  const event = parseEvent('{"type":"error"}');
  assert.equal(event?.type, "error");
  assert.equal(typeof event.message, "string");
});

Deno.test("parseEvent: an event of a type this gateway does not know is null, to be skipped", () => {
  assert.equal(parseEvent('{"type":"ping"}'), null);
  assert.equal(parseEvent('{"type":"usage","data":1}'), null);
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
  Deno.test(`parseEvent: ${what} throws a malformed AiEngineError`, () => {
    const error = parseError(data);
    assert.equal(error.type, "malformed");
    assert.ok(error.message.startsWith(`${message}: `), error.message);
  });
}

Deno.test("parseEvent: a malformed event's message quotes at most 80 characters of it, and keeps the cause", () => {
  const error = parseError(`{${"x".repeat(200)}`);
  assert.equal(error.message, `Invalid upstream event: not JSON: {${"x".repeat(79)}…`);
  assert.ok(error.cause instanceof SyntaxError);
});

Deno.test("parseEvent: an event split across SSE chunks and data lines decodes once, however cut", async () => {
  const text = 'data: {"type":"live",\ndata: "data":"Привет 👋"}\n\n';
  for (const cut of textCuts(text)) {
    const outcome = await eventsOf(cut.stream());
    assert.equal(outcome.failed, false, `${cut.label}: ${outcome.error}`);
    assert.deepEqual(
      outcome.values,
      [{ type: "live", data: "Привет 👋", subtype: null }],
      cut.label,
    );
  }
});

Deno.test("parseEnd: it reads a non-streamed answer; a missing or odd token count is null", () => {
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
      usage: { prompt_tokens: 3, completion_tokens: null, total_tokens: null, price: 0.01 },
      newToken: null,
      message: null,
    },
  );
});

Deno.test("parseEnd: only safe non-negative whole token counts pass, else null", () => {
  const usageOf = (usage: unknown) => parseEnd({ success: true, usage }).usage;
  for (const odd of [1e308, -5, 2.5, "12", Infinity, 2 ** 53, true, null, [3], { n: 1 }]) {
    const usage = usageOf({ prompt_tokens: odd, completion_tokens: odd, total_tokens: odd });
    assert.deepEqual(usage, { prompt_tokens: null, completion_tokens: null, total_tokens: null });
  }
  assert.deepEqual(usageOf({ prompt_tokens: 0, completion_tokens: 7, total_tokens: 7 }), {
    prompt_tokens: 0,
    completion_tokens: 7,
    total_tokens: 7,
  });
  assert.equal(usageOf({ price: -1 })?.price, undefined);
  assert.equal(usageOf({ price: 1e999 })?.price, undefined);
  assert.equal(usageOf({ price: 0.002 })?.price, 0.002);
});

Deno.test("parseEnd: it refuses what is not an answer object as malformed", () => {
  for (const value of [null, "ok", [], { reply: "x" }, { success: "true" }]) {
    assert.throws(
      () => parseEnd(value),
      (error) => error instanceof AiEngineError && error.type === "malformed",
      JSON.stringify(value),
    );
  }
});
