import {
  DEFAULT_ANSWER_TIMEOUT_MS,
  DEFAULT_CONNECT_TIMEOUT_MS,
  DEFAULT_FIRST_TEXT_TIMEOUT_MS,
  DEFAULT_SITE_URL,
  DEFAULT_TIMEOUT_MS,
  restUrlOf,
  withoutTrailingSlash,
} from "../ai_engine/site/site_defaults.ts";
import { isNonce } from "../ai_engine/session/nonce.ts";
import { type SiteCredentials, splitCredentials } from "../ai_engine/site/site_credentials.ts";
import {
  ConfigError,
  readVariables,
  type RoutingPlatform,
  routingPlatform,
  type Variables,
} from "../variables.ts";
import { type BotEntry, parseBotEntries } from "./bot_entry.ts";
import { parseBotDescriptions } from "./bot_descriptions.ts";
import { parseServedNames, type ServedNames } from "./served_names.ts";
import { LIMIT_VARIABLES, type LimitsConfig, parseLimitsConfig } from "./limits/limits_config.ts";

export { ConfigError, type Variables };
/** The gateway's configuration, read once from the environment (see README). */
export interface Config {
  /** The WordPress site's base URL (`AI_ENGINE_URL`), without its credentials: safe to print. */
  siteUrl: string;
  /**
   * Basic auth for a site behind it, from `AI_ENGINE_URL`'s userinfo
   * (`https://user:pass@staging.example`): sent to the site's origin only, never printed.
   */
  credentials: SiteCredentials | null;
  /** The REST root (`AI_ENGINE_REST_URL`, default `{siteUrl}/wp-json`). */
  restUrl: string;
  /** The names of the bots served as models; the first is the default (`AI_ENGINE_BOTS`). */
  bots: string[];
  /** What each name reaches: a bot id, or a shortcode bot's `customId` (see `parseBotEntries`). */
  botEntries: BotEntry[];
  /** What each bot answers, by name, for agents (`AI_ENGINE_BOT_DESCRIPTIONS`); may be empty. */
  botDescriptions: Record<string, string>;
  /**
   * A page that shows the chatbot, read for the nonce on AI Engine 2.0.1–2.4.3
   * (`AI_ENGINE_NONCE_PAGE`, default the site's home page, `{siteUrl}/`).
   */
  noncePage: string;
  /** A fixed REST nonce (`AI_ENGINE_NONCE`). */
  nonce: string | null;
  /** Accepted bearer keys (`API_KEYS`); empty means open. */
  apiKeys: string[];
  /** Browser origins allowed by CORS (`ALLOWED_ORIGINS`); `"*"` for any, empty for none. */
  allowedOrigins: string[] | "*";
  /** HMAC-SHA256 secret for signed webhook calls (`WEBHOOK_SECRET`). */
  webhookSecret: string | null;
  /**
   * The key of the `mwai_session_id` sent for each client (`SESSION_SECRET`), or null
   * for a random key per isolate (see `SiteSessions`).
   */
  sessionSecret: string | null;
  /**
   * Limit on silence once the site has begun to answer (its headers came), and on
   * start_session, the nonce page and uploads (`UPSTREAM_TIMEOUT_MS`).
   */
  upstreamTimeoutMs: number;
  /** Limit on connecting to the site, TCP and TLS (`UPSTREAM_CONNECT_TIMEOUT_MS`). */
  connectTimeoutMs: number;
  /** Largest request body accepted (`MAX_BODY_BYTES`). */
  maxBodyBytes: number;
  /** Limit from the request to the answer's first text, headers included (`FIRST_TEXT_TIMEOUT_MS`). */
  firstTextTimeoutMs: number;
  /** Limit from the request to the answer's end (`ANSWER_TIMEOUT_MS`). */
  answerTimeoutMs: number;
  /** Silence after which an SSE answer gets a `: keep-alive` comment (`SSE_KEEPALIVE_MS`). */
  keepAliveMs: number;
  /**
   * The origin of the gateway's public URL (`PUBLIC_URL`, e.g. behind a proxy that ends
   * TLS), or null to take the request's own: the page CORS lets in without the allow-list.
   */
  publicOrigin: string | null;
  /** The names a request's `Host` may say (`ALLOWED_HOSTS`, `PUBLIC_URL`; see `ServedNames`). */
  servedNames: ServedNames;
  /** Per-client limits and their store (`ANON_*`, `KEY_*`, `LIMITS_STORE`, ...). */
  limits: LimitsConfig;
}

