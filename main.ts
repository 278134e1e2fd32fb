/**
 * mwai-edge: a WordPress site running AI Engine as a streaming API. The same file runs on
 * Deno (`deno serve main.ts`, Deno Deploy) and on Cloudflare Workers (wrangler), which
 * both call the default export's `fetch`. The routes live in `lib/gateway/app.ts`, so tests can
 * build gateways with other configurations in one process.
 */
import { createApp } from "./lib/gateway/app.ts";

export default createApp();
// The Durable Object of the limits on Workers (LIMITS_STORE=durable-object, wrangler.toml).
export { LimitCounter } from "./lib/gateway/limits/limit_counter_object.ts";
