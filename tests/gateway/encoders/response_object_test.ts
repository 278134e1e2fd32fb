import assert from "node:assert/strict";
import type OpenAI from "openai";
import {
  outputMessage,
  type ResponseMeta,
  responseObject,
} from "../../../lib/gateway/encoders/response_object.ts";

const META: ResponseMeta = {
  id: "resp_1",
  messageId: "msg_1",
  createdAt: 1_700_000_000,
  model: "support",
  echo: {
    instructions: "Be brief",
    max_output_tokens: 50,
    temperature: 0.2,
    top_p: null,
    metadata: { topic: "x" },
    previous_response_id: "resp_0",
    store: true,
    user: null,
    safety_identifier: "user-7",
  },
};
const USAGE = { prompt_tokens: 7, completion_tokens: 8, total_tokens: 15, price: 0.001 };

Deno.test("a completed response holds its message, AI Engine's usage and the request's settings", () => {
  const response: OpenAI.Responses.Response = responseObject(META, {
    status: "completed",
    text: "Hello",
    usage: USAGE,
  }) as unknown as OpenAI.Responses.Response;
  assert.equal(response.object, "response");
  assert.equal(response.status, "completed");
  assert.deepEqual(response.output, [outputMessage("msg_1", "Hello", "completed")]);
  assert.deepEqual(response.usage, {
    input_tokens: 7,
    input_tokens_details: { cached_tokens: 0 },
    output_tokens: 8,
    output_tokens_details: { reasoning_tokens: 0 },
    total_tokens: 15,
  });
  assert.equal(response.error, null);
  assert.equal(response.instructions, "Be brief");
  assert.equal(response.previous_response_id, "resp_0");
  assert.equal(response.safety_identifier, "user-7");
  assert.deepEqual(response.metadata, { topic: "x" });
  assert.equal(typeof response.completed_at, "number");
  assert.ok(!("mwai" in response));
});

Deno.test("a response in progress has no output and no usage yet", () => {
  const response = responseObject(META, { status: "in_progress", text: null });
  assert.deepEqual(response.output, []);
  assert.equal(response.usage, null);
  assert.equal(response.completed_at, null);
});

Deno.test("a failed response holds its error and the text so far, incomplete", () => {
  const error = { code: "upstream_failed", message: "The site failed" };
  const response = responseObject(META, { status: "failed", text: "Hel", error });
  assert.deepEqual(response.error, error);
  assert.equal(response.output[0]!.status, "incomplete");
  assert.equal(response.output[0]!.content[0]!.text, "Hel");
  assert.equal(response.usage?.total_tokens, 0);
});

Deno.test("the site's extras go, namespaced, on the response", () => {
  const extras = { images: ["https://example.com/a.png"], actions: [], shortcuts: [], blocks: [] };
  const response = responseObject(META, { status: "completed", text: "", extras });
  assert.deepEqual(response.mwai, extras);
});
