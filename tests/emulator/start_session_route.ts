/**
 * `POST mwai/v1/start_session` (AI Engine ≥2.0): a session id and the visitor nonce.
 *
 * @module
 */

import type { AnswerStep } from "./answer_plan.ts";
import { phpJsonEncode } from "./php_json.ts";
import { type CoreNonceCheck, newTokenFor, type Site, type SiteRequest } from "./site_request.ts";
import { criticalErrorAnswer, homePageAnswer } from "./wordpress_pages.ts";
import { redirectAnswer } from "./hostile_site.ts";
import { phpSessionId, uniqid, wholeAnswer, wordpressHead } from "./wordpress_wire.ts";

/** How start_session misbehaves, if it does. */
export interface StartSessionSettings {
  /** The home page, a PHP fatal error, or a 302 to `redirectTo`, instead of the answer. */
  fault: "html" | "500" | "redirect" | null;
  delayMs: number;
  /** The `restNonce` handed out instead of the site's nonce (a hostile site), if any. */
  restNonce?: string | null;
  /** Where a redirect points. */
  redirectTo?: string;
}

/**
 * The answer to start_session. The session id comes from the `mwai_session_id`
 * cookie when there is one (recording h-start_session-again-with-cookie-A), else it
 * is new and set as a cookie; `new_token` follows the plugin's `create_rest_response`.
 *
 * @example
 * ```ts ignore
 * import { startSessionAnswer } from "./start_session_route.ts";
 * const steps = startSessionAnswer(site, request, "none", { fault: null, delayMs: 0 });
 * ```
 */
export function startSessionAnswer(
  site: Site,
  request: SiteRequest,
  core: CoreNonceCheck,
  settings: StartSessionSettings,
): AnswerStep[] {
  const page = { siteUrl: site.url, headers: request.raw.headers };
  const delay: AnswerStep = { kind: "pause", ms: settings.delayMs };
  if (settings.fault === "html") return [delay, ...homePageAnswer(page)];
  if (settings.fault === "500") return [delay, ...criticalErrorAnswer(page)];
  if (settings.fault === "redirect") {
    return [delay, ...redirectAnswer(302, settings.redirectTo ?? `${site.url}/elsewhere`)];
  }
  // Before 2.8.5 nothing sets the cookie: the session id is "N/A" (2.4.4:classes/rest.php:270-283).
  const known = site.traits.sessionCookie ? request.cookies.get("mwai_session_id") : "N/A";
  const sessionId = known ?? uniqid();
  const head = wordpressHead({
    status: 200,
    siteUrl: site.url,
    body: "json",
    phpSession: { newId: request.cookies.has("PHPSESSID") ? null : phpSessionId() },
    wpNonce: core === "valid" ? site.nonce : undefined,
    sessionCookie: known === undefined ? sessionId : undefined,
    allow: "POST",
  });
  const body = phpJsonEncode({
    success: true,
    sessionId,
    restNonce: settings.restNonce ?? site.nonce,
    new_token: newTokenFor(request, site),
  });
  return [delay, ...wholeAnswer(head, body)];
}
