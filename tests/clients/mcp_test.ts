/**
 * The MCP SDK's own client (`Client` + `StreamableHTTPClientTransport`) against the gateway:
 * what an agent does at `/mcp`, and the snippet of docs/clients.md.
 */
import assert from "node:assert/strict";
import { Client } from "@modelcontextprotocol/sdk/client/index.js";
import { StreamableHTTPClientTransport } from "@modelcontextprotocol/sdk/client/streamableHttp.js";
import type { Progress, Tool } from "@modelcontextprotocol/sdk/types.js";
import { RUNTIME, startGateway } from "../contract/gateway.ts";
import { ANSWER } from "../contract/http_client.ts";
import { askOverMcp } from "./snippets/mcp.ts";

const KEY = "k-mcp-client";

/** A connected client of the gateway at `base`, with these request headers. */
async function connect(base: string, headers: Record<string, string>): Promise<Client> {
  const client = new Client({ name: "mcp-client-test", version: "1.0.0" });
  const transport = new StreamableHTTPClientTransport(new URL(`${base}/mcp`), {
    requestInit: { headers },
  });
  await client.connect(transport);
  return client;
}

Deno.test("the MCP SDK's client against the gateway", async (t) => {
  await using gw = await startGateway({ API_KEYS: KEY, AI_ENGINE_BOTS: "default,team/help" });
  const client = await connect(gw.base, { authorization: `Bearer ${KEY}` });

  await t.step("lists one tool per bot, named for it", async () => {
    const { tools } = await client.listTools();
    assert.deepEqual(tools.map((tool: Tool) => tool.name), ["ask_default", "ask_team_help"]);
    assert.equal(client.getServerVersion()?.name, "mwai-edge");
  });

  await t.step("calls a tool and is told of the answer as it streams", async () => {
    const progress: Progress[] = [];
    const result = await client.callTool(
      { name: "ask_default", arguments: { question: "Hello" } },
      undefined,
      { onprogress: (update: Progress) => progress.push(update) },
    );
    assert.ok(progress.length > 1, `${progress.length} progress notifications`);
    assert.equal(progress.map((update) => update.message).join(""), ANSWER);
    assert.equal(progress.at(-1)?.progress, ANSWER.length);
    assert.deepEqual(result.content, [
      { type: "text", text: ANSWER },
      { type: "text", text: `conversation_id: ${result.structuredContent?.conversation_id}` },
    ]);
  });

  await t.step("continues a conversation by its id", async () => {
    const first = await client.callTool({
      name: "ask_team_help",
      arguments: { question: "Hello" },
    });
    const conversation = first.structuredContent?.conversation_id as string;
    const next = await client.callTool({
      name: "ask_team_help",
      arguments: { question: "And then?", conversation_id: conversation },
    });
    assert.equal(next.structuredContent?.conversation_id, conversation);
    const [a, b] = gw.site.submits.slice(-2).map((s) => (s.body as { chatId: string }).chatId);
    assert.equal(a, conversation);
    assert.equal(b, conversation);
  });

  await t.step("the site's failure is a tool error the agent can read", async () => {
    const result = await client.callTool({
      name: "ask_default",
      arguments: { question: "__fake:429" },
    });
    assert.equal(result.isError, true);
    const [content] = result.content as { type: string; text: string }[];
    assert.match(content!.text, /rate_limit_exceeded, 429/);
  });

  await t.step(
    "the snippet of docs/clients.md returns the answer and its conversation",
    async () => {
      const log = console.log;
      const printed: string[] = [];
      console.log = (piece: string) => printed.push(piece);
      try {
        const answer = await askOverMcp(gw.base, KEY, "Hello");
        assert.equal(answer.answer, ANSWER);
        assert.match(answer.conversation_id, /^mcp-/);
      } finally {
        console.log = log;
      }
      assert.equal(printed.join(""), ANSWER);
    },
  );

  await client.close();
});

Deno.test("the MCP SDK's client is refused without a valid key, and from a page not allowed", async () => {
  await using gw = await startGateway({ API_KEYS: KEY });
  await assert.rejects(connect(gw.base, { authorization: "Bearer wrong" }), /401|Invalid API key/);
  await assert.rejects(connect(gw.base, {}), /401|Missing API key/);
  await assert.rejects(
    connect(gw.base, { authorization: `Bearer ${KEY}`, origin: "https://evil.example" }),
    /403|not allowed/,
  );
});

// On workerd only: in Deno (in process and on `deno serve`), after this file's other tests
// and on a loaded machine, the test process's fetch may keep the connection the SDK aborted
// and read the whole answer (the gateway's log line shows it sent all), so the site is never
// aborted; alone, the test passes there too. The gateway's side on Deno.serve is covered by
// tests/contract/mcp_test.ts, which leaves over a raw socket.
Deno.test({
  name: "closing the MCP SDK's client mid-answer aborts the site's request",
  ignore: RUNTIME !== "workerd",
}, async () => {
  // A 5 s answer: a loaded machine's late progress still comes long before its end.
  await using gw = await startGateway({}, { pieces: 50, pieceDelayMs: 100 });
  const client = await connect(gw.base, {});
  const { promise: progressed, resolve } = Promise.withResolvers<void>();
  const call = client.callTool(
    { name: "ask_default", arguments: { question: "Hello" } },
    undefined,
    { onprogress: () => resolve() },
  );
  await progressed;
  await client.close();
  await assert.rejects(call);
  await gw.site.waitForAborts(1);
});
