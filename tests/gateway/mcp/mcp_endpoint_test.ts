import assert from "node:assert/strict";
import { askDefault, mcpGateway } from "./mcp_test_gateway.ts";

Deno.test("leaving the answer's stream cancels the answer, and the site's request with it", async () => {
  await using gw = await mcpGateway({}, { pieces: 20, pieceDelayMs: 50 });
  const response = await gw.post(askDefault({ question: "Hi" }, "p"));
  const reader = response.body!.getReader();
  const decoder = new TextDecoder();
  let seen = "";
  while (!seen.includes("notifications/progress")) {
    seen += decoder.decode((await reader.read()).value);
  }
  await reader.cancel();
  await gw.site.waitForAborts(1);
  assert.equal(gw.lines().at(-1)?.route, "/mcp");
});

Deno.test("a body over MAX_BODY_BYTES is 413 before anything is read into JSON", async () => {
  await using gw = await mcpGateway({ MAX_BODY_BYTES: "100" });
  const response = await gw.post(askDefault({ question: "x".repeat(200) }));
  assert.equal(response.status, 413);
  assert.equal((await response.json()).error.code, -32000);
  assert.equal(gw.site.submits.length, 0);
});

Deno.test("the transport's own refusals are JSON-RPC errors: no SSE accepted, not JSON", async () => {
  await using gw = await mcpGateway();
  const list = { jsonrpc: "2.0", id: 1, method: "tools/list" };
  const noSse = await gw.post(list, { accept: "application/json" });
  assert.equal(noSse.status, 406);
  assert.equal((await noSse.json()).jsonrpc, "2.0");
  const broken = await gw.post("{", {});
  assert.equal(broken.status, 400);
  assert.equal((await broken.json()).error.code, -32700);
});

Deno.test("the log line of an answer counts the bytes of its stream", async () => {
  await using gw = await mcpGateway();
  const response = await gw.post(askDefault({ question: "Hi" }));
  const bytes = (await response.arrayBuffer()).byteLength;
  const line = gw.lines().at(-1);
  assert.equal(line.bytes, bytes);
  assert.ok(line.events > 0);
});
