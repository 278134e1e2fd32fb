import type { Context, MiddlewareHandler } from "hono";
import type { GatewayEnv } from "../gateway_env.ts";
import type { IsolateState } from "../state.ts";

/**
 * Puts the isolate's state in every request's context: the configuration, the AI Engine
 * session (and with it the way to the site), the webhook signatures taken, and the clients'
 * session ids. A bad configuration fails every request with a 500 that names the
 * variable, until it is fixed. On Workers, work the state begins for the isolate (the
 * start-up nonce) is given to the request's `waitUntil`.
 */
export function isolateState(state: IsolateState): MiddlewareHandler<GatewayEnv> {
  return async (c, next) => {
    const { config, session, signatures, siteSessions } = state(c.env, waitUntilOf(c));
    c.set("config", config);
    c.set("session", session);
    c.set("signatures", signatures);
    c.set("siteSessions", siteSessions);
    await next();
  };
}

/** The request's `waitUntil` where the runtime has one (Workers); Hono throws elsewhere. */
function waitUntilOf(c: Context<GatewayEnv>): ((work: Promise<unknown>) => void) | undefined {
  try {
    const context = c.executionCtx;
    return (work) => context.waitUntil(work);
  } catch {
    return undefined;
  }
}
