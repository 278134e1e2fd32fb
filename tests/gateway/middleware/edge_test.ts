import assert from "node:assert/strict";
import { Hono } from "hono";
import type { GatewayEnv } from "../../../lib/gateway/gateway_env.ts";
import { HttpError } from "../../../lib/gateway/http_error.ts";
import { edge, renderError, requestIdOf } from "../../../lib/gateway/middleware/edge.ts";

/** A bare app with only `edge`, its log lines, and routes that answer, stream and fail. */
function appWithEdge() {
  const lines: Record<string, unknown>[] = [];
  const app = new Hono<GatewayEnv>().onError(renderError);
  app.use(edge((line) => lines.push(JSON.parse(line))));
  app.get("/text", (c) => c.text("hello"));
  app.get("/refused", () => {
    throw new HttpError(403, "No", { type: "permission_error", code: "origin_not_allowed" });
  });
  app.get("/broken", () => {
    throw new Error("a bug");
  });
  return { app, lines };
}

Deno.test("edge writes one line per request once its body has been sent", async () => {
  const { app, lines } = appWithEdge();
  const response = await app.request("/text");
  assert.equal(lines.length, 0, "the body is not sent yet");
  assert.equal(await response.text(), "hello");
  assert.equal(lines.length, 1);
  assert.equal(lines[0]!.status, 200);
  assert.equal(lines[0]!.method, "GET");
  assert.equal(lines[0]!.bytes, 5);
  assert.equal(lines[0]!.error, null);
});

Deno.test("edge gives every answer its request id and OpenAI's processing time", async () => {
  const { app, lines } = appWithEdge();
  const own = await app.request("/text", { headers: { "x-request-id": "client-42" } });
  await own.text();
  assert.equal(own.headers.get("x-request-id"), "client-42");
  assert.match(own.headers.get("openai-processing-ms") ?? "", /^\d+$/);
  assert.equal(lines[0]!.request_id, "client-42");
  const made = await app.request("/text", { headers: { "x-request-id": "bad id\t" } });
  await made.text();
  assert.match(made.headers.get("x-request-id") ?? "", /^req_[0-9a-f]{32}$/);
});

Deno.test("a failure below edge is rendered as OpenAI's error and its code logged", async () => {
  const { app, lines } = appWithEdge();
  const refused = await app.request("/refused");
  assert.equal(refused.status, 403);
  assert.equal((await refused.json()).error.code, "origin_not_allowed");
  const broken = await app.request("/broken");
  assert.equal(broken.status, 500);
  const { error } = await broken.json();
  assert.equal(error.type, "server_error");
  assert.ok(!JSON.stringify(error).includes("a bug"), "an internal error is not shown");
  assert.deepEqual(lines.map((line) => line.error), ["origin_not_allowed", "internal_error"]);
});

Deno.test("a HEAD request is logged at once: it has no body to wait for", async () => {
  const { app, lines } = appWithEdge();
  const response = await app.request("/text", { method: "HEAD" });
  assert.equal(response.status, 200);
  assert.equal(lines.length, 1);
});

Deno.test("requestIdOf keeps a short token of safe characters and makes one otherwise", () => {
  assert.equal(requestIdOf("abc.DEF_1:2-3"), "abc.DEF_1:2-3");
  for (const bad of [undefined, "", "a b", "x".repeat(129), "é"]) {
    assert.match(requestIdOf(bad), /^req_[0-9a-f]{32}$/, String(bad));
  }
});
