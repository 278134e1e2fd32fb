import type { Context } from "hono";
import { answerBody } from "../answer_body.ts";
import { askAiEngine, chatIdFor } from "../ask_ai_engine.ts";
import type { Config } from "../config.ts";
import { collectAnswer } from "../encoders/collect.ts";
import { type ResponseMeta, responseObject } from "../encoders/response_object.ts";
import { responseEvents } from "../encoders/responses_events.ts";
import { STREAM_HEADERS } from "../encoders/stream_headers.ts";
import type { GatewayEnv } from "../gateway_env.ts";
import { HttpError } from "../http_error.ts";
import { botForModel } from "../request/bot_for_model.ts";
import { chatIdOf, type ChatInput } from "../request/chat_request.ts";
import { readRequestJson } from "../request/json_body.ts";
import { parseResponsesRequest, type ResponseEcho } from "../request/responses_request.ts";
import { type ResponseHandle, ResponseThreads } from "../responses/response_threads.ts";

/** The conversations of each configuration, once per isolate (as the session, see `state.ts`). */
const threadsByConfig = new WeakMap<Config, ResponseThreads>();

/**
 * `POST /v1/responses`: OpenAI's Responses API over an AI Engine bot, streamed as the
 * `response.*` events or whole as one `response` object. `previous_response_id` continues
 * the conversation its id carries (see {@linkcode ResponseThreads}): the same `chatId` on
 * the site, and the earlier turns sent again as AI Engine's `messages`.
 */
export async function createResponse(c: Context<GatewayEnv>): Promise<Response> {
  const { config, client, log } = c.var;
  const createdAt = Math.floor(Date.now() / 1000);
  let threads = threadsByConfig.get(config);
  if (!threads) threadsByConfig.set(config, threads = new ResponseThreads(config.sessionSecret));
  // An id opens only for the key it was given to: another key's client cannot read it,
  // nor recall its answer by its message id.
  const owner = client.keyed ? client.id : "";
  const { value } = await readRequestJson(c);
  const request = parseResponsesRequest(value, (id) => threads.recallMessage(id, owner));
  const { chat, previousResponseId } = request;
  chat.chatId ??= chatIdOf(c.req.header("x-chat-id"), "X-Chat-Id");
  const bot = botForModel(c.var.config.bots, chat.model);
  if (previousResponseId !== null) await continueThread(threads, chat, previousResponseId, owner);
  chat.chatId = await chatIdFor(c, bot, chat);
  if (!chat.stream) {
    const answer = await collectAnswer(await askAiEngine(c, bot, chat));
    const turns = [...chat.messages, { role: "assistant" as const, content: answer.text }];
    const handle = await threads.start(chat.chatId, turns, owner);
    threads.remember(handle.key, answer.text);
    const meta = metaOf(handle, createdAt, chat.model ?? bot, request.echo);
    return c.json(responseObject(meta, { status: "completed", ...answer }));
  }
  // The id is sealed while the site is asked (~0.5 ms of CPU, off the way to the first text).
  const sealing = threads.start(chat.chatId, chat.messages, owner);
  const answer = await askAiEngine(c, bot, chat);
  const handle = await sealing.catch(async (error) => {
    await answer.cancel();
    throw error;
  });
  const meta = metaOf(handle, createdAt, chat.model ?? bot, request.echo);
  const events = responseEvents(meta, (text) => threads.remember(handle.key, text));
  const body = answerBody(answer, events, log, config.keepAliveMs);
  return new Response(body, {
    headers: { "content-type": "text/event-stream; charset=utf-8", ...STREAM_HEADERS },
  });
}

function metaOf(
  { id, messageId }: ResponseHandle,
  createdAt: number,
  model: string,
  echo: ResponseEcho,
): ResponseMeta {
  return { id, messageId, createdAt, model, echo };
}

/** The earlier turns and the site's `chatId` of the response `id` names, before `chat`'s own. */
async function continueThread(
  threads: ResponseThreads,
  chat: ChatInput,
  id: string,
  owner: string,
): Promise<void> {
  const thread = await threads.continueFrom(id, owner);
  if (!thread) throw previousNotFound(id);
  chat.messages = [...thread.turns, ...chat.messages];
  chat.chatId = thread.chatId;
}

/**
 * `GET`/`DELETE /v1/responses/{id}`, its `input_items` and `cancel`: the gateway keeps no
 * responses, so each is a 404 that says how to continue instead.
 */
export function storedResponse(c: Context<GatewayEnv>): never {
  const id = (c.req.param("id") ?? "").slice(0, 80);
  throw new HttpError(
    404,
    `Response ${id} is not stored: the gateway keeps no responses to retrieve, list or cancel; continue a conversation with previous_response_id`,
    { type: "invalid_request_error", code: "response_not_found", param: "response_id" },
  );
}

function previousNotFound(id: string): HttpError {
  return new HttpError(
    400,
    `Previous response ${
      id.slice(0, 40)
    }… cannot be continued: it is not an id this gateway gave to this client, or it is over 30 days old`,
    {
      type: "invalid_request_error",
      code: "previous_response_not_found",
      param: "previous_response_id",
    },
  );
}
