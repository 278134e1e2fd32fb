/**
 * Hostile and broken requests: each gets a 4xx error in OpenAI's shape that names the
 * problem, nothing reaches the site, and the server keeps serving.
 */
import assert from "node:assert/strict";
import { startGateway } from "./gateway.ts";
import { ANSWER, assertError, post } from "./http_client.ts";

interface Hostile {
  name: string;
  path?: string;
  body: string | Uint8Array | ReadableStream<Uint8Array>;
  headers?: Record<string, string>;
  status: number;
  code: string;
  /** The error's `param`, or a pattern its message must match. */
  names: string | RegExp;
}

const user = (content: unknown) => ({ messages: [{ role: "user", content }] });
const json = (value: unknown) => JSON.stringify(value);
const bad = (name: string, value: unknown, names: string | RegExp): Hostile => ({
  name,
  body: json(value),
  status: 400,
  code: "invalid_request",
  names,
});

const HOSTILE: Hostile[] = [
  {
    name: "invalid JSON",
    body: '{"messages":',
    status: 400,
    code: "invalid_json",
    names: /not valid JSON/,
  },
  {
    name: "a JSON array body",
    body: "[]",
    status: 400,
    code: "invalid_request",
    names: /JSON object/,
  },
  {
    name: "a JSON string body",
    body: '"hello"',
    status: 400,
    code: "invalid_request",
    names: /JSON object/,
  },
  {
    name: "a JSON null body",
    body: "null",
    status: 400,
    code: "invalid_request",
    names: /JSON object/,
  },
  bad("no message at all", {}, "messages"),
  bad("empty messages", { messages: [] }, "messages"),
  bad("messages as a string", { messages: "Hello" }, "messages"),
  bad("messages as an object", { messages: { role: "user" } }, "messages"),
  bad("a message that is a number", { message: 5 }, "message"),
  bad("both message and messages", { message: "a", ...user("b") }, "message"),
  bad("an empty message", { message: "" }, "message"),
  bad("a blank message", { message: " \n\t " }, "message"),
  bad("content null", user(null), "messages[0].content"),
  bad("content a number", user(42), "messages[0].content"),
  bad("content an object", user({ text: "hi" }), "messages[0].content"),
  bad(
    "a remote image URL",
    user([{ type: "image_url", image_url: { url: "http://x/y.png" } }]),
    "messages[0].content[0].image_url.url",
  ),
  bad(
    "an audio part",
    user([{ type: "input_audio", input_audio: { data: "", format: "wav" } }]),
    "messages[0].content[0]",
  ),
  bad("a text part without text", user([{ type: "text" }]), "messages[0].content[0]"),
  bad("a message without role", { messages: [{ content: "Hi" }] }, "messages[0].role"),
  bad(
    "a role that does not exist",
    { messages: [{ role: "wizard", content: "Hi" }] },
    "messages[0].role",
  ),
  {
    ...bad(
      "a tool message",
      { messages: [{ role: "tool", content: "42", tool_call_id: "x" }] },
      /tool calls are not supported/,
    ),
    code: "unsupported_parameter",
  },
  bad("a role that is a number", { messages: [{ role: 1, content: "Hi" }] }, "messages[0].role"),
  bad("a message that is a string", { messages: ["Hi"] }, "messages[0]"),
  bad("a conversation ending with the assistant", {
    messages: [{ role: "user", content: "Hi" }, { role: "assistant", content: "Hello" }],
  }, "messages"),
  bad("only a system message", { messages: [{ role: "system", content: "Be nice" }] }, "messages"),
  bad("10,000 messages", {
    messages: Array.from({ length: 10_000 }, () => ({ role: "user", content: "a" })),
  }, "messages"),
  bad("a model that is not a string", { message: "Hi", model: ["default"] }, "model"),
  {
    name: "a 1 MB string past the size limit",
    body: json({ message: "я".repeat(600_000) }),
    status: 413,
    code: "request_too_large",
    names: /larger than 1048576 bytes/,
  },
  {
    name: "deep nesting",
    body: `{"message":${"[".repeat(400_000)}${"]".repeat(400_000)}}`,
    status: 400,
    code: "invalid_request",
    names: "message",
  },
  {
    name: "invalid UTF-8",
    body: new Uint8Array([0x7b, 0x22, 0x6d, 0x22, 0x3a, 0x22, 0xff, 0xfe, 0x22, 0x7d]),
    status: 400,
    code: "invalid_request",
    names: /UTF-8/,
  },
  {
    name: "a form content type",
    body: "message=hi",
    headers: { "content-type": "application/x-www-form-urlencoded" },
    status: 415,
    code: "unsupported_media_type",
    names: /application\/json/,
  },
  {
    name: "no content type",
    body: new TextEncoder().encode(json({ message: "hi" })),
    headers: { "content-type": "" },
    status: 415,
    code: "unsupported_media_type",
    names: /missing/,
  },
  {
    name: "a chunked body past the size limit",
    body: chunked(2 * 1024 * 1024),
    status: 413,
    code: "request_too_large",
    names: /larger than/,
  },
  {
    name: "a body that trickles in past the time limit",
    body: trickle(),
    status: 408,
    code: "request_timeout",
    names: /did not arrive within/,
  },
  {
    name: "CR/LF smuggled into a model name",
    body: json({ message: "Hi", model: "x\r\nSet-Cookie: pwned=1" }),
    status: 404,
    code: "model_not_found",
    names: "model",
  },
  {
    name: "a huge bearer token",
    path: "/v1/chat/completions",
    body: json(user("Hi")),
    headers: { authorization: `Bearer ${"k".repeat(16_000)}` },
    status: 401,
    code: "invalid_api_key",
    names: /Invalid API key/,
  },
  ...[
    bad("stream as a string", { ...user("Hi"), stream: "yes" }, "stream"),
    bad("stream_options as a string", { ...user("Hi"), stream_options: "usage" }, "stream_options"),
    bad("temperature out of range", { ...user("Hi"), temperature: 7 }, "temperature"),
    {
      ...bad("n greater than one", { ...user("Hi"), n: 3 }, /one answer/),
      code: "unsupported_parameter",
    },
  ].map((hostile) => ({ ...hostile, path: "/v1/chat/completions" })),
];

