import type { Context, MiddlewareHandler } from "hono";
import type { GatewayEnv } from "../gateway_env.ts";

/**
 * `POST /mcp`, the Model Context Protocol server (see `mcp/mcp_endpoint.ts`). The MCP
 * SDK and its schemas load with the first MCP request, not with the gateway: importing
 * them costs about 200 ms, which every other route's cold start would otherwise pay
 * (docs/performance.md). Each `tools/call` passes `guards` (the per-client limits,
 * Turnstile) as one answer does; `initialize` and `tools/list` are not answers.
 */
export function mcp(guards: MiddlewareHandler<GatewayEnv>[]) {
  return async (c: Context<GatewayEnv>): Promise<Response> => {
    const { mcpEndpoint } = await import("../mcp/mcp_endpoint.ts");
    return await mcpEndpoint(c, guards);
  };
}
