import type { Context } from "hono";
import { parseSimpleRequest } from "../request/chat_request.ts";
import { CLIENT_CLOSED, toHttpError } from "../http_error.ts";
import { errorCode } from "../request_log.ts";
import { PlainTextStream } from "../encoders/plain_text.ts";
import { catchStreamError } from "../../streams/catch_stream_error.ts";
import { askAiEngine } from "../ask_ai_engine.ts";
import { botForModel } from "../request/bot_for_model.ts";
import { readRequestJson } from "../request/json_body.ts";
import { STREAM_HEADERS } from "../encoders/stream_headers.ts";
import type { GatewayEnv } from "../gateway_env.ts";

/**
 * `POST /api/chat`: the answer as plain text while it streams (the AI SDK's text stream
 * protocol). A failure after the first text ends the body abnormally, so the client's
 * read rejects instead of showing a cut answer as whole.
 */
export async function apiChat(c: Context<GatewayEnv>): Promise<Response> {
  const { value } = await readRequestJson(c);
  const input = parseSimpleRequest(value);
  const bot = botForModel(c.var.config.bots, input.model);
  const parts = await askAiEngine(c, bot, input);
  const body = catchStreamError(
    parts.pipeThrough(new PlainTextStream()),
    async (error, controller) => {
      // The runtime prints a failed body's reason: give it the code, not the upstream's words.
      const code = errorCode(toHttpError(error));
      c.var.log.error = code;
      // A client that left reads nothing more: end quietly rather than print an error.
      if (code === CLIENT_CLOSED) return controller.close();
      // workerd turns a body that fails before it has sent the text read so far into a bare
      // 500 without that text: let one task pass, so the client gets 200, text, then the cut.
      await new Promise((resolve) => setTimeout(resolve, 0));
      controller.error(`mwai-edge: the answer failed after it began (${code})`);
    },
  );
  return new Response(body, {
    headers: { "content-type": "text/plain; charset=utf-8", ...STREAM_HEADERS },
  });
}
