import type { Context } from "hono";
import { answerBody } from "../answer_body.ts";
import { askAiEngine } from "../ask_ai_engine.ts";
import { PLAIN_TEXT } from "../encoders/plain_text.ts";
import { STREAM_HEADERS } from "../encoders/stream_headers.ts";
import type { GatewayEnv } from "../gateway_env.ts";
import { botForModel } from "../request/bot_for_model.ts";
import { parseSimpleRequest } from "../request/chat_request.ts";
import { readRequestJson } from "../request/json_body.ts";

/**
 * `POST /api/chat`: the answer as plain text while it streams (the AI SDK's text stream
 * protocol). A failure after the first text ends the body abnormally, so the client's
 * read rejects instead of showing a cut answer as whole.
 */
export async function apiChat(c: Context<GatewayEnv>): Promise<Response> {
  const { value } = await readRequestJson(c);
  const input = parseSimpleRequest(value);
  const bot = botForModel(c.var.config.bots, input.model);
  const answer = await askAiEngine(c, bot, input);
  return new Response(answerBody(answer, PLAIN_TEXT, c.var.log), {
    headers: { "content-type": "text/plain; charset=utf-8", ...STREAM_HEADERS },
  });
}
