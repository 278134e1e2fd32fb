import type { Context } from "hono";
import type { AnswerPart } from "../ai_engine/events.ts";
import { chat } from "../chat.ts";
import type { ChatInput } from "./request/chat_request.ts";
import { readJsonBody } from "./request/json_body.ts";
import { HttpError } from "./http_error.ts";
import type { GatewayEnv } from "./gateway_env.ts";

/** The seed client's model name, kept as an alias of the default bot. */
export const DEFAULT_BOT_ALIAS = "gpt-3.5-turbo";

/** The bot a model name stands for: a configured bot id, or the alias; else 404. */
export function botForModel(bots: readonly string[], model: string | null): string {
  const fallback = bots[0] ?? "default";
  if (model === null || model === DEFAULT_BOT_ALIAS) return fallback;
  if (bots.includes(model)) return model;
  throw new HttpError(404, `The model ${model.slice(0, 100)} does not exist; see GET /v1/models`, {
    type: "invalid_request_error",
    code: "model_not_found",
    param: "model",
  });
}

/**
 * Reads the request's JSON body under the configured limits: `MAX_BODY_BYTES`, and
 * `UPSTREAM_TIMEOUT_MS` for the whole body to arrive (a peer's silence is bounded the
 * same way on both sides).
 */
export function readRequestJson(
  c: Context<GatewayEnv>,
  verify?: (raw: Uint8Array) => Promise<void>,
): Promise<{ raw: Uint8Array; value: unknown }> {
  const { maxBodyBytes, upstreamTimeoutMs } = c.var.config;
  return readJsonBody(c.req.raw, maxBodyBytes, upstreamTimeoutMs, verify);
}

/**
 * Asks the bot through the library's {@linkcode chat} and resolves once the answer has
 * begun, with its parts: the upstream
 * request is tied to the client's connection, so a client that leaves aborts it.
 */
export function askAiEngine(
  c: Context<GatewayEnv>,
  bot: string,
  input: ChatInput,
): Promise<ReadableStream<AnswerPart>> {
  const { config, session, log, upstreamFetch } = c.var;
  return chat({
    restUrl: config.restUrl,
    bot,
    messages: input.messages,
    session,
    fetch: upstreamFetch,
    timeoutMs: config.upstreamTimeoutMs,
    signal: c.req.raw.signal,
    trace: log.upstream,
  }).started;
}

/**
 * Headers of a streamed answer: no caching, and no compression that would hold text back.
 * Deno (with DENO_SERVE_AUTOMATIC_COMPRESSION=1) and Deno Deploy skip a `no-transform`
 * response; Cloudflare (and wrangler dev) gzips `text/plain` whatever Cache-Control says,
 * and only leaves alone a response whose Content-Encoding is neither gzip nor br.
 */
export const STREAM_HEADERS = {
  "cache-control": "no-cache, no-transform",
  "content-encoding": "identity",
  "x-accel-buffering": "no",
  "x-content-type-options": "nosniff",
};
