import type { Context, MiddlewareHandler } from "hono";
import type { GatewayEnv } from "../gateway_env.ts";
import { HttpError } from "../http_error.ts";
import { hasValidKey } from "../request/bearer_key.ts";
import { optionsFor, type PerRequest } from "./per_request.ts";
import {
  addressBucket,
  clientAddress,
  type ClientIdentity,
  keyedClientId,
} from "../limits/client_identity.ts";
import type { ClientLimits, LimitsConfig } from "../limits/limits_config.ts";
import type { LimitSlot, LimitStore } from "../limits/limit_store.ts";
import { checkLimits } from "../limits/limit_check.ts";
import { rateLimitHeaders, type RateLimitItem } from "../limits/rate_limit_headers.ts";
import { openLimitStore } from "../limits/open_limit_store.ts";

const DAY_MS = 86_400_000;

/** The store each configuration of the limits opened, once per isolate (as the session). */
const stores = new WeakMap<LimitsConfig, LimitStore>();

/** The limits and what tells clients apart (see {@linkcode limits}). */
export interface LimitsOptions {
  /** The rules, their store and the proxies trusted (`ANON_*`, `KEY_*`, `LIMITS_STORE`, ...). */
  limits: LimitsConfig;
  /** The keys that make a client keyed (`API_KEYS`). */
  apiKeys: readonly string[];
  /** With it, a signed webhook call is the site owner's, a keyed client (`WEBHOOK_SECRET`). */
  webhookSecret: string | null;
  /** The longest answer (`ANSWER_TIMEOUT_MS`): a slot's lease runs past it. */
  answerTimeoutMs: number;
  /** Where the limits count; by default the one `limits.store` names, opened once. */
  store?: LimitStore | undefined;
}

/**
 * Per-client limits on the answer routes: requests per minute, concurrent answers and an
 * answer budget per UTC day, separately for keyed and anonymous clients (see
 * docs/public-sites.md). A client over a limit gets `429 rate_limit_exceeded` before the
 * site is called; every answer says the limits in `RateLimit-Policy`/`RateLimit`. A store
 * that cannot answer lets the request through or refuses it (`*_LIMITS_FAIL`). It names
 * the client in `c.var.client`, and goes after `edge`, whose log line says when the answer
 * ends (a slot is given back) and how long it was (the budget is spent).
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { Hono } from "hono";
 * import { limits } from "./limits.ts";
 * import { edge, renderError } from "./edge.ts";
 * import { parseLimitsConfig } from "../limits/limits_config.ts";
 * import type { GatewayEnv } from "../gateway_env.ts";
 * const options = {
 *   limits: parseLimitsConfig({ ANON_REQUESTS_PER_MINUTE: "1" }),
 *   apiKeys: [],
 *   webhookSecret: null,
 *   answerTimeoutMs: 60_000,
 * };
 * const app = new Hono<GatewayEnv>().onError(renderError);
 * app.use(edge(() => {}), limits(options)).post("/", (c) => c.text("hi"));
 * assert.equal((await app.request("/", { method: "POST" })).status, 200);
 * assert.equal((await app.request("/", { method: "POST" })).status, 429);
 * ```
 */
export function limits(options: PerRequest<LimitsOptions>): MiddlewareHandler<GatewayEnv> {
  return async (c, next) => {
    const { log } = c.var;
    const config = optionsFor(options, c);
    const client = await identify(c, config);
    c.set("client", client);
    const rules = client.keyed ? config.limits.keyed : config.limits.anonymous;
    if (!hasAny(rules)) return await next();
    let store = config.store ?? stores.get(config.limits);
    if (!store) stores.set(config.limits, store = openLimitStore(config.limits, c.env));
    let checked: { items: RateLimitItem[]; slot: LimitSlot | null };
    try {
      checked = await checkLimits(store, client, rules, config.answerTimeoutMs);
    } catch (error) {
      if (error instanceof HttpError) throw error;
      if (!rules.failOpen) throw storeDown(error);
      log.limitsUnavailable = true;
      return await next();
    }
    const { items, slot } = checked;
    log.onEnd(() => {
      slot?.release().catch(() => {});
      const spent = rules.answerBudgetPerDay === null ? 0 : cost(log.answer, config.limits);
      if (spent > 0) store.spend(`day:${client.id}`, spent, DAY_MS).catch(() => {});
    });
    await next();
    for (const [name, value] of Object.entries(rateLimitHeaders(items))) {
      c.res.headers.set(name, value);
    }
  };
}

/** The client: its key's digest when it shows a valid one, else its address (see `addressBucket`). */
async function identify(
  c: Context<GatewayEnv>,
  { apiKeys, webhookSecret, limits }: LimitsOptions,
): Promise<ClientIdentity> {
  const authorization = c.req.header("authorization") ?? null;
  if (apiKeys.length > 0 && authorization && await hasValidKey(authorization, apiKeys)) {
    const id = await keyedClientId(authorization.trim().split(/\s+/)[1]!);
    return { keyed: true, id, address: clientAddress(c.req.raw.headers, c.env, limits) };
  }
  const address = clientAddress(c.req.raw.headers, c.env, limits);
  // A signed webhook call is the site owner's: keyed limits, counted per address, so a
  // forged signature (refused before the site is called) spends only its sender's units.
  if (webhookSecret && c.req.path === "/api/webhook" && c.req.header("x-signature-256")) {
    return { keyed: true, id: `signed:${addressBucket(address)}`, address };
  }
  return { keyed: false, id: `ip:${addressBucket(address)}`, address };
}

function hasAny(rules: ClientLimits): boolean {
  return rules.requestsPerMinute !== null || rules.concurrentAnswers !== null ||
    rules.answerBudgetPerDay !== null;
}

function storeDown(cause: unknown): HttpError {
  return new HttpError(503, "The gateway's limits cannot be checked now; try again shortly", {
    type: "server_error",
    code: "limits_unavailable",
    retry: true,
    headers: { "retry-after": "5" },
    cause,
  });
}

/** What an answer cost in the budget's unit: its characters, or the site's tokens. */
function cost(answer: { characters: number; tokens: number | null }, limits: LimitsConfig): number {
  if (limits.budgetUnit === "characters") return answer.characters;
  // A site that reports no tokens: about four characters a token, as OpenAI reckons.
  return answer.tokens ?? Math.ceil(answer.characters / 4);
}
