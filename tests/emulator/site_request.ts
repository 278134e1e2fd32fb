/**
 * A request as WordPress sees it (REST route, cookies, JSON params) and the nonce
 * rules of WordPress core and of the plugin, which check different places.
 *
 * @module
 */

import type { RawRequest } from "../support/http1/request_reader.ts";
import type { PluginVersion, VersionTraits } from "./plugin_version.ts";
import type { StoredFile } from "./files_upload_route.ts";

/** The emulated site's state that the routes read and update. */
export interface Site {
  readonly url: string;
  /** The visitor nonce valid right now. */
  readonly nonce: string;
  /** The previous tick's nonce, still valid in the second half of its life, or null. */
  readonly previousNonce: string | null;
  readonly version: PluginVersion;
  /** What the version does differently (see `plugin_version.ts`). */
  readonly traits: VersionTraits;
  /** The chatbot page's `data-system` attribute as is, instead of the real one, or null. */
  readonly pageSystem: string | null;
  /** The nonce is in the second half of its life (`wp_verify_nonce` returns 2). */
  readonly ageing: boolean;
  nextResponseId(): string;
  /** Keeps an uploaded file (`files/upload`) and gives its refId. */
  storeFile(file: StoredFile): string;
  /** Notes a chat query the plugin ran, as its Discussions and statistics keep it. */
  recordQuery(query: KeptQuery): void;
}

/** What the plugin keeps of a chat query: its Discussions row's keys. */
export interface KeptQuery {
  /** The conversation (`chatId`), the Discussions row each turn is appended to. */
  chatId: string | null;
  /**
   * The query's session (`$query->session`): the body's `session` when not empty (every
   * release: `inject_params`), else the `mwai_session_id` cookie, else the new one set.
   */
  session: string;
  /**
   * The uploads the query was given: `newFileIds` when a non-empty list (2.9.7+), else
   * `newFileId` (3.6.2:…/chatbot.php:773-778); before 2.9.7 `newFileId` only.
   */
  files: string[];
}

/** A request with what WordPress derives from it. */
export interface SiteRequest {
  raw: RawRequest;
  url: URL;
  /** The REST route without a trailing slash (`/mwai/v1/start_session`), or null. */
  route: string | null;
  cookies: Map<string, string>;
  host: string;
  /** The plugin starts a PHP session only for URIs naming `/mwai/` (see `can_start_session`). */
  startsPhpSession: boolean;
  /** `$request->get_json_params()`: undefined when not JSON; `invalid` is WordPress's 400. */
  json: { invalid: boolean; params: unknown };
}

/**
 * Reads the REST route from `/wp-json/<route>` or `?rest_route=/<route>`, and the rest.
 *
 * @example
 * ```ts ignore
 * import { toSiteRequest } from "./site_request.ts";
 * toSiteRequest(raw, "http://127.0.0.1:8080").route; // "/mwai/v1/start_session"
 * ```
 */
export function toSiteRequest(raw: RawRequest, siteUrl: string): SiteRequest {
  const url = new URL(raw.target, siteUrl);
  return {
    raw,
    url,
    route: restRoute(url),
    cookies: parseCookies(raw.headers.get("cookie") ?? ""),
    host: raw.headers.get("host") ?? new URL(siteUrl).host,
    startsPhpSession: raw.target.includes("/mwai/") || raw.target.includes("rest_route=/mwai/"),
    json: jsonParams(raw),
  };
}

function restRoute(url: URL): string | null {
  let route: string | null = null;
  if (url.pathname === "/wp-json" || url.pathname.startsWith("/wp-json/")) {
    route = safeDecode(url.pathname.slice("/wp-json".length));
  } else if (url.searchParams.has("rest_route")) {
    route = url.searchParams.get("rest_route");
  }
  if (route === null) return null;
  // rest_api_loaded() untrailingslashes the route; routes match case-insensitively.
  return route.replace(/\/+$/, "").toLowerCase() || "/";
}

function safeDecode(path: string): string {
  try {
    return decodeURIComponent(path);
  } catch {
    return path;
  }
}

function parseCookies(header: string): Map<string, string> {
  const cookies = new Map<string, string>();
  for (const pair of header.split(";")) {
    const eq = pair.indexOf("=");
    if (eq > 0) cookies.set(pair.slice(0, eq).trim(), pair.slice(eq + 1).trim());
  }
  return cookies;
}

// WP_REST_Request parses the body only under a JSON media type, and only then can
// it be invalid; an empty body is simply no params.
function jsonParams(raw: RawRequest): SiteRequest["json"] {
  const type = raw.headers.get("content-type")?.split(";")[0]?.trim().toLowerCase() ?? "";
  const isJson = type === "application/json" || type.endsWith("+json");
  const text = new TextDecoder().decode(raw.body);
  if (!isJson || text === "") return { invalid: false, params: undefined };
  try {
    return { invalid: false, params: JSON.parse(text) };
  } catch {
    return { invalid: true, params: undefined };
  }
}

/** What WordPress core's `rest_cookie_check_errors` made of the request's nonce. */
export type CoreNonceCheck = "none" | "valid" | "invalid";

/**
 * WordPress core checks `_wpnonce` (query) first, else X-WP-Nonce, for every REST
 * request of a visitor: a wrong one is a 403 before any route runs.
 *
 * @example
 * ```ts ignore
 * import { coreNonceCheck } from "./site_request.ts";
 * coreNonceCheck(request, site); // "none" without any nonce
 * ```
 */
export function coreNonceCheck(request: SiteRequest, site: Site): CoreNonceCheck {
  const nonce = request.url.searchParams.get("_wpnonce") ?? request.raw.headers.get("x-wp-nonce");
  if (nonce === null) return "none";
  return isValidNonce(nonce, site) ? "valid" : "invalid";
}

/**
 * The submit route's permission callback (`check_rest_nonce`) reads only the
 * X-WP-Nonce header, so `?_wpnonce=` alone is a 401. Plugins before 2.0 had none.
 *
 * @example
 * ```ts ignore
 * import { pluginAllowsSubmit } from "./site_request.ts";
 * pluginAllowsSubmit(requestWithQueryNonceOnly, site); // false
 * ```
 */
export function pluginAllowsSubmit(request: SiteRequest, site: Site): boolean {
  const nonce = request.raw.headers.get("x-wp-nonce");
  return !site.traits.submitNeedsNonce || (nonce !== null && isValidNonce(nonce, site));
}

/**
 * `create_rest_response` / `build_final_res` add `new_token` when the X-WP-Nonce
 * header is ageing or differs from the current nonce.
 *
 * @example
 * ```ts ignore
 * import { newTokenFor } from "./site_request.ts";
 * newTokenFor(request, { ...site, ageing: true }); // site.nonce
 * ```
 */
export function newTokenFor(request: SiteRequest, site: Site): string | undefined {
  const sent = request.raw.headers.get("x-wp-nonce");
  if (!site.traits.newToken || sent === null) return undefined;
  return sent !== site.nonce || site.ageing ? site.nonce : undefined;
}

// wp_verify_nonce accepts the nonce of this tick and of the one before (12 h each).
function isValidNonce(nonce: string, site: Site): boolean {
  return nonce === site.nonce || nonce === site.previousNonce;
}
