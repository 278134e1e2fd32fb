// answer_encoder.ts is the interface every face implements; each face's own bytes are
// tested in its file (plain_text_test.ts, openai_test.ts, ui_message_stream_test.ts). Here:
// the contract the answer body relies on, checked on every face.
import assert from "node:assert/strict";
import type { AnswerEncoder } from "../../../lib/gateway/encoders/answer_encoder.ts";
import { chatCompletionChunks, completionMeta } from "../../../lib/gateway/encoders/openai.ts";
import { PLAIN_TEXT } from "../../../lib/gateway/encoders/plain_text.ts";
import { uiMessageStream } from "../../../lib/gateway/encoders/ui_message_stream.ts";
import { HttpError } from "../../../lib/gateway/http_error.ts";
import { finish } from "../../support/answer_readers.ts";

// deno-lint-ignore no-explicit-any -- each face's event has its own shape, read by its path
type TextOf = (event: any) => unknown;
const SSE_FACES: [string, AnswerEncoder, TextOf][] = [
  [
    "chat completion chunks",
    chatCompletionChunks(completionMeta("default", true)),
    (event) => event.choices[0].delta.content,
  ],
  ["UI message stream", uiMessageStream("msg-1"), (event) => event.delta],
];
const FACES: [string, AnswerEncoder][] = [
  ["plain text", PLAIN_TEXT],
  ...SSE_FACES.map(([face, encoder]) => [face, encoder] as [string, AnswerEncoder]),
];
const failure = new HttpError(502, "The site failed", {
  type: "api_error",
  code: "upstream_failed",
});
const TRICKY = 'a "quote", a\nnew line, data: [DONE] and 👋';

/** The JSON of each `data:` line of an SSE text, `[DONE]` left out. */
function dataOf(sse: string): unknown[] {
  return sse.split("\n").filter((line) => line.startsWith("data: ") && line !== "data: [DONE]")
    .map((line) => JSON.parse(line.slice("data: ".length)));
}

for (const [face, encoder] of FACES) {
  Deno.test(`${face}: the keep-alive is nothing, or an SSE comment that means nothing`, () => {
    if (encoder.keepAlive !== null) assert.match(encoder.keepAlive, /^:[^\n]*\n\n$/);
  });
}

Deno.test("plain text writes the answer's text and nothing else, and cannot say a failure", () => {
  const body = PLAIN_TEXT.start + PLAIN_TEXT.text(TRICKY) + PLAIN_TEXT.finish(finish(TRICKY));
  assert.equal(body, TRICKY);
  assert.equal(PLAIN_TEXT.failure(failure), null);
});

for (const [face, encoder, textOf] of SSE_FACES) {
  Deno.test(`${face}: every write is whole events, each a data: line of JSON and a blank line`, () => {
    const writes = [
      encoder.start,
      encoder.text(TRICKY),
      encoder.finish(finish(TRICKY)),
      encoder.failure(failure)!,
    ];
    for (const write of writes) {
      assert.match(write, /^(data: [^\n]+\n\n)+$/, JSON.stringify(write));
      assert.ok(dataOf(write).every((event) => typeof event === "object" && event !== null));
    }
  });

  Deno.test(`${face}: any text survives the framing, a new line or a [DONE] in it included`, () => {
    assert.deepEqual(dataOf(encoder.text(TRICKY)).map(textOf), [TRICKY]);
  });

  Deno.test(`${face}: a failure is said in band, with its message, and the stream is not marked done`, () => {
    const said = encoder.failure(failure)!;
    assert.ok(said.includes("The site failed"));
    assert.ok(!said.includes("[DONE]"));
    assert.ok(encoder.finish(finish("")).endsWith("data: [DONE]\n\n"));
  });
}
