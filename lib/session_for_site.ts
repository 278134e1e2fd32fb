import { AiEngineSession } from "./ai_engine/session/ai_engine_session.ts";
import { SiteClient } from "./ai_engine/site/site_client.ts";
import { splitCredentials } from "./ai_engine/site/site_credentials.ts";
import {
  DEFAULT_CONNECT_TIMEOUT_MS,
  DEFAULT_SITE_URL,
  restUrlOf,
  withoutTrailingSlash,
} from "./ai_engine/site/site_defaults.ts";
import { fetchClient } from "./http/upstream_client.ts";
import { runtimeUpstream } from "./runtime_upstream.ts";
import { readVariables } from "./variables.ts";

/** What of `chat()`'s options says which site, and how to reach it. */
export interface SiteOptions {
  /** The site's base URL, credentials in it; else `AI_ENGINE_URL`, else the default site. */
  site?: string;
  /** The REST root; else `AI_ENGINE_REST_URL`, else `{site}/wp-json`. */
  restUrl?: string;
  /** A page that shows the chatbot, for the nonce on old releases; the site's home page. */
  noncePage?: string;
  /** The fetch of every call to the site; a session of its own when given. */
  fetch?: typeof fetch;
  /** The session to use as it is. */
  session?: AiEngineSession;
  /** Limit on silence and on start_session, the nonce page and uploads, in ms. */
  timeoutMs?: number;
  /** Limit on connecting to the site, in ms. */
  connectTimeoutMs?: number;
}

const sessions = new Map<string, AiEngineSession>();
const SITE_VARIABLES = ["AI_ENGINE_URL", "AI_ENGINE_REST_URL"];

/**
 * The session that serves the site `options` name (or the environment names, when they
 * name none), and its REST root. Calls to the same site without a `fetch` of their own
 * share one session, so one `start_session` serves them all; a call with its own `fetch`
 * keeps to it, in a session of its own.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { sessionForSite } from "./session_for_site.ts";
 * const one = sessionForSite({ site: "https://site.example" });
 * assert.equal(one.restUrl, "https://site.example/wp-json");
 * assert.equal(sessionForSite({ site: "https://site.example" }).session, one.session);
 * ```
 */
export function sessionForSite(
  options: SiteOptions,
): { session: AiEngineSession; restUrl: string } {
  const env = options.site || options.restUrl ? {} : readVariables(SITE_VARIABLES);
  const givenSite = options.site ?? (options.restUrl ? undefined : env.AI_ENGINE_URL);
  const site = splitCredentials(givenSite ?? DEFAULT_SITE_URL);
  const rest = splitCredentials(options.restUrl ?? env.AI_ENGINE_REST_URL ?? restUrlOf(site.url));
  const restUrl = rest.url;
  // Calls that bring their own fetch keep to it: they get a session of their own.
  const key = `${restUrl} ${givenSite ?? ""}`;
  let session = options.session ?? (options.fetch ? undefined : sessions.get(key));
  if (!session) {
    session = new AiEngineSession({
      restUrl,
      site: new SiteClient({
        client: options.fetch ? fetchClient(options.fetch) : runtimeUpstream(),
        credentials: rest.credentials ?? site.credentials,
        connectTimeoutMs: options.connectTimeoutMs ?? DEFAULT_CONNECT_TIMEOUT_MS,
      }),
      timeoutMs: options.timeoutMs,
      noncePage: options.noncePage ??
        (givenSite ? `${withoutTrailingSlash(site.url)}/` : undefined),
    });
    if (!options.fetch) sessions.set(key, session);
  }
  return { session, restUrl };
}
