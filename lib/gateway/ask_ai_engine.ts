import type { Context } from "hono";
import type { AnswerReader } from "../ai_engine/answer_reader.ts";
import { chat } from "../chat.ts";
import type { ChatInput } from "./request/chat_request.ts";
import type { GatewayEnv } from "./gateway_env.ts";

/**
 * Asks the bot through the library's {@linkcode chat} and resolves once the answer has
 * begun, with its reader: the upstream request is tied to the client's connection, so a
 * client that leaves aborts it.
 */
export function askAiEngine(
  c: Context<GatewayEnv>,
  bot: string,
  input: ChatInput,
): Promise<AnswerReader> {
  const { config, session, log, upstreamFetch } = c.var;
  return chat({
    restUrl: config.restUrl,
    bot,
    messages: input.messages,
    session,
    fetch: upstreamFetch,
    timeoutMs: config.upstreamTimeoutMs,
    firstTextTimeoutMs: config.firstTextTimeoutMs,
    answerTimeoutMs: config.answerTimeoutMs,
    signal: c.req.raw.signal,
    trace: log.upstream,
  }).opened;
}
