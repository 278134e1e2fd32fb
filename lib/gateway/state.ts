import { AiEngineSession } from "../ai_engine/session/ai_engine_session.ts";
import { SiteClient } from "../ai_engine/site/site_client.ts";
import { fetchClient } from "../http/upstream_client.ts";
import { runtimeUpstream } from "../runtime_upstream.ts";
import { type Config, ConfigError, parseConfig, readConfigVariables } from "./config.ts";
import { SignatureReplays } from "./request/signature.ts";
import { SiteSessions } from "./site_sessions.ts";
import { describeServedNames } from "./served_names.ts";
import { warmSession } from "./warm_session.ts";

/**
 * What one isolate holds for every request: the configuration, the AI Engine session,
 * the webhook signatures already taken, and the key of the session ids sent for clients.
 */
export interface GatewayState {
  /** The parsed configuration. */
  config: Config;
  /** The nonce holder shared by every request of the isolate, and its way to the site. */
  session: AiEngineSession;
  /** Signed webhook calls accepted within their window, refused if they come again. */
  signatures: SignatureReplays;
  /** The `mwai_session_id` of each client (see {@linkcode SiteSessions}). */
  siteSessions: SiteSessions;
}

/**
 * The isolate's state for the bindings of the request at hand (only the first call's
 * count); `waitUntil` keeps the isolate alive for work begun for it (the start-up nonce),
 * which is begun only where there is one.
 */
export type IsolateState = (
  bindings: unknown,
  waitUntil?: (work: Promise<unknown>) => void,
) => GatewayState;

/**
 * The isolate's state, made once: from `config` when given, else from the environment
 * (Workers hand their bindings to the first request; on Deno the environment is read at
 * once, so a bad value, or an open API, is said at start-up). main.ts's gateway asks the
 * site for its nonce as soon as it is configured: at start-up on Deno, with the first
 * request on Workers (see {@linkcode warmSession}). A bad value throws a
 * {@linkcode ConfigError} on every call until it is fixed.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { gatewayState } from "./state.ts";
 * import { parseConfig } from "./config.ts";
 * const warnings: string[] = [];
 * const state = gatewayState({ config: parseConfig({}), write: (line) => warnings.push(line) });
 * assert.equal(state(undefined).config.restUrl, "https://opchatgpts.net/wp-json");
 * assert.match(warnings[0]!, /API_KEYS is unset/);
 * ```
 */
export function gatewayState(options: {
  config?: Config;
  /** What carries every call to the site; the runtime's own way by default. */
  fetch?: typeof fetch;
  write: (line: string) => void;
}): IsolateState {
  let state: GatewayState | null = null;
  // main.ts's gateway (the environment's configuration, the runtime's way to the site) asks
  // the site for its nonce as soon as it is configured; a test's or an embedder's does not.
  // The first call with a `waitUntil` begins it (on Workers, middleware before
  // `isolateState` may make the state without one).
  let toWarm = !options.config && !options.fetch;
  const setup: IsolateState = (bindings, waitUntil) => {
    state ??= make(bindings);
    if (toWarm && waitUntil) {
      toWarm = false;
      if (state.config.nonce === null) waitUntil(warmSession(state.session, options.write));
    }
    return state;
  };
  const make = (bindings: unknown): GatewayState => {
    const config = options.config ?? parseConfig(readConfigVariables(bindings));
    if (config.apiKeys.length === 0) {
      const message = "API_KEYS is unset: the API is open to anyone";
      options.write(JSON.stringify({ level: "warn", message }));
    }
    // Said once, so whoever sets up a proxy in front sees which Host it must send.
    const served = describeServedNames(config.servedNames);
    options.write(JSON.stringify({ level: "info", message: served }));
    const session = new AiEngineSession({
      restUrl: config.restUrl,
      nonce: config.nonce,
      noncePage: config.noncePage,
      // The one way to the site, for start_session, the nonce page, uploads and submits.
      site: new SiteClient({
        client: options.fetch ? fetchClient(options.fetch) : runtimeUpstream(),
        credentials: config.credentials,
        connectTimeoutMs: config.connectTimeoutMs,
      }),
      timeoutMs: config.upstreamTimeoutMs,
      // What the site handed out that could not be a nonce, or a redirect: never quoted.
      warn: (message) => options.write(JSON.stringify({ level: "warn", message })),
    });
    return {
      config,
      session,
      signatures: new SignatureReplays(),
      siteSessions: new SiteSessions(config.sessionSecret),
    };
  };
  if (!options.config && "Deno" in globalThis) {
    try {
      setup(undefined, () => {});
    } catch (error) {
      if (!(error instanceof ConfigError)) throw error;
      options.write(JSON.stringify({ level: "error", message: error.message }));
    }
  }
  return setup;
}
