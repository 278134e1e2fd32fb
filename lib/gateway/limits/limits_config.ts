import { ConfigError, type Variables } from "../../variables.ts";
import { TURNSTILE_VERIFY_URL } from "./turnstile_pass.ts";

/** The limits of one kind of client; `null` is no limit. */
export interface ClientLimits {
  /** Requests per minute (`*_REQUESTS_PER_MINUTE`). */
  requestsPerMinute: number | null;
  /** Answers streaming at once (`*_CONCURRENT_ANSWERS`). */
  concurrentAnswers: number | null;
  /** Answer budget per UTC day, in `budgetUnit`s (`*_ANSWER_BUDGET_PER_DAY`). */
  answerBudgetPerDay: number | null;
  /** Whether a request passes when the store cannot answer (`*_LIMITS_FAIL=open`). */
  failOpen: boolean;
}

/** Per-client limits and where their state lives (docs/public-sites.md). */
export interface LimitsConfig {
  /** Clients without a valid key, counted by IP. */
  anonymous: ClientLimits;
  /** Clients with a valid key of `API_KEYS` (or a signed webhook call), counted by key. */
  keyed: ClientLimits;
  /** What the daily budget counts (`ANSWER_BUDGET_UNIT`). */
  budgetUnit: "characters" | "tokens";
  /** The store (`LIMITS_STORE`): per isolate in memory, Deno KV, or Durable Objects. */
  store: "memory" | "deno-kv" | "durable-object";
  /** The Deno KV database (`DENO_KV_PATH`), or null for the runtime's default. */
  denoKvPath: string | null;
  /**
   * How many proxies in front of the gateway append to `X-Forwarded-For`
   * (`TRUST_X_FORWARDED_FOR`: `true` is one); 0 when the header is not trusted.
   */
  forwardedHops: number;
  /** Whether, with `API_KEYS` set, the chat faces also serve anonymous clients (`PUBLIC_CHAT`). */
  publicChat: boolean;
  /** Turnstile for anonymous clients (`TURNSTILE_SITE_KEY` and `TURNSTILE_SECRET_KEY`), or null. */
  turnstile: { siteKey: string; secretKey: string; verifyUrl: string } | null;
}

/** The variables of the limits, as `config.ts` lists them. */
export const LIMIT_VARIABLES = [
  "ANON_REQUESTS_PER_MINUTE",
  "ANON_CONCURRENT_ANSWERS",
  "ANON_ANSWER_BUDGET_PER_DAY",
  "ANON_LIMITS_FAIL",
  "KEY_REQUESTS_PER_MINUTE",
  "KEY_CONCURRENT_ANSWERS",
  "KEY_ANSWER_BUDGET_PER_DAY",
  "KEY_LIMITS_FAIL",
  "ANSWER_BUDGET_UNIT",
  "LIMITS_STORE",
  "DENO_KV_PATH",
  "TRUST_X_FORWARDED_FOR",
  "PUBLIC_CHAT",
  "TURNSTILE_SITE_KEY",
  "TURNSTILE_SECRET_KEY",
  "TURNSTILE_VERIFY_URL",
] as const;

/** Anonymous clients are limited out of the box: a few dozen requests a minute, a handful at once. */
export const ANONYMOUS_DEFAULTS = { requestsPerMinute: 30, concurrentAnswers: 4 } as const;

/**
 * Parses the limits' variables; a bad value throws a {@linkcode ConfigError} naming it.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { parseLimitsConfig } from "./limits_config.ts";
 * const limits = parseLimitsConfig({ KEY_REQUESTS_PER_MINUTE: "600", ANON_CONCURRENT_ANSWERS: "off" });
 * assert.equal(limits.anonymous.requestsPerMinute, 30);
 * assert.equal(limits.anonymous.concurrentAnswers, null);
 * assert.equal(limits.keyed.requestsPerMinute, 600);
 * ```
 */
