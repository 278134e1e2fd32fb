import type { MiddlewareHandler } from "hono";
import type { GatewayEnv } from "../gateway_env.ts";
import type { GatewayState } from "../state.ts";

/**
 * Puts the isolate's state in every request's context: the configuration, the AI Engine
 * session (and with it the way to the site), the webhook signatures taken, and the clients'
 * session ids. A bad configuration fails every request with a 500 that names the
 * variable, until it is fixed.
 */
export function isolateState(
  state: (bindings: unknown) => GatewayState,
): MiddlewareHandler<GatewayEnv> {
  return async (c, next) => {
    const { config, session, signatures, siteSessions } = state(c.env);
    c.set("config", config);
    c.set("session", session);
    c.set("signatures", signatures);
    c.set("siteSessions", siteSessions);
    await next();
  };
}