Deno.test("hostile requests get a clear 4xx, never a crash", async (t) => {
  await using gw = await startGateway({ API_KEYS: "k1", UPSTREAM_TIMEOUT_MS: "800" });
  const auth = { authorization: "Bearer k1" };

  for (const hostile of HOSTILE) {
    await t.step(`${hostile.name}: ${hostile.status} ${hostile.code}`, async () => {
      const path = hostile.path ?? "/api/chat";
      const headers = { "content-type": "application/json", ...auth, ...hostile.headers };
      if (headers["content-type"] === "") {
        delete (headers as Record<string, string>)["content-type"];
      }
      const response = await fetch(`${gw.base}${path}`, {
        method: "POST",
        headers,
        body: hostile.body as BodyInit,
      });
      assert.equal(response.headers.get("set-cookie"), null);
      const error = await assertError(response, hostile.status, hostile.code);
      if (typeof hostile.names === "string") {
        assert.equal(error.param, hostile.names, error.message);
      } else assert.match(error.message, hostile.names);
    });
  }

  await t.step("unknown routes and methods are 404 and 405", async () => {
    await assertError(await fetch(`${gw.base}/wp-admin/`), 404, "not_found");
    await assertError(
      await fetch(`${gw.base}/v1/chat/completions`, { method: "PUT", headers: auth }),
      405,
      "method_not_allowed",
    );
  });

  await t.step("nothing of it reached the site, and the server still answers", async () => {
    assert.equal(gw.site.submits.length, 0);
    const response = await post(gw.base, "/api/chat", { message: "Hello" }, { headers: auth });
    assert.equal(await response.text(), ANSWER);
  });

  await t.step("every log line stayed one line of JSON", async () => {
    const logs = await gw.logs();
    assert.ok(logs.length >= HOSTILE.length);
    for (const line of logs) assert.ok(!JSON.stringify(line).includes("pwned=1\n"));
  });
});

function chunked(size: number): ReadableStream<Uint8Array> {
  let sent = 0;
  return new ReadableStream({
    pull(controller) {
      if (sent >= size) return controller.close();
      controller.enqueue(
        new TextEncoder().encode(sent === 0 ? '{"message":"' : "x".repeat(64 * 1024)),
      );
      sent += 64 * 1024;
    },
  });
}

/** A body that sends a byte every 300 ms, ten times: 3 s in all. */
function trickle(): ReadableStream<Uint8Array> {
  let timer: ReturnType<typeof setTimeout> | undefined;
  let sent = 0;
  return new ReadableStream({
    async pull(controller) {
      await new Promise((resolve) => timer = setTimeout(resolve, 300));
      if (++sent > 10) return controller.close();
      controller.enqueue(new TextEncoder().encode(" "));
    },
    cancel() {
      clearTimeout(timer);
    },
  });
}
