import { type Context, Hono } from "hono";
import type { Config } from "./config.ts";
import { gatewayState } from "./state.ts";
import { apiKey } from "./middleware/api_key.ts";
import { allowedHosts } from "./middleware/allowed_hosts.ts";
import { cors } from "./middleware/cors.ts";
import { isolateState } from "./middleware/isolate_state.ts";
import { limits } from "./middleware/limits.ts";
import { turnstile } from "./middleware/turnstile.ts";
import type { LimitStore } from "./limits/limit_store.ts";
import { HttpError } from "./http_error.ts";
import { apiChat } from "./routes/api_chat.ts";
import { chatCompletions } from "./routes/chat_completions.ts";
import { chatPage } from "./routes/chat_page.ts";
import { createResponse, storedResponse } from "./routes/responses.ts";
import { listModels, retrieveModel } from "./routes/models.ts";
import { mcp } from "./routes/mcp.ts";
import { uiChat } from "./routes/ui_chat.ts";
import { edge, renderError } from "./middleware/edge.ts";
import { embedJs } from "./routes/embed_js.ts";
import type { GatewayEnv } from "./gateway_env.ts";
import { webhook } from "./routes/webhook.ts";
import { VERSION } from "../version.ts";

/** What a gateway is built from; every field has a production default. */
export interface AppOptions {
  /** The configuration; by default read once from the environment (see `gatewayState`). */
  config?: Config;
  /**
   * The fetch that carries every call to the site (start_session, the nonce page, uploads,
   * answers); by default the runtime's own way (see `runtimeUpstream`).
   */
  fetch?: typeof fetch;
  /** Where log lines go; `console.log` by default. */
  log?: (line: string) => void;
  /** A line shown on the demo page (the offline demo says its answers are emulated). */
  notice?: string;
  /** The store of the per-client limits; by default the one `LIMITS_STORE` names. */
  limitStore?: LimitStore;
}

/**
 * Builds the gateway: a Hono app whose `fetch` serves every route of the contract. One
 * app holds one AI Engine session, so one `start_session` serves the whole isolate.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { createApp } from "./app.ts";
 * import { parseConfig } from "./config.ts";
 * const app = createApp({ config: parseConfig({}), log: () => {} });
 * const response = await app.request("/healthz");
 * assert.equal((await response.json()).ok, true);
 * ```
 */
export function createApp(options: AppOptions = {}): Hono<GatewayEnv> {
  const write = options.log ?? ((line: string) => console.log(line));
  const state = gatewayState({ config: options.config, fetch: options.fetch, write });

  // Each middleware takes its options from the isolate's configuration, made from the
  // first request's bindings on Workers, not from what an earlier one put in the context;
  // only limits reads edge's log line, and turnstile the client that limits names.
  const configOf = (c: Context<GatewayEnv>) => state(c.env).config;
  const keys = (c: Context<GatewayEnv>) => ({ keys: configOf(c).apiKeys });
  const publicKeys = (c: Context<GatewayEnv>) => ({
    keys: configOf(c).apiKeys,
    publicChat: configOf(c).limits.publicChat,
  });
  const limitsOf = (c: Context<GatewayEnv>) => {
    const { limits, apiKeys, webhookSecret, answerTimeoutMs } = configOf(c);
    return { limits, apiKeys, webhookSecret, answerTimeoutMs, store: options.limitStore };
  };

  const app = new Hono<GatewayEnv>();
  app.use(edge(write), allowedHosts((c) => configOf(c).servedNames));
  app.use(cors(configOf), isolateState(state));
  app.get("/healthz", (c) => c.json({ ok: true, version: VERSION }));
  app.get("/", chatPage(options.notice));
  app.get("/embed.js", embedJs);
  app.use("/v1/*", apiKey(keys));
  app.use("/api/chat", apiKey(publicKeys));
  app.use("/api/ui-chat", apiKey(publicKeys));
  // Past the key check, before the site is called: each answer counts against its client,
  // then Turnstile asks the anonymous ones (it needs the client the limits named).
  const turnstileOf = (c: Context<GatewayEnv>) => ({ settings: configOf(c).limits.turnstile });
  app.on("POST", ANSWER_ROUTES, limits(limitsOf), turnstile(turnstileOf));
  app.get("/v1/models", listModels);
  app.get("/v1/models/:id", retrieveModel);
  // Some clients join a base URL ending in `/` with a path: the same route.
  app.post("/v1/chat/completions", chatCompletions);
  app.post("/v1/chat/completions/", chatCompletions);
  app.post("/v1/responses", createResponse);
  app.post("/v1/responses/", createResponse);
  app.on(["GET", "DELETE"], "/v1/responses/:id", storedResponse);
  app.get("/v1/responses/:id/input_items", storedResponse);
  app.post("/v1/responses/:id/cancel", storedResponse);
  app.post("/api/chat", apiChat);
  app.post("/api/ui-chat", uiChat);
  app.post("/api/webhook", webhook);
  // MCP guards each tools/call, not each request: its route applies them.
  app.post("/mcp", apiKey(keys), mcp([limits(limitsOf), turnstile(turnstileOf)]));
  for (const [path, allow] of Object.entries(ROUTES)) {
    app.all(path, () => {
      throw new HttpError(405, `Method not allowed; use ${allow}`, {
        type: "invalid_request_error",
        code: "method_not_allowed",
        headers: { allow },
      });
    });
  }
  app.notFound((c) => {
    const message = `No route ${c.req.method} ${c.req.path.slice(0, 200)}`;
    return renderError(
      new HttpError(404, message, { type: "invalid_request_error", code: "not_found" }),
      c,
    );
  });
  app.onError(renderError);
  return app;
}

/** The routes that ask the site for an answer: the ones the limits count. */
const ANSWER_ROUTES = [
  "/v1/chat/completions",
  "/v1/chat/completions/",
  "/v1/responses",
  "/v1/responses/",
  "/api/chat",
  "/api/ui-chat",
  "/api/webhook",
];

const ROUTES: Record<string, string> = {
  "/": "GET",
  "/embed.js": "GET",
  "/healthz": "GET",
  "/v1/models": "GET",
  "/v1/models/:id": "GET",
  "/v1/chat/completions": "POST",
  "/v1/chat/completions/": "POST",
  "/v1/responses": "POST",
  "/v1/responses/": "POST",
  "/api/chat": "POST",
  "/api/ui-chat": "POST",
  "/api/webhook": "POST",
  "/mcp": "POST",
};
