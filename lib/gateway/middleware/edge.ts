import type { Context, MiddlewareHandler, Next } from "hono";
import type { GatewayEnv } from "../gateway_env.ts";
import { toHttpError } from "../http_error.ts";
import { RequestLog } from "../request_log.ts";

/**
 * The edge every request passes first: it opens the request's log line and writes it
 * when the response body has been sent (or abandoned). Failures below it reach it as
 * responses, rendered by {@linkcode renderError}, and are logged like any other answer.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { Hono } from "hono";
 * import { edge, renderError } from "./edge.ts";
 * import type { GatewayEnv } from "../gateway_env.ts";
 * const lines: string[] = [];
 * const app = new Hono<GatewayEnv>().use(edge((line) => lines.push(line)));
 * app.get("/", (c) => c.text("hi")).onError(renderError);
 * await (await app.request("/")).text();
 * assert.equal(JSON.parse(lines[0]!).status, 200);
 * ```
 */
export function edge(write: (line: string) => void): MiddlewareHandler<GatewayEnv> {
  return async (c: Context<GatewayEnv>, next: Next) => {
    const start = performance.now();
    const requestId = requestIdOf(c.req.header("x-request-id"));
    const log = new RequestLog(c.req.method, c.req.path.slice(0, 200), write, requestId);
    c.set("log", log);
    await next();
    // The head is ready now: OpenAI's name for the time it took (a stream goes on after).
    c.header("x-request-id", requestId);
    c.header("openai-processing-ms", String(Math.round(performance.now() - start)));
    // A streamed answer's head goes out with its first text: both times are known by now.
    const timing = log.serverTiming();
    if (timing !== null) c.header("server-timing", timing);
    // Hono answers HEAD with the GET response's headers and no body: log it now.
    c.res = log.track(c.res, c.req.method !== "HEAD");
  };
}

/** A client's own request id, kept when it is a short token of safe characters. */
const REQUEST_ID = /^[A-Za-z0-9._:-]{1,128}$/;

/**
 * The request's id: the client's `x-request-id` when well-formed (so its logs and
 * ours meet), else a new `req_…` (OpenAI's form).
 */
export function requestIdOf(header: string | undefined): string {
  if (header !== undefined && REQUEST_ID.test(header)) return header;
  return `req_${crypto.randomUUID().replaceAll("-", "")}`;
}

/**
 * The app's `onError`: any failure as OpenAI's error JSON with its status, its code noted
 * in the request's log line.
 */
export function renderError(error: Error, c: Context<GatewayEnv>): Response {
  const httpError = toHttpError(error);
  c.get("log")?.failed(httpError);
  return httpError.getResponse();
}
