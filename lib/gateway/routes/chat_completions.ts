import type { Context } from "hono";
import { parseCompletionRequest } from "../request/chat_request.ts";
import { collectAnswer } from "../encoders/collect.ts";
import { chatCompletion, ChatCompletionChunkStream, completionMeta } from "../encoders/openai.ts";
import { toHttpError } from "../http_error.ts";
import { errorCode } from "../request_log.ts";
import { catchStreamError } from "../../streams/catch_stream_error.ts";
import { askAiEngine } from "../ask_ai_engine.ts";
import { botForModel } from "../request/bot_for_model.ts";
import { readRequestJson } from "../request/json_body.ts";
import { STREAM_HEADERS } from "../encoders/stream_headers.ts";
import type { GatewayEnv } from "../gateway_env.ts";

/**
 * `POST /v1/chat/completions`: OpenAI's Chat Completions over an AI Engine bot. A
 * failure after the first chunk is sent in band as `data: {"error":...}`, with no
 * `[DONE]`, so no client takes a cut answer for a complete one.
 */
export async function chatCompletions(c: Context<GatewayEnv>): Promise<Response> {
  const { value } = await readRequestJson(c);
  const input = parseCompletionRequest(value);
  const bot = botForModel(c.var.config.bots, input.model);
  const meta = completionMeta(input.model ?? bot, input.includeUsage);
  const parts = await askAiEngine(c, bot, input);
  if (!input.stream) return c.json(chatCompletion(await collectAnswer(parts), meta));
  const chunks = parts.pipeThrough(new ChatCompletionChunkStream(meta));
  const events = catchStreamError(chunks, (error, controller) => {
    const httpError = toHttpError(error);
    c.var.log.error = errorCode(httpError);
    controller.enqueue(new TextEncoder().encode(`data: ${JSON.stringify(httpError)}\n\n`));
    controller.close();
  });
  return new Response(events, {
    headers: { "content-type": "text/event-stream; charset=utf-8", ...STREAM_HEADERS },
  });
}
