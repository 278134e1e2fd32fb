/** An in-process gateway (`app.request`) in front of a real emulated site, for the MCP unit tests. */
import { createApp } from "../../../lib/gateway/app.ts";
import { parseConfig, type Variables } from "../../../lib/gateway/config.ts";
import { AiEngineEmulator, type EmulatorOptions } from "../../emulator/ai_engine_emulator.ts";

/** What an MCP client sends with every POST. */
const HEADERS = {
  accept: "application/json, text/event-stream",
  "content-type": "application/json",
};

/** Starts a site and a gateway app in front of it; `post` sends a JSON-RPC body to `/mcp`. */
export async function mcpGateway(vars: Variables = {}, site: EmulatorOptions = {}) {
  const emulator = await AiEngineEmulator.start(site);
  const lines: string[] = [];
  const app = createApp({
    config: parseConfig({ AI_ENGINE_URL: emulator.url, ...vars }),
    log: (line) => lines.push(line),
  });
  const post = (body: unknown, headers: Record<string, string> = {}) =>
    app.request("/mcp", {
      method: "POST",
      headers: { ...HEADERS, ...headers },
      body: typeof body === "string" ? body : JSON.stringify(body),
    });
  return {
    site: emulator,
    post,
    lines: () => lines.map((line) => JSON.parse(line)),
    [Symbol.asyncDispose]: () => emulator.close(),
  };
}

/** A tools/call of `ask_default`, with a progress token when given. */
export function askDefault(args: Record<string, unknown>, progressToken?: string) {
  return {
    jsonrpc: "2.0",
    id: 1,
    method: "tools/call",
    params: { name: "ask_default", arguments: args, _meta: progressToken && { progressToken } },
  };
}

/** The result of the last JSON-RPC message of an SSE answer. */
export async function resultOf(response: Response) {
  const data = (await response.text()).split("\n").filter((line) => line.startsWith("data: "));
  return JSON.parse(data.at(-1)!.slice(6)).result;
}
