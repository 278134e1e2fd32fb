/** A raw MCP client for the route tests: JSON-RPC over HTTP POST, answers read as SSE or JSON. */
import { post } from "./http_client.ts";

/** What every MCP POST carries (the Streamable HTTP transport asks for both types). */
export const MCP_HEADERS = {
  accept: "application/json, text/event-stream",
  "mcp-protocol-version": "2025-06-18",
};

/** POSTs one JSON-RPC message (or a batch) to `/mcp`. */
export function rpc(
  base: string,
  message: unknown,
  headers: Record<string, string> = {},
  signal?: AbortSignal,
): Promise<Response> {
  return post(base, "/mcp", message, { headers: { ...MCP_HEADERS, ...headers }, signal });
}

/** A tools/call of `name` with these arguments, and a progress token when given. */
export function toolCall(name: string, args: Record<string, unknown>, progressToken?: string) {
  const _meta = progressToken === undefined ? undefined : { progressToken };
  return { jsonrpc: "2.0", id: 7, method: "tools/call", params: { name, arguments: args, _meta } };
}

/**
 * The JSON-RPC messages of an answer: each SSE event's data, or the one JSON body. Typed
 * loosely on purpose: the tests read deep into results whose shape they then assert.
 */
// deno-lint-ignore no-explicit-any
export async function messagesOf(response: Response): Promise<Record<string, any>[]> {
  const text = await response.text();
  if (!response.headers.get("content-type")?.startsWith("text/event-stream")) {
    return [JSON.parse(text)];
  }
  return text.split(/\n\n/).flatMap((block) =>
    block.split("\n").filter((line) => line.startsWith("data: ")).map((line) =>
      JSON.parse(line.slice(6))
    )
  );
}
