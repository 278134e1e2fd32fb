/**
 * `POST /mcp` over real HTTP in every runtime: the MCP server's wire as an agent's client
 * sees it (Streamable HTTP, stateless), its tools, progress while the answer streams, the
 * site's failures as tool errors, keys, `Origin` and the per-client limits.
 */
import assert from "node:assert/strict";
import { startGateway } from "./gateway.ts";
import { ANSWER, assertError } from "./http_client.ts";
import { messagesOf, rpc, toolCall } from "./mcp_rpc.ts";

const KEY = "k-mcp-test";
const AUTH = { authorization: `Bearer ${KEY}` };
const DESCRIPTIONS = JSON.stringify({ support: "Orders, returns and shipping" });

Deno.test("POST /mcp", async (t) => {
  await using gw = await startGateway({
    API_KEYS: KEY,
    AI_ENGINE_BOTS: "default,support",
    AI_ENGINE_BOT_DESCRIPTIONS: DESCRIPTIONS,
    ALLOWED_ORIGINS: "https://agent.example",
  });

  await t.step("initialize names the server and gives no session id (stateless)", async () => {
    const response = await rpc(gw.base, {
      jsonrpc: "2.0",
      id: 1,
      method: "initialize",
      params: {
        protocolVersion: "2025-06-18",
        capabilities: {},
        clientInfo: { name: "contract-test", version: "1" },
      },
    }, AUTH);
    assert.equal(response.status, 200);
    assert.equal(response.headers.get("mcp-session-id"), null);
    const [message] = await messagesOf(response);
    assert.equal(message?.result.serverInfo.name, "mwai-edge");
    assert.equal(message?.result.protocolVersion, "2025-06-18");
    assert.ok(message?.result.capabilities.tools);
  });

  await t.step("a notification is accepted with 202 and no body", async () => {
    const response = await rpc(gw.base, {
      jsonrpc: "2.0",
      method: "notifications/initialized",
    }, AUTH);
    assert.equal(response.status, 202);
    assert.equal(await response.text(), "");
  });

  await t.step("tools/list offers one tool per bot, described by configuration", async () => {
    const [message] = await messagesOf(
      await rpc(gw.base, { jsonrpc: "2.0", id: 2, method: "tools/list" }, AUTH),
    );
    const tools = message?.result.tools;
    assert.deepEqual(tools.map((tool: { name: string }) => tool.name), [
      "ask_default",
      "ask_support",
    ]);
    assert.equal(tools[1].description, "Orders, returns and shipping");
    assert.match(tools[0].description, /"default"/);
    assert.deepEqual(tools[0].inputSchema.required, ["question"]);
  });

  await t.step("tools/call streams progress, then the answer and its conversation", async () => {
    const response = await rpc(gw.base, toolCall("ask_default", { question: "Hi" }, "p1"), AUTH);
    assert.match(response.headers.get("content-type")!, /^text\/event-stream/);
    const messages = await messagesOf(response);
    const progress = messages.filter((m) => m.method === "notifications/progress");
    assert.ok(progress.length > 1, `${progress.length} progress notifications`);
    assert.equal(progress.map((m) => m.params.message).join(""), ANSWER);
    assert.ok(progress.every((m) => m.params.progressToken === "p1"));
    const counts = progress.map((m) => m.params.progress);
    assert.deepEqual(counts, [...counts].sort((a, b) => a - b));
    const { result, id } = messages.at(-1)!;
    assert.equal(id, 7);
    assert.equal(result.isError, undefined);
    assert.equal(result.content[0].text, ANSWER);
    assert.equal(result.structuredContent.answer, ANSWER);
    const conversation = result.structuredContent.conversation_id;
    assert.match(conversation, /^mcp-[0-9a-f]{24}$/);
    const submit = gw.site.submits.at(-1)!.body as Record<string, unknown>;
    assert.equal(submit.chatId, conversation);
    assert.equal(submit.newMessage, "Hi");
  });

  await t.step("a conversation_id continues that conversation on the site", async () => {
    const messages = await messagesOf(
      await rpc(
        gw.base,
        toolCall("ask_support", { question: "And then?", conversation_id: "mcp-abc" }),
        AUTH,
      ),
    );
    assert.equal(messages.length, 1, "no progress without a token");
    assert.equal(messages[0]?.result.structuredContent.conversation_id, "mcp-abc");
    const submit = gw.site.submits.at(-1)!.body as Record<string, unknown>;
    assert.equal(submit.chatId, "mcp-abc");
    assert.equal(submit.botId, "support");
  });

  await t.step("the site's rate limit is a tool error that says so", async () => {
    const [message] = await messagesOf(
      await rpc(gw.base, toolCall("ask_default", { question: "__fake:429" }), AUTH),
    );
    assert.equal(message?.result.isError, true);
    assert.match(message?.result.content[0].text, /rate_limit_exceeded, 429/);
    assert.equal(message?.result._meta.error.code, "rate_limit_exceeded");
  });

  await t.step("a message the site rejects is a tool error with its words", async () => {
    const [message] = await messagesOf(
      await rpc(gw.base, toolCall("ask_default", { question: "x".repeat(600) }), AUTH),
    );
    assert.equal(message?.result.isError, true);
    assert.match(message?.result.content[0].text, /rejected.*upstream_rejected, 400/);
  });

  await t.step("a failure after text has begun is a tool error, not a cut answer", async () => {
    const messages = await messagesOf(
      await rpc(gw.base, toolCall("ask_default", { question: "__fake:errorhold" }, "p2"), AUTH),
    );
    const { result } = messages.at(-1)!;
    assert.equal(result.isError, true);
    assert.match(result.content[0].text, /rate_limit_exceeded/);
  });

  await t.step("bad arguments are a tool error naming the argument", async () => {
    const [message] = await messagesOf(
      await rpc(gw.base, toolCall("ask_default", { question: "Hi", conversation_id: "a b" }), AUTH),
    );
    assert.equal(message?.result.isError, true);
    assert.match(message?.result.content[0].text, /conversation_id/);
  });

  await t.step("an unknown tool is a JSON-RPC error", async () => {
    const [message] = await messagesOf(
      await rpc(gw.base, toolCall("ask_nobody", { question: "Hi" }), AUTH),
    );
    assert.equal(message?.error.code, -32602);
    assert.match(message?.error.message, /Unknown tool: ask_nobody/);
  });

  await t.step("a missing or wrong key is 401", async () => {
    const list = { jsonrpc: "2.0", id: 3, method: "tools/list" };
    await assertError(await rpc(gw.base, list), 401, "invalid_api_key");
    await assertError(
      await rpc(gw.base, list, { authorization: "Bearer wrong" }),
      401,
      "invalid_api_key",
    );
  });

  await t.step("an Origin not allowed is 403, the gateway's own host included", async () => {
    const list = { jsonrpc: "2.0", id: 4, method: "tools/list" };
    for (const origin of ["https://evil.example", new URL(gw.base).origin]) {
      await assertError(
        await rpc(gw.base, list, { ...AUTH, origin }),
        403,
        "origin_not_allowed",
      );
    }
    const allowed = await rpc(gw.base, list, { ...AUTH, origin: "https://agent.example" });
    assert.equal(allowed.status, 200);
    assert.equal(allowed.headers.get("access-control-allow-origin"), "https://agent.example");
    await allowed.body?.cancel();
  });

  await t.step("GET and DELETE are 405: no stream and no session to end", async () => {
    for (const method of ["GET", "DELETE"]) {
      const response = await fetch(`${gw.base}/mcp`, {
        method,
        headers: { ...AUTH, accept: "text/event-stream" },
      });
      await assertError(response, 405, "method_not_allowed");
      assert.equal(response.headers.get("allow"), "POST");
    }
  });

  await t.step("the log line of a tools/call names the route and its bytes", async () => {
    const lines = await gw.logs();
    const line = lines.findLast((l) => l.route === "/mcp" && l.status === 200);
    assert.ok(line && (line.bytes as number) > 0);
  });
});

