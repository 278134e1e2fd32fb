import type { Context } from "hono";
import type { AnswerReader } from "../ai_engine/answer/answer_reader.ts";
import { deriveChatId } from "../ai_engine/chat_id.ts";
import { chat } from "../chat.ts";
import type { ChatInput } from "./request/chat_request.ts";
import type { GatewayEnv } from "./gateway_env.ts";

/**
 * Asks the bot through the library's {@linkcode chat} and resolves once the answer has
 * begun, with its reader: the upstream request is tied to the client's connection, so a
 * client that leaves aborts it. The conversation's `chatId` is the client's, else derived
 * (see {@linkcode conversationId}). A name of `AI_ENGINE_BOTS` that stands for a shortcode
 * bot reaches it by its `customId` (and `contextId`, when the entry has one). The site is
 * reached the session's way (`session.site`); the moment the first text is ready goes
 * to the log (`Server-Timing: first-text`).
 */
export async function askAiEngine(
  c: Context<GatewayEnv>,
  bot: string,
  input: ChatInput,
): Promise<AnswerReader> {
  const { config, session, log } = c.var;
  const entry = config.botEntries.find((candidate) => candidate.name === bot);
  const sessionId = await sessionIdOf(c, input);
  const reader = await chat({
    restUrl: config.restUrl,
    bot: entry?.botId ?? bot,
    customId: entry?.customId ?? undefined,
    contextId: entry?.contextId ?? undefined,
    images: input.images,
    messages: input.messages,
    chatId: input.chatId ?? await conversationId(c, bot, input, sessionId),
    sessionId,
    session,
    timeoutMs: config.upstreamTimeoutMs,
    firstTextTimeoutMs: config.firstTextTimeoutMs,
    answerTimeoutMs: config.answerTimeoutMs,
    signal: c.req.raw.signal,
    trace: log.upstream,
  }).opened;
  log.firstTextReady();
  return reader;
}

/**
 * The conversation id {@linkcode askAiEngine} sends for `input`: the client's, else derived
 * (the Responses API seals it into the response id, so the next turn continues it).
 */
export async function chatIdFor(
  c: Context<GatewayEnv>,
  bot: string,
  input: ChatInput,
): Promise<string> {
  return input.chatId ?? await conversationId(c, bot, input, await sessionIdOf(c, input));
}

// Only a client with a key may say who its end users are; anyone else could mint visitors.
function sessionIdOf(c: Context<GatewayEnv>, input: ChatInput): Promise<string> {
  const { client, siteSessions } = c.var;
  return siteSessions.idFor(client, client.keyed ? input.endUser ?? "" : "");
}

/**
 * A conversation id derived so that the conversation's next turn maps to it: from the
 * bot, the first user message and the client's session id where that is the same in
 * every isolate (`SESSION_SECRET`), so two clients never share one; else the digest of the
 * caller's key, when it shows one (so two keys never share one). It is the same in
 * every isolate and holds no secret.
 */
async function conversationId(
  c: Context<GatewayEnv>,
  bot: string,
  input: ChatInput,
  sessionId: string,
) {
  if (c.var.siteSessions.stable) return await deriveChatId(bot, input.messages, sessionId);
  const { id } = c.var.client;
  return await deriveChatId(bot, input.messages, id.startsWith("key:") ? id : "");
}
