import type { MiddlewareHandler } from "hono";
import type { GatewayEnv } from "../gateway_env.ts";
import { HttpError } from "../http_error.ts";
import {
  checkPass,
  issuePass,
  type TurnstileOutcome,
  verifyTurnstile,
} from "../limits/turnstile_pass.ts";
import type { LimitsConfig } from "../limits/limits_config.ts";
import { optionsFor, type PerRequest } from "./per_request.ts";

/** Turnstile's keys and endpoint (see {@linkcode turnstile}). */
export interface TurnstileOptions {
  /** `TURNSTILE_SECRET_KEY` and siteverify's URL, or null for no check. */
  settings: LimitsConfig["turnstile"];
}

/**
 * Turnstile for anonymous clients, when `TURNSTILE_SECRET_KEY` is set: an answer route
 * asks for the widget's token in `X-Turnstile-Token` and checks it with Cloudflare's
 * siteverify, once; the answer then carries `X-Gateway-Pass`, the gateway's own signed pass
 * for that client, which stands in for the check for an hour. Keyed clients pass. It goes
 * after `limits`, which names the client (`c.var.client`; without one, no check): so a
 * flood of bad tokens spends the sender's units, not siteverify.
 */
export function turnstile(options: PerRequest<TurnstileOptions>): MiddlewareHandler<GatewayEnv> {
  return async (c, next) => {
    const { settings } = optionsFor(options, c);
    const client = c.get("client");
    if (!settings || !client || client.keyed) return await next();
    const now = Math.floor(Date.now() / 1000);
    const pass = c.req.header("x-gateway-pass");
    if (pass && await checkPass(pass, settings.secretKey, client.id, now)) return await next();
    const token = c.req.header("x-turnstile-token")?.trim();
    const outcome: TurnstileOutcome = token && token.length <= 2048
      ? await verifyTurnstile({
        token,
        secret: settings.secretKey,
        remoteIp: client.address,
        verifyUrl: settings.verifyUrl,
      })
      : { ok: false, reason: "missing" };
    if (!outcome.ok) throw refusal(outcome.reason);
    const issued = await issuePass(settings.secretKey, client.id, now);
    await next();
    c.res.headers.set("x-gateway-pass", issued);
  };
}

const REFUSALS = {
  missing: [
    403,
    "turnstile_required",
    "A Turnstile check is needed: send its token in X-Turnstile-Token",
  ],
  invalid: [403, "turnstile_invalid", "The Turnstile token is not valid"],
  expired: [403, "turnstile_expired", "The Turnstile token was used or is too old: get a new one"],
  unavailable: [503, "turnstile_unavailable", "Turnstile cannot be asked now; try again shortly"],
} as const;

function refusal(reason: keyof typeof REFUSALS): HttpError {
  const [status, code, message] = REFUSALS[reason];
  return new HttpError(status, message, {
    type: status === 503 ? "server_error" : "permission_error",
    code,
    retry: status === 503,
  });
}