/**
 * Parses and checks the configuration variables; a bad value throws a
 * {@linkcode ConfigError} that names its variable. `platform` is where the gateway runs
 * when a platform routes its requests by name (see `routingPlatform`).
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { parseConfig } from "./config.ts";
 * const config = parseConfig({ AI_ENGINE_URL: "https://example.com", AI_ENGINE_BOTS: "default,support" });
 * assert.equal(config.restUrl, "https://example.com/wp-json");
 * assert.deepEqual(config.bots, ["default", "support"]);
 * ```
 */
export function parseConfig(
  vars: Variables,
  platform: RoutingPlatform | null = routingPlatform(),
): Config {
  // The site's credentials are taken out first: nothing else ever holds or quotes them.
  const site = splitCredentials(vars.AI_ENGINE_URL?.trim() || DEFAULT_SITE_URL);
  const siteUrl = withoutTrailingSlash(url({ AI_ENGINE_URL: site.url }, "AI_ENGINE_URL", ""));
  const restUrl = vars.AI_ENGINE_REST_URL?.trim()
    ? url(vars, "AI_ENGINE_REST_URL", "")
    : restUrlOf(siteUrl);
  const botEntries = parseBotEntries(vars.AI_ENGINE_BOTS ?? "default");
  const origins = list(vars.ALLOWED_ORIGINS ?? "");
  for (const origin of origins) {
    if (origin !== "*" && !isOrigin(origin)) {
      throw new ConfigError(
        "ALLOWED_ORIGINS",
        `"${origin}" is not an origin like https://example.com`,
      );
    }
  }
  const nonce = vars.AI_ENGINE_NONCE?.trim() || null;
  if (nonce !== null && !isNonce(nonce)) {
    // Not quoted: it is a credential, and this message may reach a log or a client.
    throw new ConfigError("AI_ENGINE_NONCE", "is not a nonce: use 1 to 64 letters, digits, _ or -");
  }
  const publicUrl = vars.PUBLIC_URL?.trim() ? url(vars, "PUBLIC_URL", "") : null;
  return {
    siteUrl,
    credentials: site.credentials,
    restUrl,
    bots: botEntries.map((entry) => entry.name),
    botEntries,
    botDescriptions: parseBotDescriptions(
      vars.AI_ENGINE_BOT_DESCRIPTIONS,
      botEntries.map((entry) => entry.name),
    ),
    noncePage: vars.AI_ENGINE_NONCE_PAGE?.trim()
      ? url(vars, "AI_ENGINE_NONCE_PAGE", "")
      : `${siteUrl}/`,
    nonce,
    apiKeys: list(vars.API_KEYS ?? ""),
    allowedOrigins: origins.includes("*") ? "*" : origins,
    webhookSecret: vars.WEBHOOK_SECRET || null,
    sessionSecret: secret(vars, "SESSION_SECRET"),
    upstreamTimeoutMs: integer(vars, "UPSTREAM_TIMEOUT_MS", DEFAULT_TIMEOUT_MS, MAX_TIMER_MS),
    connectTimeoutMs: integer(
      vars,
      "UPSTREAM_CONNECT_TIMEOUT_MS",
      DEFAULT_CONNECT_TIMEOUT_MS,
      MAX_TIMER_MS,
    ),
    maxBodyBytes: integer(vars, "MAX_BODY_BYTES", 1_048_576),
    firstTextTimeoutMs: integer(
      vars,
      "FIRST_TEXT_TIMEOUT_MS",
      DEFAULT_FIRST_TEXT_TIMEOUT_MS,
      MAX_TIMER_MS,
    ),
    answerTimeoutMs: integer(vars, "ANSWER_TIMEOUT_MS", DEFAULT_ANSWER_TIMEOUT_MS, MAX_TIMER_MS),
    keepAliveMs: integer(vars, "SSE_KEEPALIVE_MS", 5_000, MAX_TIMER_MS),
    publicOrigin: publicUrl === null ? null : new URL(publicUrl).origin,
    servedNames: parseServedNames(vars.ALLOWED_HOSTS, publicUrl, platform),
    limits: parseLimitsConfig(vars),
  };
}

