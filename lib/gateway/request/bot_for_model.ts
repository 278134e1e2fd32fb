import { HttpError } from "../http_error.ts";

/** The model name OpenAI clients of old sites send; an alias of the default bot. */
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
