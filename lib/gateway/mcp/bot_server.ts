import { Server } from "@modelcontextprotocol/sdk/server/index.js";
import type { RequestHandlerExtra } from "@modelcontextprotocol/sdk/shared/protocol.js";
import {
  type CallToolRequest,
  CallToolRequestSchema,
  ErrorCode,
  ListToolsRequestSchema,
  McpError,
  type ServerNotification,
  type ServerRequest,
} from "@modelcontextprotocol/sdk/types.js";
import type { jsonSchemaValidator } from "@modelcontextprotocol/sdk/validation/types.js";
import { VERSION } from "../../version.ts";
import type { Config } from "../config.ts";
import { botTools } from "./bot_tools.ts";
import { callBotTool, type OnAnswerText, type ToolCallContext } from "./tool_call.ts";

/**
 * The validator of answers to elicitation, which this server never asks for: the SDK's
 * default builds an Ajv instance for every server (one a request here), which compiles
 * code from strings, and Workers forbid that.
 */
const NO_ELICITATION: jsonSchemaValidator = {
  getValidator: () => () => ({
    valid: false,
    data: undefined,
    errorMessage: "This server asks no questions",
  }),
};

/**
 * The MCP server of one request (the gateway is stateless: each POST gets its own): the
 * official SDK's `Server`, offering the bots as tools (see {@linkcode botTools}). A call
 * that carries a progress token is told of the answer as it streams: each piece of text
 * is a `notifications/progress` whose `progress` counts the characters so far and whose
 * `message` is the piece.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { parseConfig } from "../config.ts";
 * import { WebStandardStreamableHTTPServerTransport } from "@modelcontextprotocol/sdk/server/webStandardStreamableHttp.js";
 * import { botServer } from "./bot_server.ts";
 * const server = botServer(parseConfig({ AI_ENGINE_BOTS: "default" }), () => {
 *   throw new Error("Not called: no tool is called");
 * });
 * const transport = new WebStandardStreamableHTTPServerTransport({ enableJsonResponse: true });
 * await server.connect(transport);
 * const response = await transport.handleRequest(
 *   new Request("http://localhost/mcp", {
 *     method: "POST",
 *     headers: { accept: "application/json, text/event-stream", "content-type": "application/json" },
 *     body: JSON.stringify({ jsonrpc: "2.0", id: 1, method: "tools/list" }),
 *   }),
 * );
 * const { result } = await response.json();
 * assert.equal(result.tools[0].name, "ask_default");
 * await server.close();
 * ```
 */
export function botServer(
  config: Config,
  callContext: (onText: OnAnswerText | null) => ToolCallContext,
): Server {
  const tools = botTools(config);
  const site = new URL(config.siteUrl).host;
  const server = new Server({ name: "mwai-edge", version: VERSION }, {
    capabilities: { tools: {} },
    jsonSchemaValidator: NO_ELICITATION,
    instructions: `Each tool asks one chatbot of ${site} (AI Engine) and returns its answer.`,
  });
  server.setRequestHandler(ListToolsRequestSchema, () => ({
    tools: tools.map(({ tool }) => tool),
  }));
  server.setRequestHandler(CallToolRequestSchema, async (
    request: CallToolRequest,
    extra: RequestHandlerExtra<ServerRequest, ServerNotification>,
  ) => {
    const { name, arguments: args } = request.params;
    const found = tools.find(({ tool }) => tool.name === name);
    if (!found) {
      throw new McpError(ErrorCode.InvalidParams, `Unknown tool: ${name.slice(0, 200)}`);
    }
    const token = extra._meta?.progressToken;
    const onText: OnAnswerText | null = token === undefined
      ? null
      : (piece, characters) =>
        extra.sendNotification({
          method: "notifications/progress",
          params: { progressToken: token, progress: characters, message: piece },
        });
    return await callBotTool(found.bot, args, callContext(onText));
  });
  return server;
}
