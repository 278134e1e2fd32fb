import type { Context, MiddlewareHandler } from "hono";
import type { CallToolResult } from "@modelcontextprotocol/sdk/types.js";
import type { AnswerReader } from "../../ai_engine/answer/answer_reader.ts";
import { isChatId } from "../../ai_engine/chat_id.ts";
import { hex } from "../../util/hex.ts";
import { isRecord } from "../../util/is_record.ts";
import { askAiEngine } from "../ask_ai_engine.ts";
import { collectAnswer } from "../encoders/collect.ts";
import type { GatewayEnv } from "../gateway_env.ts";
import { badRequest, toHttpError } from "../http_error.ts";
import type { ChatInput } from "../request/chat_request.ts";
import { toolError } from "./tool_error.ts";

/** Told each piece of the answer's text as it arrives, with the count of characters so far. */
export type OnAnswerText = (piece: string, characters: number) => Promise<void>;

/** What one `tools/call` needs besides its arguments. */
export interface ToolCallContext {
  /** The request's context: its configuration, session, log and connection. */
  c: Context<GatewayEnv>;
  /**
   * What an answer route runs before the site is called (the per-client limits, Turnstile),
   * in order: each call passes them as any answer does.
   */
  guards: MiddlewareHandler<GatewayEnv>[];
  /** The answers being read, so that a client that leaves cancels them. */
  answers: Set<AnswerReader>;
  /** Told the text as it streams (progress), or null. */
  onText: OnAnswerText | null;
}

/**
 * Asks `bot` the call's `question`, in the conversation `conversation_id` names or in a
 * new one, behind the answer routes' guards, and returns the answer as a tool result: its text, its images as links, and
 * `structuredContent` with the `conversation_id` to continue. A failure, the gateway's
 * limits' or the site's, is a result with `isError`, which the agent reads and can act on
 * (the MCP specification's tool execution errors).
 */
export async function callBotTool(
  bot: string,
  args: unknown,
  { c, guards, answers, onText }: ToolCallContext,
): Promise<CallToolResult> {
  try {
    const input = toolInput(bot, args);
    let result: CallToolResult | undefined;
    await guarded(c, guards, async () => {
      result = await answer(c, bot, input, answers, onText);
    });
    // Every guard either calls on or throws; one that did neither is the gateway's fault.
    if (result === undefined) throw new TypeError("A guard neither passed nor refused the call");
    return result;
  } catch (error) {
    const httpError = toHttpError(error);
    c.var.log.failed(httpError);
    return toolError(httpError);
  }
}

/** Runs `inner` behind the guards, as Hono runs a route behind its middleware. */
async function guarded(
  c: Context<GatewayEnv>,
  guards: MiddlewareHandler<GatewayEnv>[],
  inner: () => Promise<void>,
): Promise<void> {
  const [first, ...rest] = guards;
  if (!first) return await inner();
  await first(c, () => guarded(c, rest, inner));
}

async function answer(
  c: Context<GatewayEnv>,
  bot: string,
  input: ChatInput & { chatId: string },
  answers: Set<AnswerReader>,
  onText: OnAnswerText | null,
): Promise<CallToolResult> {
  const { log } = c.var;
  const reader = await askAiEngine(c, bot, input);
  answers.add(reader);
  let characters = 0;
  // Counted as it arrives, so a cut answer costs its budget too, as on the other routes.
  const counted: AnswerReader = {
    read: async () => {
      const chunk = await reader.read();
      if (chunk?.finish) log.answer.tokens = chunk.finish.usage?.total_tokens ?? null;
      if (chunk && chunk.text !== "") {
        characters += chunk.text.length;
        log.answer.characters = characters;
        await onText?.(chunk.text, characters);
      }
      return chunk;
    },
    cancel: (reason) => reader.cancel(reason),
  };
  try {
    const { text, extras } = await collectAnswer(counted);
    const images = extras?.images ?? [];
    return {
      content: [
        { type: "text", text },
        ...images.map((uri, index) => ({
          type: "resource_link" as const,
          uri,
          name: `image ${index + 1}`,
        })),
        { type: "text", text: `conversation_id: ${input.chatId}` },
      ],
      structuredContent: {
        answer: text,
        conversation_id: input.chatId,
        ...(images.length > 0 ? { images } : {}),
      },
    };
  } finally {
    answers.delete(reader);
  }
}

/** The question as a chat request: one new message, in the given or a new conversation. */
function toolInput(bot: string, args: unknown): ChatInput & { chatId: string } {
  const given = isRecord(args) ? args : {};
  const { question, conversation_id: conversation } = given;
  if (typeof question !== "string" || question.trim() === "") {
    throw badRequest("question must be a non-empty string", "question");
  }
  if (conversation !== undefined && !isChatId(conversation)) {
    throw badRequest(
      "conversation_id must be 1 to 64 letters, digits, _ or - (an earlier answer's)",
      "conversation_id",
    );
  }
  return {
    model: bot,
    messages: [{ role: "user", content: question }],
    stream: true,
    includeUsage: false,
    chatId: conversation ?? newConversationId(),
    images: [],
    endUser: null,
  };
}

/** A new conversation's id: random, so that no two agents' conversations meet on the site. */
function newConversationId(): string {
  return `mcp-${hex(crypto.getRandomValues(new Uint8Array(12)))}`;
}