Deno.test("MCP tools/call counts against the client's limits; other requests do not", async () => {
  await using gw = await startGateway({ ANON_REQUESTS_PER_MINUTE: "1" });
  for (let i = 0; i < 3; i++) {
    const [list] = await messagesOf(
      await rpc(gw.base, { jsonrpc: "2.0", id: i, method: "tools/list" }),
    );
    assert.equal(list?.result.tools.length, 1);
  }
  const [first] = await messagesOf(
    await rpc(gw.base, toolCall("ask_default", { question: "Hi" })),
  );
  assert.equal(first?.result.content[0].text, ANSWER);
  const [second] = await messagesOf(
    await rpc(gw.base, toolCall("ask_default", { question: "Hi" })),
  );
  assert.equal(second?.result.isError, true);
  assert.match(second?.result.content[0].text, /^Gateway limit: 1 requests a minute/);
  assert.match(second?.result.content[0].text, /Try again in \d+ s\.$/);
  assert.equal(gw.site.submits.length, 1);
});

Deno.test("with Turnstile on, an anonymous tools/call needs its check as any answer does", async () => {
  await using gw = await startGateway({
    TURNSTILE_SITE_KEY: "0x4AAAAAAA-site",
    TURNSTILE_SECRET_KEY: "turnstile-secret-of-the-test",
  });
  const [list] = await messagesOf(
    await rpc(gw.base, { jsonrpc: "2.0", id: 1, method: "tools/list" }),
  );
  assert.equal(list?.result.tools.length, 1);
  const [call] = await messagesOf(await rpc(gw.base, toolCall("ask_default", { question: "Hi" })));
  assert.equal(call?.result.isError, true);
  assert.match(call?.result.content[0].text, /turnstile_required, 403/);
  assert.equal(gw.site.submits.length, 0);
});

Deno.test("a client that leaves an MCP answer aborts the site's request", async () => {
  await using gw = await startGateway({}, { pieces: 20, pieceDelayMs: 50 });
  const controller = new AbortController();
  const response = await rpc(
    gw.base,
    toolCall("ask_default", { question: "Hi" }, "p"),
    {},
    controller.signal,
  );
  const reader = response.body!.getReader();
  const decoder = new TextDecoder();
  let seen = "";
  while (!seen.includes("notifications/progress")) {
    seen += decoder.decode((await reader.read()).value);
  }
  controller.abort();
  await reader.cancel().catch(() => {});
  await gw.site.waitForAborts(1);
});

Deno.test("an images bot's pictures come as links beside the answer", async () => {
  const images = ["https://site.example/a.png", "https://site.example/b.png"];
  await using gw = await startGateway({}, { images });
  const [message] = await messagesOf(
    await rpc(gw.base, toolCall("ask_default", { question: "Draw a cat" })),
  );
  const { content, structuredContent } = message?.result;
  assert.deepEqual(content.slice(1, 3), [
    { type: "resource_link", uri: images[0], name: "image 1" },
    { type: "resource_link", uri: images[1], name: "image 2" },
  ]);
  assert.match(content[0].text, /!\[Image\]\(https:\/\/site\.example\/a\.png\)/);
  assert.deepEqual(structuredContent.images, images);
});
