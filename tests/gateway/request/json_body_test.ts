import assert from "node:assert/strict";
import { readBody, readJsonBody } from "../../../lib/gateway/request/json_body.ts";
import { HttpError } from "../../../lib/gateway/http_error.ts";
import { byteCuts } from "../../support/chunking.ts";

const JSON_TYPE = { "content-type": "application/json" };

/** A POST whose body is the given stream (sent chunked: no Content-Length). */
function post(body: BodyInit | null, headers: Record<string, string> = JSON_TYPE): Request {
  return new Request("http://gateway.test/api/chat", { method: "POST", body, headers });
}

/** A body source that counts its pulls and records whether it was cancelled. */
function source(chunks: (i: number) => Uint8Array | "wait" | "close") {
  const record = { pulls: 0, cancelled: false };
  const stream = new ReadableStream<Uint8Array>({
    pull(controller) {
      const next = chunks(record.pulls++);
      if (next === "close") controller.close();
      else if (next !== "wait") controller.enqueue(next);
      // "wait": enqueue nothing; the body stalls without a timer of ours
    },
    cancel() {
      record.cancelled = true;
    },
  }, { highWaterMark: 0 });
  return { stream, record };
}

function refusedWith(status: number, code: string) {
  return (error: unknown) => {
    assert.ok(error instanceof HttpError, String(error));
    assert.equal(error.status, status, error.message);
    assert.equal(error.code, code);
    assert.equal(error.type, "invalid_request_error");
    return true;
  };
}

const bytes = (text: string) => new TextEncoder().encode(text);

Deno.test("a body within the limit is read whole, however its bytes arrive", async () => {
  const body = bytes('{"message":"Привет, мир! 👋"}');
  for (const cut of byteCuts(body)) {
    assert.deepEqual(await readBody(post(cut.stream()), 1024), body, cut.label);
  }
});

Deno.test("a request without a body reads as no bytes", async () => {
  assert.deepEqual(await readBody(post(null), 1024), new Uint8Array(0));
});

Deno.test("a body of exactly the limit passes; one byte more is 413", async () => {
  assert.equal((await readBody(post("x".repeat(100)), 100)).length, 100);
  await assert.rejects(readBody(post("x".repeat(101)), 100), refusedWith(413, "request_too_large"));
});

Deno.test("a Content-Length over the limit is refused with 413 before the body is read", async () => {
  const body = source(() => new Uint8Array(10));
  const request = post(body.stream, { ...JSON_TYPE, "content-length": "2000" });
  await assert.rejects(readBody(request, 1000), refusedWith(413, "request_too_large"));
  assert.equal(body.record.pulls, 0);
});

Deno.test("a chunked body without Content-Length is refused with 413 once it passes the limit", async () => {
  const body = source(() => new Uint8Array(100)); // endless
  await assert.rejects(readBody(post(body.stream), 1000), refusedWith(413, "request_too_large"));
  assert.ok(body.record.pulls <= 12, `read ${body.record.pulls} chunks of 100 bytes for 1000`);
  assert.equal(body.record.cancelled, true, "the rest of the body is cancelled");
});

Deno.test("a body longer than its Content-Length says is still cut at the limit", async () => {
  const body = source((i) => i < 50 ? new Uint8Array(100) : "close");
  const request = post(body.stream, { ...JSON_TYPE, "content-length": "10" });
  await assert.rejects(readBody(request, 1000), refusedWith(413, "request_too_large"));
});

Deno.test("a body that does not finish arriving in time is refused with 408", async () => {
  const body = source((i) => i === 0 ? bytes('{"mess') : "wait");
  const started = performance.now();
  await assert.rejects(readBody(post(body.stream), 1000, 30), refusedWith(408, "request_timeout"));
  const elapsed = performance.now() - started;
  assert.ok(elapsed >= 25, `refused after ${elapsed} ms for a limit of 30 ms`);
  assert.equal(body.record.cancelled, true, "the stalled body is cancelled");
});

