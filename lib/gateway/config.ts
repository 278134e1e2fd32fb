/** The gateway's configuration, read once from the environment (see README). */
export interface Config {
  /** The WordPress site's base URL (`AI_ENGINE_URL`). */
  siteUrl: string;
  /** The REST root (`AI_ENGINE_REST_URL`, default `{siteUrl}/wp-json`). */
  restUrl: string;
  /** Bot ids served as models; the first is the default (`AI_ENGINE_BOTS`). */
  bots: string[];
  /** A fixed REST nonce (`AI_ENGINE_NONCE`). */
  nonce: string | null;
  /** Accepted bearer keys (`API_KEYS`); empty means open. */
  apiKeys: string[];
  /** Browser origins allowed by CORS (`ALLOWED_ORIGINS`); `"*"` for any, empty for none. */
  allowedOrigins: string[] | "*";
  /** HMAC-SHA256 secret for signed webhook calls (`WEBHOOK_SECRET`). */
  webhookSecret: string | null;
  /** Limit for the upstream's headers and for silence between events (`UPSTREAM_TIMEOUT_MS`). */
  upstreamTimeoutMs: number;
  /** Largest request body accepted (`MAX_BODY_BYTES`). */
  maxBodyBytes: number;
}

/** Raw variables, as strings (environment variables, Workers `vars` and secrets). */
export type Variables = Record<string, string | undefined>;

/** A configuration variable with a bad value; the message names it. */
export class ConfigError extends Error {
  /** Always `"ConfigError"`. */
  override readonly name = "ConfigError";
  /**
   * A bad value of one variable.
   *
   * @param variable the variable's name, e.g. `MAX_BODY_BYTES`
   * @param message what is wrong with its value
   */
  constructor(readonly variable: string, message: string) {
    super(`Invalid ${variable}: ${message}`);
  }
}

/**
 * Parses and checks the configuration variables; a bad value throws a
 * {@linkcode ConfigError} that names its variable.
 *
 * @example
 * ```ts
 * import { parseConfig } from "./config.ts";
 * const config = parseConfig({ AI_ENGINE_URL: "https://example.com", AI_ENGINE_BOTS: "default,support" });
 * console.log(config.restUrl, config.bots); // https://example.com/wp-json [ "default", "support" ]
 * ```
 */
export function parseConfig(vars: Variables): Config {
  const siteUrl = url(vars, "AI_ENGINE_URL", "https://opchatgpts.net").replace(/\/+$/, "");
  const restUrl = vars.AI_ENGINE_REST_URL?.trim()
    ? url(vars, "AI_ENGINE_REST_URL", "")
    : `${siteUrl}/wp-json`;
  const bots = list(vars.AI_ENGINE_BOTS ?? "default");
  if (bots.length === 0) throw new ConfigError("AI_ENGINE_BOTS", "name at least one bot id");
  const origins = list(vars.ALLOWED_ORIGINS ?? "");
  for (const origin of origins) {
    if (origin !== "*" && !isOrigin(origin)) {
      throw new ConfigError(
        "ALLOWED_ORIGINS",
        `"${origin}" is not an origin like https://example.com`,
      );
    }
  }
  return {
    siteUrl,
    restUrl,
    bots,
    nonce: vars.AI_ENGINE_NONCE?.trim() || null,
    apiKeys: list(vars.API_KEYS ?? ""),
    allowedOrigins: origins.includes("*") ? "*" : origins,
    webhookSecret: vars.WEBHOOK_SECRET || null,
    upstreamTimeoutMs: integer(vars, "UPSTREAM_TIMEOUT_MS", 30_000, MAX_TIMER_MS),
    maxBodyBytes: integer(vars, "MAX_BODY_BYTES", 1_048_576),
  };
}

/** The variables the gateway reads (CONTRACT §2); nothing else is read. */
export const VARIABLES = [
  "AI_ENGINE_URL",
  "AI_ENGINE_REST_URL",
  "AI_ENGINE_BOTS",
  "AI_ENGINE_NONCE",
  "API_KEYS",
  "ALLOWED_ORIGINS",
  "WEBHOOK_SECRET",
  "UPSTREAM_TIMEOUT_MS",
  "MAX_BODY_BYTES",
] as const;

interface DenoEnv {
  env: { get(name: string): string | undefined };
  permissions: { querySync(descriptor: { name: "env"; variable: string }): { state: string } };
}

/**
 * The one reader of the environment: the Workers bindings (`vars` and secrets, the `env`
 * argument of `fetch`) when given, else `Deno.env` on Deno (a variable it may not read is
 * a {@linkcode ConfigError}; it never prompts), else `process.env` on Node.
 *
 * @example
 * ```ts
 * import { readVariables } from "./config.ts";
 * console.log(readVariables({ AI_ENGINE_URL: "https://example.com", other: 1 }));
 * // { AI_ENGINE_URL: "https://example.com" }
 * ```
 */
export function readVariables(bindings?: unknown): Variables {
  const vars: Variables = {};
  const runtime = globalThis as { Deno?: DenoEnv; process?: { env: Variables } };
  const read: (name: string) => unknown = isObject(bindings)
    ? (name) => bindings[name]
    : runtime.Deno
    ? (name) => readDenoVariable(runtime.Deno!, name)
    : (name) => runtime.process?.env[name];
  for (const name of VARIABLES) {
    const value = read(name);
    if (typeof value === "string") vars[name] = value;
  }
  return vars;
}

function isObject(value: unknown): value is Record<string, unknown> {
  // Deno's serve passes its handler info, not bindings: it has no variables of ours.
  return typeof value === "object" && value !== null &&
    VARIABLES.some((name) => name in (value as object));
}

// Without the permission a variable is refused, not taken as unset: an API_KEYS nobody
// could read must not leave the API open. Asking would prompt on a terminal; this never does.
function readDenoVariable(deno: DenoEnv, variable: string): string | undefined {
  if (deno.permissions.querySync({ name: "env", variable }).state !== "granted") {
    throw new ConfigError(variable, "cannot be read: run Deno with --allow-env");
  }
  return deno.env.get(variable);
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
    throw new ConfigError(name, `"${value}" is not a URL`);
  }
  if (parsed.protocol !== "https:" && parsed.protocol !== "http:") {
    throw new ConfigError(name, `"${value}" is not an http(s) URL`);
  }
  return value;
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
