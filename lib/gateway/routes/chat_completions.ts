import type { Context } from "hono";
import { answerBody } from "../answer_body.ts";
import { askAiEngine } from "../ask_ai_engine.ts";
import { collectAnswer } from "../encoders/collect.ts";
import { chatCompletion, chatCompletionChunks, completionMeta } from "../encoders/openai.ts";
import { STREAM_HEADERS } from "../encoders/stream_headers.ts";
import type { GatewayEnv } from "../gateway_env.ts";
import { botForModel } from "../request/bot_for_model.ts";
import { chatIdOf, parseCompletionRequest } from "../request/chat_request.ts";
import { readRequestJson } from "../request/json_body.ts";

/**
 * `POST /v1/chat/completions`: OpenAI's Chat Completions over an AI Engine bot, streamed
 * as `chat.completion.chunk` events or whole as one `chat.completion`.
 */
export async function chatCompletions(c: Context<GatewayEnv>): Promise<Response> {
  const { value } = await readRequestJson(c);
  const input = parseCompletionRequest(value);
  input.chatId ??= chatIdOf(c.req.header("x-chat-id"), "X-Chat-Id");
  const bot = botForModel(c.var.config.bots, input.model);
  const meta = completionMeta(input.model ?? bot, input.includeUsage);
  const answer = await askAiEngine(c, bot, input);
  if (!input.stream) return c.json(chatCompletion(await collectAnswer(answer), meta));
  const body = answerBody(answer, chatCompletionChunks(meta), c.var.log, c.var.config.keepAliveMs);
  return new Response(body, {
    headers: { "content-type": "text/event-stream; charset=utf-8", ...STREAM_HEADERS },
  });
}
