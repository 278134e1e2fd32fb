import type { Context, MiddlewareHandler, Next } from "hono";
import { ConfigError } from "../config.ts";
import type { GatewayState } from "../state.ts";
import { corsHeaders, preflightHeaders } from "./cors.ts";
import { HttpError, toHttpError } from "../http_error.ts";
import { errorCode, RequestLog } from "../request_log.ts";
import type { GatewayEnv } from "../gateway_env.ts";

/**
 * The edge every request passes: its log line, the isolate's state, CORS (preflights
 * answered here), and every failure rendered as OpenAI's error JSON, with the CORS
 * headers an allowed origin needs to read it.
 */
export function edge(
  state: (bindings: unknown) => GatewayState,
  upstreamFetch: typeof fetch,
  write: (line: string) => void,
): MiddlewareHandler<GatewayEnv> {
  return async (c: Context<GatewayEnv>, next: Next) => {
    const log = new RequestLog(c.req.method, c.req.path.slice(0, 200), write);
    c.set("log", log);
    let cors: Record<string, string> | null = null;
    try {
      const { config, session } = state(c.env);
      c.set("config", config);
      c.set("session", session);
      c.set("upstreamFetch", upstreamFetch);
      const origin = c.req.header("origin") ?? null;
      cors = corsHeaders(origin, new URL(c.req.url).origin, config.allowedOrigins);
      if (c.req.method === "OPTIONS") {
        const asked = c.req.header("access-control-request-headers") ?? null;
        const headers = { ...cors, ...preflightHeaders(asked) };
        c.res = new Response(null, { status: 204, headers });
      } else {
        await next();
      }
    } catch (error) {
      c.res = failure(error, log);
    }
    for (const [name, value] of Object.entries(cors ?? {})) c.res.headers.set(name, value);
    // Hono answers HEAD with the GET response's headers and no body: log it now.
    c.res = log.track(c.res, c.req.method !== "HEAD");
  };
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
