import type { Context } from "hono";
import { modelList, modelObject } from "../encoders/openai.ts";
import type { GatewayEnv } from "../gateway_env.ts";
import { botForModel } from "../request/bot_for_model.ts";

/** `GET /v1/models`: the bots as an OpenAI model list. */
export function listModels(c: Context<GatewayEnv>): Response {
  return c.json(modelList(c.var.config.bots));
}

/**
 * `GET /v1/models/{id}`: one bot as an OpenAI model, for `models.retrieve` and the tools
 * that check a model before using it. The SDKs percent-encode the id (`a/b` as `a%2Fb`);
 * Hono's `param` decodes it. A name chat completions accept (a bot, or the default bot's
 * alias) is a model; anything else is 404 `model_not_found`.
 */
export function retrieveModel(c: Context<GatewayEnv>): Response {
  const id = c.req.param("id") ?? "";
  botForModel(c.var.config.bots, id);
  return c.json(modelObject(id));
}
