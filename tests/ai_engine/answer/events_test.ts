// events.ts holds only types: the events are made and tested by parse_event_test.ts, the
// chunks by answer_decoder_test.ts; here the compiler checks the shapes the faces rely on.
import assert from "node:assert/strict";
import type {
  AiEngineEnd,
  AiEngineEvent,
  AnswerFinish,
  AnswerPart,
} from "../../../lib/ai_engine/answer/events.ts";

/** What a face does with a part: every kind of part is handled, or this does not compile. */
function describePart(part: AnswerPart): string {
  switch (part.type) {
    case "text":
      return `text ${part.text}`;
    case "finish":
      return `finish ${part.reply}`;
  }
}

/** Every kind of event is handled, or this does not compile. */
function describeEvent(event: AiEngineEvent): string {
  switch (event.type) {
    case "live":
      return `live ${event.subtype ?? "content"}`;
    case "end":
      return `end ${event.end.success}`;
    case "error":
      return `error ${event.message}`;
  }
}

Deno.test("an answer part is text or a finish, and AnswerFinish is the finish part", () => {
  const finish: AnswerFinish = { type: "finish", reply: "Hi", usage: null, newToken: null };
  const parts: AnswerPart[] = [{ type: "text", text: "Hi" }, finish];
  assert.deepEqual(parts.map(describePart), ["text Hi", "finish Hi"]);
});

Deno.test("an upstream event is a live piece, the end, or an error", () => {
  const end: AiEngineEnd = { success: true, reply: "", usage: null, newToken: null, message: null };
  const events: AiEngineEvent[] = [
    { type: "live", data: "Hi", subtype: null },
    { type: "live", data: "Thinking", subtype: "thinking" },
    { type: "end", end },
    { type: "error", message: "No" },
  ];
  assert.deepEqual(events.map(describeEvent), [
    "live content",
    "live thinking",
    "end true",
    "error No",
  ]);
});
