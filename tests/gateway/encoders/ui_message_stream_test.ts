import assert from "node:assert/strict";
import { uiMessageStream } from "../../../lib/gateway/encoders/ui_message_stream.ts";
import { HttpError } from "../../../lib/gateway/http_error.ts";

const FINISH = { type: "finish", reply: "Hi", usage: null, newToken: null } as const;
const parts = (sse: string) =>
  sse.split("\n\n").filter((block) => block.startsWith("data: ")).map((block) => block.slice(6));

Deno.test("a whole answer is start, text-start, deltas, text-end, finish, [DONE]", () => {
  const sse = uiMessageStream("msg-1");
  const wire = sse.start + sse.text("Hel") + sse.text('lo "quoted"\n') + sse.finish(FINISH);
  const data = parts(wire);
  assert.equal(data.pop(), "[DONE]");
  assert.deepEqual(data.map((d) => JSON.parse(d)), [
    { type: "start", messageId: "msg-1" },
    { type: "text-start", id: "text-1" },
    { type: "text-delta", id: "text-1", delta: "Hel" },
    { type: "text-delta", id: "text-1", delta: 'lo "quoted"\n' },
    { type: "text-end", id: "text-1" },
    { type: "finish", finishReason: "stop" },
  ]);
});

Deno.test("a failure is an error part with the message, then nothing: no finish, no [DONE]", () => {
  const error = new HttpError(502, "AI Engine's answer broke off", {
    type: "upstream_error",
    code: "upstream_truncated",
  });
  const said = uiMessageStream("msg-1").failure(error)!;
  assert.deepEqual(parts(said).map((d) => JSON.parse(d)), [
    { type: "error", errorText: "AI Engine's answer broke off" },
  ]);
});

Deno.test("keep-alive is an SSE comment, never a part the SDK would refuse", () => {
  assert.match(uiMessageStream("m").keepAlive!, /^:[^\n]*\n\n$/);
});
