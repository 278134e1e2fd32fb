import type { MiddlewareHandler } from "hono";
import type { GatewayEnv } from "../gateway_env.ts";
import { HttpError } from "../http_error.ts";
import { type ServedNames, servesHost } from "../served_names.ts";
import { optionsFor, type PerRequest } from "./per_request.ts";

/**
 * Refuses a request whose `Host` is not a name the gateway serves, with `421 Misdirected
 * Request` naming the variable that lets the name in, before anything else is decided:
 * under DNS rebinding, a page on an attacker's name that now points at the gateway would
 * otherwise be its own origin, and read its answers.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { Hono } from "hono";
 * import { allowedHosts } from "./allowed_hosts.ts";
 * import { renderError } from "./edge.ts";
 * import { parseServedNames } from "../served_names.ts";
 * import type { GatewayEnv } from "../gateway_env.ts";
 * const app = new Hono<GatewayEnv>();
 * app.use(allowedHosts(parseServedNames("chat.example.com", null, null)));
 * app.get("/", (c) => c.text("hi"));
 * app.onError(renderError);
 * assert.equal((await app.request("http://chat.example.com/")).status, 200);
 * assert.equal((await app.request("http://evil.example/")).status, 421);
 * ```
 */
export function allowedHosts(served: PerRequest<ServedNames>): MiddlewareHandler<GatewayEnv> {
  return async (c, next) => {
    const url = new URL(c.req.url);
    if (!servesHost(optionsFor(served, c), url)) throw misdirected(url.host);
    await next();
  };
}

function misdirected(host: string): HttpError {
  const name = host.slice(0, 200);
  return new HttpError(
    421,
    `This gateway does not serve the name ${name}: add it to ALLOWED_HOSTS (or set PUBLIC_URL to the URL it serves)`,
    { type: "invalid_request_error", code: "misdirected_request", retry: false },
  );
}
