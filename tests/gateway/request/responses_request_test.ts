import assert from "node:assert/strict";
import { parseResponsesRequest } from "../../../lib/gateway/request/responses_request.ts";
import { HttpError } from "../../../lib/gateway/http_error.ts";

const none = () => undefined;

function refusal(body: unknown): HttpError {
  try {
    parseResponsesRequest(body, none);
  } catch (error) {
    assert.ok(error instanceof HttpError);
    return error;
  }
  throw new Error(`Not refused: ${JSON.stringify(body)}`);
}

Deno.test("a request reads as the chat every face asks, and what the response repeats", () => {
  const request = parseResponsesRequest({
    model: "support",
    instructions: "Be brief",
    input: "Hi",
    stream: true,
    previous_response_id: "resp_1",
    metadata: { chatId: "chat-1", topic: "x" },
    safety_identifier: "user-7",
    max_output_tokens: 50,
    temperature: 0.5,
    store: false,
  }, none);
  assert.deepEqual(request.chat, {
    model: "support",
    messages: [{ role: "user", content: "Hi" }],
    images: [],
    stream: true,
    includeUsage: true,
    chatId: "chat-1",
    endUser: "user-7",
  });
  assert.equal(request.previousResponseId, "resp_1");
  assert.deepEqual(request.echo, {
    instructions: "Be brief",
    max_output_tokens: 50,
    temperature: 0.5,
    top_p: null,
    metadata: { chatId: "chat-1", topic: "x" },
    previous_response_id: "resp_1",
    store: false,
    user: null,
    safety_identifier: "user-7",
  });
});

Deno.test("the defaults: not streamed, stored as OpenAI says, no chat id of the client's", () => {
  const request = parseResponsesRequest({ input: "Hi" }, none);
  assert.equal(request.chat.stream, false);
  assert.equal(request.chat.model, null);
  assert.equal(request.chat.chatId, null);
  assert.equal(request.echo.store, true);
  assert.deepEqual(request.echo.metadata, {});
});

Deno.test("bad fields are 400s naming them", () => {
  const cases: [unknown, string | null][] = [
    ["Hi", null],
    [{}, "input"],
    [{ input: "  " }, "input"],
    [{ input: "Hi", model: "" }, "model"],
    [{ input: "Hi", stream: 1 }, "stream"],
    [{ input: "Hi", instructions: ["x"] }, "instructions"],
    [{ input: "Hi", previous_response_id: 7 }, "previous_response_id"],
    [{ input: "Hi", metadata: "x" }, "metadata"],
    [{ input: "Hi", metadata: { chatId: "a b" } }, "metadata.chatId"],
    [{ input: "Hi", user: 7 }, "user"],
    [{ input: "Hi", tools: [{ type: "function" }] }, "tools"],
  ];
  for (const [body, param] of cases) {
    const error = refusal(body);
    assert.equal(error.status, 400);
    assert.equal(error.param, param, JSON.stringify(body));
  }
});
