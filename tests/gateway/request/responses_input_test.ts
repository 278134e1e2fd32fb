import assert from "node:assert/strict";
import { readResponsesInput } from "../../../lib/gateway/request/responses_input.ts";
import { HttpError } from "../../../lib/gateway/http_error.ts";

const GIF = "data:image/gif;base64,R0lGODlhAQABAAAAACw=";
const none = () => undefined;

function refusal(input: unknown, recall: (id: string) => string | undefined = none): HttpError {
  try {
    readResponsesInput(input, recall);
  } catch (error) {
    assert.ok(error instanceof HttpError);
    return error;
  }
  throw new Error(`Not refused: ${JSON.stringify(input)}`);
}

Deno.test("a string is one user message", () => {
  assert.deepEqual(readResponsesInput("Hello", none), {
    messages: [{ role: "user", content: "Hello" }],
    images: [],
  });
});

Deno.test("messages of every shape the SDKs send read as turns, system ones left out", () => {
  const { messages } = readResponsesInput([
    { role: "developer", content: "Be brief" },
    { role: "system", content: [{ type: "input_text", text: "Really" }] },
    { role: "user", content: "Hi" },
    // The Agents SDK's history: an output message, with its id and status.
    {
      type: "message",
      id: "msg_1",
      status: "completed",
      role: "assistant",
      content: [{ type: "output_text", text: "Hello", annotations: [] }],
    },
    { role: "assistant", content: [{ type: "refusal", refusal: "No." }] },
    {
      type: "message",
      role: "user",
      content: [{ type: "input_text", text: "A" }, { type: "input_text", text: "B" }],
    },
  ], none);
  assert.deepEqual(messages, [
    { role: "user", content: "Hi" },
    { role: "assistant", content: "Hello" },
    { role: "assistant", content: "No." },
    { role: "user", content: "A\nB" },
  ]);
});

Deno.test("an item_reference is the answer recall gives, else item_not_found naming it", () => {
  const recall = (id: string) => (id === "msg_1" ? "Hello" : undefined);
  const input = [{ role: "user", content: "Hi" }, { type: "item_reference", id: "msg_1" }, {
    role: "user",
    content: "More",
  }];
  assert.deepEqual(readResponsesInput(input, recall).messages[1], {
    role: "assistant",
    content: "Hello",
  });
  const error = refusal(
    [{ type: "item_reference", id: "msg_2" }, { role: "user", content: "Hi" }],
    recall,
  );
  assert.equal(error.code, "item_not_found");
  assert.equal(error.param, "input[0].id");
});

Deno.test("only the last user message's images are read, as uploads", () => {
  const image = (url: unknown) => ({ type: "input_image", image_url: url, detail: "auto" });
  const { images } = readResponsesInput([
    { role: "user", content: [image("not even a URL")] },
    { role: "assistant", content: "A picture" },
    { role: "user", content: [{ type: "input_text", text: "And this?" }, image(GIF)] },
  ], none);
  assert.equal(images.length, 1);
  assert.equal(images[0]!.type, "image/gif");
  const error = refusal([{ role: "user", content: [image("https://example.com/a.png")] }]);
  assert.equal(error.param, "input[0].content[0].image_url");
  const six = Array(6).fill(image(GIF));
  assert.equal(refusal([{ role: "user", content: six }]).param, "input[0].content[5]");
});

Deno.test("tool items, files and file ids are unsupported_parameter naming where", () => {
  const cases: [unknown, string][] = [
    [[{ type: "function_call", call_id: "c", name: "f", arguments: "{}" }], "input[0]"],
    [[{ type: "reasoning", summary: [] }], "input[0]"],
    [
      [{ role: "user", content: [{ type: "input_file", file_id: "file_1" }] }],
      "input[0].content[0]",
    ],
    [
      [{ role: "user", content: [{ type: "input_image", file_id: "file_1" }] }],
      "input[0].content[0].file_id",
    ],
  ];
  for (const [input, param] of cases) {
    const error = refusal(input);
    assert.equal(error.code, "unsupported_parameter", JSON.stringify(input));
    assert.equal(error.param, param);
  }
});

Deno.test("bad input is invalid_request naming the field", () => {
  const cases: [unknown, string][] = [
    [42, "input"],
    [[], "input"],
    [["Hi"], "input[0]"],
    [[{ role: "tool", content: "x" }], "input[0].role"],
    [[{ role: "user", content: 7 }], "input[0].content"],
    [[{ role: "user", content: [{ type: "text", text: "Hi" }] }], "input[0].content[0]"],
    [
      [{ role: "assistant", content: [{ type: "input_image", image_url: GIF }] }],
      "input[0].content[0]",
    ],
    [[{ role: "user", content: "Hi" }, { role: "assistant", content: "Hello" }], "input"],
    [Array(1001).fill({ role: "user", content: "Hi" }), "input"],
  ];
  for (const [input, param] of cases) {
    const error = refusal(input);
    assert.equal(error.code, "invalid_request", JSON.stringify(input).slice(0, 80));
    assert.equal(error.param, param);
  }
});
