import type { MiddlewareHandler } from "hono";
import type { GatewayEnv } from "../gateway_env.ts";
import { invalidKey } from "../http_error.ts";
import { hasValidKey } from "../request/bearer_key.ts";
import { optionsFor, type PerRequest } from "./per_request.ts";

/** Which keys open the routes (see {@linkcode apiKey}). */
export interface ApiKeyOptions {
  /** The keys accepted (`API_KEYS`); none lets every request in. */
  keys: readonly string[];
  /** A request without any `Authorization` passes too, as an anonymous client (`PUBLIC_CHAT`). */
  publicChat?: boolean;
}

/**
 * Lets through only requests with a valid `Authorization: Bearer <key>`, when keys are
 * set. With `publicChat` (the public faces under `PUBLIC_CHAT=true`), a request without any
 * `Authorization` passes too, as an anonymous client (the limits count it by address); a
 * wrong key is still refused, so its sender learns it is wrong.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { Hono } from "hono";
 * import { apiKey } from "./api_key.ts";
 * import { renderError } from "./edge.ts";
 * import type { GatewayEnv } from "../gateway_env.ts";
 * const app = new Hono<GatewayEnv>().onError(renderError);
 * app.use(apiKey({ keys: ["k1"] })).get("/", (c) => c.text("hi"));
 * assert.equal((await app.request("/", { headers: { authorization: "Bearer k1" } })).status, 200);
 * assert.equal((await app.request("/")).status, 401);
 * ```
 */
export function apiKey(options: PerRequest<ApiKeyOptions>): MiddlewareHandler<GatewayEnv> {
  return async (c, next) => {
    const authorization = c.req.header("authorization") ?? null;
    const { keys, publicChat = false } = optionsFor(options, c);
    if (!(publicChat && authorization === null)) await requireKey(authorization, keys);
    await next();
  };
}

/** Refuses a request without a valid key (when keys are configured). */
export async function requireKey(
  authorization: string | null,
  keys: readonly string[],
): Promise<void> {
  if (keys.length === 0 || await hasValidKey(authorization, keys)) return;
  throw invalidKey(
    authorization ? "Invalid API key" : "Missing API key: send Authorization: Bearer <key>",
  );
}