/** The variables the gateway reads (README, "Configuration"); nothing else is read. */
export const VARIABLES = [
  "AI_ENGINE_URL",
  "AI_ENGINE_REST_URL",
  "AI_ENGINE_BOTS",
  "AI_ENGINE_BOT_DESCRIPTIONS",
  "AI_ENGINE_NONCE",
  "AI_ENGINE_NONCE_PAGE",
  "API_KEYS",
  "ALLOWED_ORIGINS",
  "WEBHOOK_SECRET",
  "SESSION_SECRET",
  "UPSTREAM_TIMEOUT_MS",
  "UPSTREAM_CONNECT_TIMEOUT_MS",
  "MAX_BODY_BYTES",
  "FIRST_TEXT_TIMEOUT_MS",
  "ANSWER_TIMEOUT_MS",
  "SSE_KEEPALIVE_MS",
  "PUBLIC_URL",
  "ALLOWED_HOSTS",
  ...LIMIT_VARIABLES,
] as const;

/**
 * The gateway's variables, from the Workers bindings when given, else from the
 * environment (see {@linkcode readVariables}).
 */
export function readConfigVariables(bindings?: unknown): Variables {
  return readVariables(VARIABLES, bindings);
}

function list(value: string): string[] {
  return value.split(",").map((item) => item.trim()).filter((item) => item !== "");
}

function url(vars: Variables, name: string, fallback: string): string {
  const value = vars[name]?.trim() || fallback;
  let parsed: URL;
  try {
    parsed = new URL(value);
  } catch {
    throw new ConfigError(name, `"${withoutUserinfo(value)}" is not a URL`);
  }
  if (parsed.username || parsed.password) {
    // Said without the URL: its userinfo is a credential.
    throw new ConfigError(
      name,
      "holds a user name or password: give a site's credentials in AI_ENGINE_URL only",
    );
  }
  if (parsed.protocol !== "https:" && parsed.protocol !== "http:") {
    throw new ConfigError(name, `"${value}" is not an http(s) URL`);
  }
  return value;
}

/** A URL-like text with anything before an `@` in its authority hidden, to quote it safely. */
function withoutUserinfo(value: string): string {
  return value.replace(/^([^:/?#]*:\/\/)[^/?#]*@/, "$1…@");
}

/** The longest delay timers keep: a longer one fires at once. */
const MAX_TIMER_MS = 2 ** 31 - 1;

function integer(
  vars: Variables,
  name: string,
  fallback: number,
  max = Number.MAX_SAFE_INTEGER,
): number {
  const value = vars[name]?.trim();
  if (!value) return fallback;
  if (!/^[1-9][0-9]*$/.test(value) || !Number.isSafeInteger(Number(value))) {
    throw new ConfigError(name, `"${value}" is not a positive whole number`);
  }
  if (Number(value) > max) throw new ConfigError(name, `"${value}" is more than ${max}`);
  return Number(value);
}

function isOrigin(value: string): boolean {
  try {
    return new URL(value).origin === value;
  } catch {
    return false;
  }
}

/** A secret of at least 16 characters, or null when unset; its value is never quoted. */
function secret(vars: Variables, name: string): string | null {
  const value = vars[name];
  if (!value) return null;
  if (value.length < 16) throw new ConfigError(name, "is too short: use 16 characters or more");
  return value;
}
