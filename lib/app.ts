import { Hono } from "hono";
import type { Context, Next } from "hono";
import { AiEngineSession } from "./ai_engine/session.ts";
import { type Config, ConfigError, parseConfig, readVariables } from "./config.ts";
import { modelList } from "./faces/openai.ts";
import { requireKey } from "./guards/api_key.ts";
import { corsHeaders, preflightHeaders } from "./guards/cors.ts";
import { HttpError, toHttpError } from "./http_error.ts";
import { errorCode, RequestLog } from "./log.ts";
import { demoPage } from "./pages/demo_page.ts";
import { apiChat } from "./routes/api_chat.ts";
import { chatCompletions } from "./routes/chat_completions.ts";
import { embedJs } from "./routes/embed_js.ts";
import type { GatewayEnv } from "./routes/gateway_env.ts";
import { webhook } from "./routes/webhook.ts";
import { VERSION } from "./version.ts";

/** What a gateway is built from; every field has a production default. */
export interface AppOptions {
  /** The configuration; by default read once from the environment on the first request. */
  config?: Config;
  /** The fetch used for the upstream; the global one by default. */
  fetch?: typeof fetch;
  /** Where log lines go; `console.log` by default. */
  log?: (line: string) => void;
  /** A line shown on the demo page (the offline demo says its answers are emulated). */
  notice?: string;
}

/**
 * Builds the gateway: a Hono app whose `fetch` serves every route of the contract. One
 * app holds one AI Engine session, so one `start_session` serves the whole isolate.
 *
 * @example
 * ```ts
 * import { createApp } from "./app.ts";
 * import { parseConfig } from "./config.ts";
 * const app = createApp({ config: parseConfig({}) });
 * const response = await app.request("/healthz");
 * console.log(await response.json()); // { ok: true, version: "0.1.0" }
 * ```
 */
export function createApp(options: AppOptions = {}): Hono<GatewayEnv> {
  const write = options.log ?? ((line: string) => console.log(line));
  const upstreamFetch = options.fetch ?? ((input, init) => fetch(input, init));
  let state: { config: Config; session: AiEngineSession } | null = null;

  const setup = (bindings: unknown) => {
    if (state) return state;
    const config = options.config ?? parseConfig(readVariables(bindings));
    if (config.apiKeys.length === 0) {
      write(
        JSON.stringify({ level: "warn", message: "API_KEYS is unset: the API is open to anyone" }),
      );
    }
    const session = new AiEngineSession({
      restUrl: config.restUrl,
      nonce: config.nonce,
      fetch: upstreamFetch,
      timeoutMs: config.upstreamTimeoutMs,
    });
    return state = { config, session };
  };
  // On Deno the environment is there at start-up: read it now, so a bad value or an open
  // API is said at once (a bad value again on each request). Workers only hand their
  // bindings to a request.
  if (!options.config && "Deno" in globalThis) {
    try {
      setup(undefined);
    } catch (error) {
      if (!(error instanceof ConfigError)) throw error;
      write(JSON.stringify({ level: "error", message: error.message }));
    }
  }

  const app = new Hono<GatewayEnv>();
  app.use("*", async (c: Context<GatewayEnv>, next: Next) => {
    const log = new RequestLog(c.req.method, c.req.path.slice(0, 200), write);
    c.set("log", log);
    let cors: Record<string, string> | null = null;
    try {
      const { config, session } = setup(c.env);
      c.set("config", config);
      c.set("session", session);
      c.set("upstreamFetch", upstreamFetch);
      const origin = c.req.header("origin") ?? null;
      cors = corsHeaders(origin, new URL(c.req.url).origin, config.allowedOrigins);
      if (c.req.method === "OPTIONS") {
        const asked = c.req.header("access-control-request-headers") ?? null;
        c.res = new Response(null, {
          status: 204,
          headers: { ...cors, ...preflightHeaders(asked) },
        });
      } else {
        await next();
      }
    } catch (error) {
      c.res = failure(error, log);
    }
    for (const [name, value] of Object.entries(cors ?? {})) c.res.headers.set(name, value);
    // Hono answers HEAD with the GET response's headers and no body: log it now.
    c.res = log.track(c.res, c.req.method !== "HEAD");
  });

  app.get("/healthz", (c) => c.json({ ok: true, version: VERSION }));
  app.get("/", (c) => c.html(demoPage(options.notice)));
  app.get("/embed.js", embedJs);
  app.use("/v1/*", keyGuard);
  app.use("/api/chat", keyGuard);
  app.get("/v1/models", (c) => c.json(modelList(c.var.config.bots)));
  app.post("/v1/chat/completions", chatCompletions);
  app.post("/api/chat", apiChat);
  app.post("/api/webhook", webhook);
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
    throw new HttpError(404, `No route ${c.req.method} ${c.req.path.slice(0, 200)}`, {
      type: "invalid_request_error",
      code: "not_found",
    });
  });
  app.onError((error) => {
    throw error;
  });
  return app;
}

const ROUTES: Record<string, string> = {
  "/": "GET",
  "/embed.js": "GET",
  "/healthz": "GET",
  "/v1/models": "GET",
  "/v1/chat/completions": "POST",
  "/api/chat": "POST",
  "/api/webhook": "POST",
};

async function keyGuard(c: Context<GatewayEnv>, next: Next): Promise<void> {
  await requireKey(c.req.header("authorization") ?? null, c.var.config.apiKeys);
  await next();
}

function failure(error: unknown, log: RequestLog): Response {
  if (error instanceof ConfigError) {
    log.error = "config_error";
    return new HttpError(500, error.message, { type: "server_error", code: "config_error" })
      .toResponse();
  }
  const httpError = toHttpError(error);
  log.error = errorCode(httpError);
  if (httpError.status === 500 && error instanceof Error) {
    log.detail = `${error.name}: ${error.message}`.slice(0, 300);
  }
  return httpError.toResponse();
}