Deno.test("a body that arrives slowly but within the time limit passes", async () => {
  let i = 0;
  const slow = new ReadableStream<Uint8Array>({
    async pull(controller) {
      await new Promise((resolve) => setTimeout(resolve, 5));
      if (i++ < 5) controller.enqueue(bytes("ab"));
      else controller.close();
    },
  });
  assert.deepEqual(await readBody(post(slow), 1000, 500), bytes("ababababab"));
});

Deno.test("a body stream that fails is refused with 400", async () => {
  const failing = new ReadableStream<Uint8Array>({
    pull(controller) {
      controller.error(new Error("Connection reset"));
    },
  });
  await assert.rejects(readBody(post(failing), 1000), refusedWith(400, "invalid_request"));
});

Deno.test("readJsonBody returns the raw bytes and the parsed value", async () => {
  const raw = bytes('{ "message" : "Привет 👋" }');
  for (const cut of byteCuts(raw)) {
    const body = await readJsonBody(post(cut.stream()), 1000);
    assert.deepEqual(body.raw, raw, cut.label);
    assert.deepEqual(body.value, { message: "Привет 👋" }, cut.label);
  }
});

for (
  const type of [
    "application/json",
    "application/json; charset=utf-8",
    "Application/JSON;charset=UTF-8",
    " application/json ",
    "application/merge-patch+json",
  ]
) {
  Deno.test(`Content-Type "${type}" is JSON`, async () => {
    const body = await readJsonBody(post("[1]", { "content-type": type }), 100);
    assert.deepEqual(body.value, [1]);
  });
}

for (
  const headers of [
    {},
    { "content-type": "text/plain" },
    { "content-type": "application/x-www-form-urlencoded" },
    { "content-type": "multipart/form-data; boundary=x" },
    { "content-type": "application/jsonp" },
    { "content-type": "json" },
  ]
) {
  const shown = headers["content-type" as keyof typeof headers] ?? "missing";
  Deno.test(`Content-Type ${shown} is refused with 415 before the body is read`, async () => {
    const body = source(() => bytes("{}"));
    const request = new Request("http://gateway.test/", { method: "POST", body: body.stream });
    request.headers.delete("content-type");
    for (const [name, value] of Object.entries(headers)) request.headers.set(name, value);
    await assert.rejects(readJsonBody(request, 100), refusedWith(415, "unsupported_media_type"));
    assert.equal(body.record.pulls, 0);
  });
}

for (
  const [what, raw] of [
    ["a lone continuation byte", [0x7b, 0x80, 0x7d]],
    ["an invalid byte", [0x7b, 0xff, 0x7d]],
    ["a truncated two-byte character", [0x22, 0xd0, 0x22]],
    ["an overlong encoding of '/'", [0x22, 0xc0, 0xaf, 0x22]],
    ["an encoded surrogate", [0x22, 0xed, 0xa0, 0x80, 0x22]],
  ] as const
) {
  Deno.test(`a JSON body with ${what} is refused with 400 as not UTF-8`, async () => {
    await assert.rejects(readJsonBody(post(new Uint8Array(raw)), 100), (error) => {
      refusedWith(400, "invalid_request")(error);
      assert.match((error as Error).message, /not valid UTF-8/);
      return true;
    });
  });
}

for (
  const [what, text] of [
    ["an empty body", ""],
    ["a truncated object", '{"message":"Hi"'],
    ["a single-quoted string", "{'message':'Hi'}"],
    ["a trailing comma", '{"message":"Hi",}'],
    ["two values", "{} {}"],
    ["NaN", "NaN"],
  ] as const
) {
  Deno.test(`${what} is refused with 400 as not JSON`, async () => {
    await assert.rejects(readJsonBody(post(text), 100), (error) => {
      assert.ok(error instanceof HttpError);
      assert.equal(error.status, 400);
      assert.equal(error.code, "invalid_json");
      assert.match(error.message, /^The request body is not valid JSON/);
      return true;
    });
  });
}

Deno.test("readJsonBody applies the size limit too", async () => {
  await assert.rejects(
    readJsonBody(post(`"${"x".repeat(200)}"`), 100),
    refusedWith(413, "request_too_large"),
  );
});
