import assert from "node:assert/strict";
import type { Context, MiddlewareHandler } from "hono";
import { WebStandardStreamableHTTPServerTransport } from "@modelcontextprotocol/sdk/server/webStandardStreamableHttp.js";
import { parseConfig } from "../../../lib/gateway/config.ts";
import type { GatewayEnv } from "../../../lib/gateway/gateway_env.ts";
import { HttpError } from "../../../lib/gateway/http_error.ts";
import { botServer } from "../../../lib/gateway/mcp/bot_server.ts";
import type { OnAnswerText } from "../../../lib/gateway/mcp/tool_call.ts";
import { RequestLog } from "../../../lib/gateway/request_log.ts";

/** A guard that refuses every call, as the limits do a client over them. */
const refuse: MiddlewareHandler<GatewayEnv> = () => {
  throw new HttpError(429, "Gateway limit", {
    type: "rate_limit_error",
    code: "rate_limit_exceeded",
  });
};

/** Sends one JSON-RPC request to a fresh server; the calls it makes are told to `seen`. */
async function ask(
  message: unknown,
  seen: (OnAnswerText | null)[] = [],
  guard: MiddlewareHandler<GatewayEnv> = refuse,
) {
  const config = parseConfig({ AI_ENGINE_BOTS: "default,support" });
  // A context with a log only: the limits below refuse before anything else is read.
  const c = { var: { log: new RequestLog("POST", "/mcp", () => {}) } } as Context<GatewayEnv>;
  const server = botServer(config, (onText) => {
    seen.push(onText);
    return {
      c,
      answers: new Set(),
      onText,
      guards: [guard],
    };
  });
  const transport = new WebStandardStreamableHTTPServerTransport({ enableJsonResponse: true });
  await server.connect(transport);
  const response = await transport.handleRequest(
    new Request("http://localhost/mcp", {
      method: "POST",
      headers: {
        accept: "application/json, text/event-stream",
        "content-type": "application/json",
      },
      body: JSON.stringify({ jsonrpc: "2.0", id: 1, ...message as object }),
    }),
  );
  const body = await response.json();
  await server.close();
  return body;
}

Deno.test("tools/list lists the bots' tools", async () => {
  const { result } = await ask({ method: "tools/list" });
  assert.deepEqual(result.tools.map((tool: { name: string }) => tool.name), [
    "ask_default",
    "ask_support",
  ]);
});

Deno.test("initialize names mwai-edge and offers tools only", async () => {
  const { result } = await ask({
    method: "initialize",
    params: {
      protocolVersion: "2025-06-18",
      capabilities: {},
      clientInfo: { name: "t", version: "1" },
    },
  });
  assert.equal(result.serverInfo.name, "mwai-edge");
  assert.deepEqual(Object.keys(result.capabilities), ["tools"]);
  assert.match(result.instructions, /chatbot/);
});

Deno.test("an unknown tool is the JSON-RPC error for invalid params", async () => {
  const { error } = await ask({ method: "tools/call", params: { name: "ask_x", arguments: {} } });
  assert.equal(error.code, -32602);
});

Deno.test("a call is told of the answer's text only when it carries a progress token", async () => {
  const seen: (OnAnswerText | null)[] = [];
  const call = (_meta?: object) => ({
    method: "tools/call",
    params: { name: "ask_support", arguments: { question: "Hi" }, _meta },
  });
  const { result } = await ask(call(), seen);
  await ask(call({ progressToken: "t" }), seen);
  assert.equal(result.isError, true);
  assert.equal(seen[0], null);
  assert.equal(typeof seen[1], "function");
});

Deno.test("a guard that neither passes nor refuses is the gateway's internal error, said as a tool error", async () => {
  const { result } = await ask(
    { method: "tools/call", params: { name: "ask_default", arguments: { question: "Hi" } } },
    [],
    () => Promise.resolve(),
  );
  assert.equal(result.isError, true);
  assert.equal(result._meta.error.code, "internal_error");
});
