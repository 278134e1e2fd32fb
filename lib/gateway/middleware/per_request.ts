import type { Context } from "hono";
import type { GatewayEnv } from "../gateway_env.ts";

/**
 * A middleware's options: given once, or read from each request's context. On Workers the
 * configuration comes with the first request's bindings, so a gateway passes a function
 * of the context; a test or another app passes the options themselves.
 */
export type PerRequest<T extends object> = T | ((c: Context<GatewayEnv>) => T);

/**
 * The options for this request.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import type { Context } from "hono";
 * import type { GatewayEnv } from "../gateway_env.ts";
 * import { optionsFor } from "./per_request.ts";
 * const c = {} as Context<GatewayEnv>;
 * assert.deepEqual(optionsFor({ keys: ["k1"] }, c), { keys: ["k1"] });
 * assert.deepEqual(optionsFor(() => ({ keys: ["k2"] }), c), { keys: ["k2"] });
 * ```
 */
export function optionsFor<T extends object>(options: PerRequest<T>, c: Context<GatewayEnv>): T {
  return typeof options === "function" ? options(c) : options;
}
