import { Client } from "@modelcontextprotocol/sdk/client/index.js";
import { StreamableHTTPClientTransport } from "@modelcontextprotocol/sdk/client/streamableHttp.js";
import type { Progress } from "@modelcontextprotocol/sdk/types.js";

/** Asks the bot `default` through the gateway's MCP server, printing the answer as it streams. */
export async function askOverMcp(gateway: string, apiKey: string, question: string) {
  const client = new Client({ name: "my-agent", version: "1.0.0" });
  await client.connect(
    new StreamableHTTPClientTransport(new URL(`${gateway}/mcp`), {
      requestInit: { headers: { authorization: `Bearer ${apiKey}` } },
    }),
  );
  const { tools } = await client.listTools(); // ask_default, one tool per bot
  const result = await client.callTool(
    { name: tools[0]!.name, arguments: { question } },
    undefined,
    { onprogress: (progress: Progress) => console.log(progress.message) }, // each piece
  );
  await client.close();
  // Pass conversation_id back to continue the conversation.
  return result.structuredContent as { answer: string; conversation_id: string };
}
