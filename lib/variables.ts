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

interface DenoEnv {
  env: { get(name: string): string | undefined };
  permissions: { querySync(descriptor: { name: "env"; variable: string }): { state: string } };
}

/**
 * The one reader of the environment: the Workers bindings (`vars` and secrets, the `env`
 * argument of `fetch`) when given, else `Deno.env` on Deno (a variable it may not read is
 * a {@linkcode ConfigError}; it never prompts), else `process.env` on Node. Only `names`
 * are read.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { readVariables } from "./variables.ts";
 * const vars = readVariables(["AI_ENGINE_URL"], { AI_ENGINE_URL: "https://example.com", other: 1 });
 * assert.deepEqual(vars, { AI_ENGINE_URL: "https://example.com" });
 * ```
 */
export function readVariables(names: readonly string[], bindings?: unknown): Variables {
  const vars: Variables = {};
  const runtime = globalThis as { Deno?: DenoEnv; process?: { env: Variables } };
  const read: (name: string) => unknown = isBindings(bindings, names)
    ? (name) => bindings[name]
    : runtime.Deno
    ? (name) => readDenoVariable(runtime.Deno!, name)
    : (name) => runtime.process?.env[name];
  for (const name of names) {
    const value = read(name);
    if (typeof value === "string") vars[name] = value;
  }
  return vars;
}

function isBindings(value: unknown, names: readonly string[]): value is Record<string, unknown> {
  // Deno's serve passes its handler info, not bindings: it has no variables of ours.
  return typeof value === "object" && value !== null &&
    names.some((name) => name in (value as object));
}

// Without the permission a variable is refused, not taken as unset: an API_KEYS nobody
// could read must not leave the API open. Asking would prompt on a terminal; this never does.
function readDenoVariable(deno: DenoEnv, variable: string): string | undefined {
  if (deno.permissions.querySync({ name: "env", variable }).state !== "granted") {
    throw new ConfigError(variable, "cannot be read: run Deno with --allow-env");
  }
  return deno.env.get(variable);
}

/** A platform that routes to the gateway only the names its owner configured. */
export type RoutingPlatform = "Cloudflare Workers" | "Deno Deploy";

/**
 * The platform the code runs on when it routes requests by name (see `ServedNames`), or
 * null where the gateway serves itself (`deno serve`, `deno task start`, Node). Workers say
 * so in `navigator.userAgent` (workerd, `wrangler dev` included); Deno Deploy sets
 * `DENO_DEPLOYMENT_ID` in every deployment. Unlike the gateway's own variables, one that
 * may not be read is taken as unset: a gateway that cannot tell serves only its names.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { routingPlatform } from "./variables.ts";
 * assert.equal(routingPlatform(), Deno.env.get("DENO_DEPLOYMENT_ID") ? "Deno Deploy" : null);
 * ```
 */
export function routingPlatform(): RoutingPlatform | null {
  const runtime = globalThis as { Deno?: DenoEnv; navigator?: { userAgent?: string } };
  if (runtime.navigator?.userAgent === "Cloudflare-Workers") return "Cloudflare Workers";
  const deno = runtime.Deno;
  const variable = "DENO_DEPLOYMENT_ID";
  if (deno?.permissions.querySync({ name: "env", variable }).state !== "granted") return null;
  return deno.env.get(variable) ? "Deno Deploy" : null;
}