export function parseLimitsConfig(vars: Variables): LimitsConfig {
  const store = oneOf(
    vars,
    "LIMITS_STORE",
    ["memory", "deno-kv", "durable-object"],
    "memory",
  );
  return {
    anonymous: {
      requestsPerMinute: limit(
        vars,
        "ANON_REQUESTS_PER_MINUTE",
        ANONYMOUS_DEFAULTS.requestsPerMinute,
      ),
      concurrentAnswers: limit(
        vars,
        "ANON_CONCURRENT_ANSWERS",
        ANONYMOUS_DEFAULTS.concurrentAnswers,
      ),
      answerBudgetPerDay: limit(vars, "ANON_ANSWER_BUDGET_PER_DAY", null),
      failOpen: oneOf(vars, "ANON_LIMITS_FAIL", ["closed", "open"], "closed") === "open",
    },
    keyed: {
      requestsPerMinute: limit(vars, "KEY_REQUESTS_PER_MINUTE", null),
      concurrentAnswers: limit(vars, "KEY_CONCURRENT_ANSWERS", null),
      answerBudgetPerDay: limit(vars, "KEY_ANSWER_BUDGET_PER_DAY", null),
      failOpen: oneOf(vars, "KEY_LIMITS_FAIL", ["open", "closed"], "open") === "open",
    },
    budgetUnit: oneOf(vars, "ANSWER_BUDGET_UNIT", ["characters", "tokens"], "characters"),
    store,
    denoKvPath: vars.DENO_KV_PATH?.trim() || null,
    forwardedHops: forwardedHops(vars),
    publicChat: flag(vars, "PUBLIC_CHAT"),
    turnstile: turnstile(vars),
  };
}

/** Cloudflare's site keys (`0x4AAAAAAA…`) and its test keys (`1x00000000000000000000AA`). */
const SITE_KEY = /^[0-9]x[A-Za-z0-9_-]{8,64}$/;

function turnstile(vars: Variables): LimitsConfig["turnstile"] {
  const siteKey = vars.TURNSTILE_SITE_KEY?.trim() || null;
  const secretKey = vars.TURNSTILE_SECRET_KEY?.trim() || null;
  if (siteKey === null && secretKey === null) return null;
  if (siteKey === null) {
    throw new ConfigError("TURNSTILE_SITE_KEY", "is needed with TURNSTILE_SECRET_KEY");
  }
  if (secretKey === null) {
    throw new ConfigError("TURNSTILE_SECRET_KEY", "is needed with TURNSTILE_SITE_KEY");
  }
  // The page and /embed.js carry the site key into their scripts: only a key's shape passes.
  if (!SITE_KEY.test(siteKey)) {
    throw new ConfigError(
      "TURNSTILE_SITE_KEY",
      "is not a Turnstile site key (0x4AAAAAAA…, or a test key such as 1x00000000000000000000AA)",
    );
  }
  const verifyUrl = vars.TURNSTILE_VERIFY_URL?.trim() || TURNSTILE_VERIFY_URL;
  if (!URL.canParse(verifyUrl) || !/^https?:$/.test(new URL(verifyUrl).protocol)) {
    throw new ConfigError("TURNSTILE_VERIFY_URL", "is not an http(s) URL");
  }
  return { siteKey, secretKey, verifyUrl };
}

/** A positive whole number, or `off` for no limit; unset is `fallback`. */
function limit(vars: Variables, name: string, fallback: number | null): number | null {
  const value = vars[name]?.trim().toLowerCase();
  if (!value) return fallback;
  if (value === "off") return null;
  if (!/^[1-9][0-9]*$/.test(value) || !Number.isSafeInteger(Number(value))) {
    throw new ConfigError(name, `"${value}" is not a positive whole number or "off"`);
  }
  return Number(value);
}

function oneOf<T extends string>(vars: Variables, name: string, values: T[], fallback: T): T {
  const value = vars[name]?.trim().toLowerCase();
  if (!value) return fallback;
  if (!values.includes(value as T)) {
    throw new ConfigError(name, `"${value}" is not one of ${values.join(", ")}`);
  }
  return value as T;
}

/** `TRUST_X_FORWARDED_FOR`: `false` (0), `true` (one proxy), or a count of proxies, 1 to 10. */
function forwardedHops(vars: Variables): number {
  const value = vars.TRUST_X_FORWARDED_FOR?.trim().toLowerCase();
  if (!value || value === "false") return 0;
  if (value === "true") return 1;
  if (!/^([1-9]|10)$/.test(value)) {
    throw new ConfigError(
      "TRUST_X_FORWARDED_FOR",
      `"${value.slice(0, 20)}" is not true, false or a count of proxies from 1 to 10`,
    );
  }
  return Number(value);
}

function flag(vars: Variables, name: string): boolean {
  return oneOf(vars, name, ["true", "false"], "false") === "true";
}
