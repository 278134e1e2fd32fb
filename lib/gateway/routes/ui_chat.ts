import type { Context } from "hono";
import { answerBody } from "../answer_body.ts";
import { askAiEngine } from "../ask_ai_engine.ts";
import { STREAM_HEADERS } from "../encoders/stream_headers.ts";
import { UI_MESSAGE_STREAM_HEADERS, uiMessageStream } from "../encoders/ui_message_stream.ts";
import type { GatewayEnv } from "../gateway_env.ts";
import { botForModel } from "../request/bot_for_model.ts";
import { chatIdOf, parseSimpleRequest } from "../request/chat_request.ts";
import { isRecord } from "../../util/is_record.ts";
import { readRequestJson } from "../request/json_body.ts";

/**
 * `POST /api/ui-chat`: the AI SDK's UI message stream, for `useChat`'s default
 * transport. The body is what the SDK's transports send (`{id, messages: [{role, parts}],
 * trigger, ...}`), read like `/api/chat`'s. A failure before the first text is the usual
 * JSON error and status (the transport rejects with it); after, an `error` part.
 */
export async function uiChat(c: Context<GatewayEnv>): Promise<Response> {
  const { value } = await readRequestJson(c);
  const input = parseSimpleRequest(value);
  // The AI SDK's chat `id` is one per conversation: AI Engine's chatId.
  input.chatId ??= chatIdOf(isRecord(value) ? value.id : undefined, "id");
  const bot = botForModel(c.var.config.bots, input.model);
  const answer = await askAiEngine(c, bot, input);
  const encoder = uiMessageStream(`msg-${crypto.randomUUID().replaceAll("-", "")}`);
  const body = answerBody(answer, encoder, c.var.log, c.var.config.keepAliveMs);
  return new Response(body, { headers: { ...UI_MESSAGE_STREAM_HEADERS, ...STREAM_HEADERS } });
}
