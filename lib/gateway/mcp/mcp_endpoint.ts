import type { Context, MiddlewareHandler } from "hono";
import { WebStandardStreamableHTTPServerTransport } from "@modelcontextprotocol/sdk/server/webStandardStreamableHttp.js";
import type { AnswerReader } from "../../ai_engine/answer/answer_reader.ts";
import type { GatewayEnv } from "../gateway_env.ts";
import type { RequestLog } from "../request_log.ts";
import { botServer } from "./bot_server.ts";
import { checkMcpOrigin } from "./mcp_origin.ts";

/**
 * Answers `POST /mcp`: a Model Context Protocol server over Streamable HTTP, stateless (no
 * `Mcp-Session-Id`): each request gets its own server and the SDK's web-standard
 * transport, which answers a request with an SSE stream (its progress, then its result)
 * or a notification with 202. Each `tools/call` passes `guards` (the limits, Turnstile) as
 * one answer does. The body sent is the transport's, read through one stream that counts
 * its bytes for the log line and, when the client leaves, cancels the answers being read,
 * so the site's requests are aborted at once on every runtime.
 */
export async function mcpEndpoint(
  c: Context<GatewayEnv>,
  guards: MiddlewareHandler<GatewayEnv>[],
): Promise<Response> {
  const { config, log } = c.var;
  checkMcpOrigin(c.req.header("origin") ?? null, config.publicOrigin, config.allowedOrigins);
  const answers = new Set<AnswerReader>();
  const server = botServer(config, (onText) => ({ c, guards, answers, onText }));
  const transport = new WebStandardStreamableHTTPServerTransport({
    keepAliveMs: config.keepAliveMs,
    maxRequestBodySize: config.maxBodyBytes,
  });
  await server.connect(transport);
  const response = await transport.handleRequest(c.req.raw);
  const close = () => void server.close().catch(() => {});
  if (!response.body) {
    close();
    return response;
  }
  return new Response(watchedBody(response.body, answers, log, close), response);
}

/** The transport's body, read as it is written; leaving cancels the answers, then closes. */
function watchedBody(
  body: ReadableStream<Uint8Array>,
  answers: Set<AnswerReader>,
  log: RequestLog,
  close: () => void,
): ReadableStream<Uint8Array> {
  const reader = body.getReader();
  const watched = new ReadableStream<Uint8Array>({
    async pull(controller) {
      const { done, value } = await reader.read();
      if (done) {
        controller.close();
        report.end();
        return close();
      }
      report.sent(value.byteLength);
      controller.enqueue(value);
    },
    async cancel(reason) {
      report.end();
      await Promise.allSettled([...answers].map((answer) => answer.cancel(reason)));
      await reader.cancel(reason).catch(() => {});
      close();
    },
  }, { highWaterMark: 0 });
  const report = log.reportBody(watched);
  return watched;
}
