import type { Context } from "hono";
import { parseSimpleRequest } from "../request/chat_request.ts";
import { collectAnswer } from "../encoders/collect.ts";
import { hasValidKey } from "../request/bearer_key.ts";
import { requireSignatureHeaders, verifySignature } from "../request/signature.ts";
import { invalidKey } from "../http_error.ts";
import { askAiEngine } from "../ask_ai_engine.ts";
import { botForModel } from "../request/bot_for_model.ts";
import { readRequestJson } from "../request/json_body.ts";
import type { GatewayEnv } from "../gateway_env.ts";

/**
 * `POST /api/webhook`: one JSON object `{"reply","model","usage"}` once the answer is
 * complete. Accepted with a valid bearer key, or signed with `WEBHOOK_SECRET`. A caller
 * with neither is refused before its body is read; a signed body is judged (size, type,
 * JSON) only once its signature, over the raw bytes, has passed; a signature is accepted
 * once (a replay within its 300 s is 403 `signature_replayed`, per isolate).
 */
export async function webhook(c: Context<GatewayEnv>): Promise<Response> {
  const { config } = c.var;
  const authorization = c.req.header("authorization") ?? null;
  const keyed = config.apiKeys.length > 0 && await hasValidKey(authorization, config.apiKeys);
  const { value } = await readRequestJson(c, keyed ? undefined : signatureCheck(c, authorization));
  const input = parseSimpleRequest(value);
  const bot = botForModel(config.bots, input.model);
  const answer = await collectAnswer(await askAiEngine(c, bot, input));
  c.var.log.answer.characters = answer.text.length;
  c.var.log.answer.tokens = answer.usage?.total_tokens ?? null;
  // What `end` carries besides the reply, top-level, only when the site sent any.
  return c.json({
    reply: answer.text,
    model: input.model ?? bot,
    usage: answer.usage,
    ...answer.extras,
  });
}

/** The check a caller without a valid key must pass, or a refusal now; none when open. */
function signatureCheck(
  c: Context<GatewayEnv>,
  authorization: string | null,
): ((raw: Uint8Array) => Promise<void>) | undefined {
  const { apiKeys, webhookSecret } = c.var.config;
  const timestamp = c.req.header("x-signature-timestamp") ?? null;
  const signature = c.req.header("x-signature-256") ?? null;
  if (webhookSecret && (signature || timestamp || !authorization)) {
    requireSignatureHeaders(timestamp, signature);
    const seen = c.var.signatures;
    return (raw) => verifySignature(webhookSecret, timestamp, signature, raw, Date.now(), seen);
  }
  if (apiKeys.length === 0 && !webhookSecret) return undefined; // an open gateway
  throw invalidKey(authorization ? "Invalid API key" : "Missing API key or signature");
}
