import assert from "node:assert/strict";
import { EventSourceParserStream } from "eventsource-parser/stream";
import type { AnswerFinish } from "../../../lib/ai_engine/answer/events.ts";
import { AiEngineError } from "../../../lib/ai_engine/ai_engine_error.ts";
import type { ResponseMeta } from "../../../lib/gateway/encoders/response_object.ts";
import { responseEvents } from "../../../lib/gateway/encoders/responses_events.ts";
import { toHttpError } from "../../../lib/gateway/http_error.ts";
import { textCuts } from "../../support/chunking.ts";

const META: ResponseMeta = {
  id: "resp_1",
  messageId: "msg_1",
  createdAt: 1_700_000_000,
  model: "default",
  echo: {
    instructions: null,
    max_output_tokens: null,
    temperature: null,
    top_p: null,
    metadata: {},
    previous_response_id: null,
    store: true,
    user: null,
    safety_identifier: null,
  },
};
const USAGE = { prompt_tokens: 7, completion_tokens: 8, total_tokens: 15 };
const finish = (reply: string): AnswerFinish => ({
  type: "finish",
  reply,
  usage: USAGE,
  newToken: null,
});

/** The events of an SSE text, read by an independent parser: name and parsed data. */
async function eventsOf(sse: string): Promise<{ event: string; data: Record<string, unknown> }[]> {
  const parsed = await Array.fromAsync(
    ReadableStream.from([sse]).pipeThrough(new EventSourceParserStream()),
  );
  return parsed.map(({ event, data }) => ({ event: event ?? "", data: JSON.parse(data) }));
}

Deno.test("an answer is the whole event sequence, numbered from 0, each named by its type", async () => {
  const completed: string[] = [];
  const sse = responseEvents(META, (text) => completed.push(text));
  const pieces = ["Привет", ", ", "мир 👋", '\n"quoted"'];
  const events = await eventsOf(
    sse.start + pieces.map(sse.text).join("") + sse.finish(finish("x")),
  );
  assert.deepEqual(events.map((e) => e.data.type), [
    "response.created",
    "response.in_progress",
    "response.output_item.added",
    "response.content_part.added",
    ...pieces.map(() => "response.output_text.delta"),
    "response.output_text.done",
    "response.content_part.done",
    "response.output_item.done",
    "response.completed",
  ]);
  for (const [index, { event, data }] of events.entries()) {
    assert.equal(event, data.type);
    assert.equal(data.sequence_number, index);
  }
  const text = pieces.join("");
  assert.deepEqual(events.slice(4, 8).map((e) => e.data.delta), pieces);
  assert.deepEqual(events[4]!.data, {
    type: "response.output_text.delta",
    item_id: "msg_1",
    output_index: 0,
    content_index: 0,
    logprobs: [],
    delta: pieces[0],
    sequence_number: 4,
  });
  assert.equal(events[8]!.data.text, text);
  assert.deepEqual((events[2]!.data.item as { content: unknown[] }).content, []);
  // deno-lint-ignore no-explicit-any -- the response is checked field by field as OpenAI's JSON
  const done = events.at(-1)!.data.response as Record<string, any>;
  assert.equal(done.status, "completed");
  assert.equal(done.output[0].content[0].text, text);
  assert.equal(done.usage.total_tokens, 15);
  assert.deepEqual(completed, [text]);
});

Deno.test("the created response is in progress, with the id and model, no output yet", async () => {
  const [created] = await eventsOf(responseEvents(META).start);
  const response = created!.data.response as Record<string, unknown>;
  assert.deepEqual(
    [response.id, response.model, response.status, response.output, response.usage],
    ["resp_1", "default", "in_progress", [], null],
  );
});

Deno.test("a failure after text is response.failed, last, with the error and the text so far", async () => {
  const completed: string[] = [];
  const sse = responseEvents(META, (text) => completed.push(text));
  const error = toHttpError(
    new AiEngineError("truncated", "Upstream stream ended without its end event"),
  );
  const events = await eventsOf(sse.start + sse.text("Hel") + sse.failure(error)!);
  const last = events.at(-1)!.data;
  assert.equal(last.type, "response.failed");
  assert.equal(last.sequence_number, events.length - 1);
  // deno-lint-ignore no-explicit-any -- the response is checked field by field as OpenAI's JSON
  const response = last.response as Record<string, any>;
  assert.equal(response.status, "failed");
  assert.deepEqual(response.error, {
    code: "upstream_truncated",
    message: "Upstream stream ended without its end event",
  });
  assert.equal(response.output[0].content[0].text, "Hel");
  assert.ok(!events.some((e) => e.data.type === "response.completed"));
  assert.deepEqual(completed, [], "a failed answer was kept for the next turn");
});

Deno.test("the events read the same however the bytes are cut", async () => {
  const sse = responseEvents(META);
  const whole = sse.start + sse.text("Hello") + sse.finish(finish("Hello"));
  const expected = await eventsOf(whole);
  for (const cut of textCuts(whole)) {
    const parsed = await Array.fromAsync(
      cut.stream().pipeThrough(new EventSourceParserStream()),
      ({ data }) => JSON.parse(data),
    );
    assert.deepEqual(parsed, expected.map((e) => e.data), cut.label);
  }
});
