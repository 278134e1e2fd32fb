import { HttpError } from "../http_error.ts";
import type { ClientIdentity } from "./client_identity.ts";
import type { ClientLimits } from "./limits_config.ts";
import type { LimitSlot, LimitStore } from "./limit_store.ts";
import { rateLimitHeaders, type RateLimitItem } from "./rate_limit_headers.ts";

const MINUTE_MS = 60_000;
const DAY_MS = 86_400_000;

/**
 * Takes a request's units from the store, limit by limit (requests a minute, the day's
 * budget, a slot among the concurrent answers), or throws the 429 of the first limit it
 * is over; the items say every limit checked, for `RateLimit` headers.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { checkLimits } from "./limit_check.ts";
 * import { MemoryLimitStore } from "./memory_limit_store.ts";
 * import { parseLimitsConfig } from "./limits_config.ts";
 * const rules = parseLimitsConfig({ ANON_REQUESTS_PER_MINUTE: "1" }).anonymous;
 * const client = { keyed: false, id: "ip:203.0.113.7", address: "203.0.113.7" };
 * const store = new MemoryLimitStore();
 * const { items } = await checkLimits(store, client, rules, 60_000);
 * assert.equal(items[0]?.name, "minute");
 * await assert.rejects(checkLimits(store, client, rules, 60_000), /Gateway limit/);
 * ```
 */
export async function checkLimits(
  store: LimitStore,
  client: ClientIdentity,
  rules: ClientLimits,
  answerTimeoutMs: number,
): Promise<{ items: RateLimitItem[]; slot: LimitSlot | null }> {
  const items: RateLimitItem[] = [];
  const who = client.keyed ? "per key" : "per client address";
  if (rules.requestsPerMinute !== null) {
    const taken = await store.take(`minute:${client.id}`, rules.requestsPerMinute, MINUTE_MS);
    const item = { ...itemOf("minute", taken), windowSeconds: 60, unit: "requests" as const };
    items.push(item);
    if (!taken.allowed) {
      throw overLimit(`${rules.requestsPerMinute} requests a minute ${who}`, item, items, true);
    }
  }
  if (rules.answerBudgetPerDay !== null) {
    const { used, resetMs } = await store.spend(`day:${client.id}`, 0, DAY_MS);
    const remaining = Math.max(0, rules.answerBudgetPerDay - used);
    const item = {
      name: "day",
      quota: rules.answerBudgetPerDay,
      windowSeconds: 86_400,
      remaining,
      resetSeconds: Math.ceil(resetMs / 1000),
    };
    items.push(item);
    // Retrying within a client's backoff cannot help a budget spent for the day.
    if (remaining === 0) {
      throw overLimit(`an answer budget of ${item.quota} a day ${who}`, item, items, false);
    }
  }
  let slot: LimitSlot | null = null;
  if (rules.concurrentAnswers !== null) {
    // A lease past the longest answer: a slot its isolate never gave back lapses then.
    slot = await store.acquire(
      `slots:${client.id}`,
      rules.concurrentAnswers,
      answerTimeoutMs + MINUTE_MS,
    );
    const item = { ...itemOf("concurrent", slot), unit: "concurrent-requests" as const };
    items.push(item);
    if (!slot.allowed) {
      throw overLimit(`${rules.concurrentAnswers} answers at once ${who}`, item, items, true);
    }
  }
  return { items, slot };
}

function itemOf(name: string, decision: { limit: number; remaining: number; resetMs: number }) {
  return {
    name,
    quota: decision.limit,
    remaining: decision.remaining,
    resetSeconds: Math.max(1, Math.ceil(decision.resetMs / 1000)),
  };
}

/**
 * The gateway's own 429. It shares `rate_limit_exceeded` with the site's (clients handle
 * one code), and tells itself apart by its message ("Gateway limit: …") and its
 * `RateLimit-Policy` header, which the site's never has.
 */
function overLimit(
  what: string,
  over: RateLimitItem,
  items: RateLimitItem[],
  retry: boolean,
): HttpError {
  return new HttpError(429, `Gateway limit: ${what}; try again in ${over.resetSeconds} s`, {
    type: "rate_limit_error",
    code: "rate_limit_exceeded",
    retry,
    headers: { "retry-after": String(over.resetSeconds), ...rateLimitHeaders(items) },
  });
}
