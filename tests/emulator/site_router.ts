/**
 * Which answer a request gets, in the order a WordPress site decides it: the CDN in
 * front, WordPress core's nonce check, the route, then the plugin's route handler.
 *
 * @module
 */

import type { AnswerStep } from "./answer_plan.ts";
import { chatbotPageAnswer } from "./chatbot_page.ts";
import { edgeFaultAnswer } from "./edge_faults.ts";
import { filesUploadAnswer } from "./files_upload_route.ts";
import { coreNonceCheck, type Site, type SiteRequest } from "./site_request.ts";
import { startSessionAnswer, type StartSessionSettings } from "./start_session_route.ts";
import { type BotSettings, submitAnswer } from "./submit_route.ts";
import {
  phpSessionId,
  REST_COOKIE_INVALID_NONCE,
  REST_NO_ROUTE,
  wholeAnswer,
  wordpressHead,
} from "./wordpress_wire.ts";

/** The REST route of AI Engine's chatbot submit. */
export const SUBMIT_ROUTE = "/mwai-ui/v1/chats/submit";
/** The REST route vision bots' images are uploaded to first (AI Engine 1.9.95+). */
export const FILES_UPLOAD_ROUTE = "/mwai-ui/v1/files/upload";
/** The REST route that hands out a session and the visitor nonce (AI Engine ≥2.0). */
export const START_SESSION_ROUTE = "/mwai/v1/start_session";

/** A routed request: its answer, and what kind of answer it is for the counters. */
export interface RoutedAnswer {
  steps: Iterable<AnswerStep>;
  /** A chats/submit answer: its client leaving early counts as an abort. */
  submit: boolean;
  /** A successful start_session answer, once it is complete. */
  startsSession: boolean;
}

/**
 * Routes one request of the emulated site.
 *
 * @example
 * ```ts ignore
 * import { routeRequest } from "./site_router.ts";
 * const { steps } = routeRequest(site, request, bot, { fault: null, delayMs: 0 });
 * ```
 */
export function routeRequest(
  site: Site,
  request: SiteRequest,
  bot: BotSettings,
  startSession: StartSessionSettings,
): RoutedAnswer {
  const post = request.raw.method === "POST";
  const submit = post && request.route === SUBMIT_ROUTE;
  const answer = (steps: Iterable<AnswerStep>, startsSession = false) => ({
    steps,
    submit,
    startsSession,
  });
  if (submit) {
    const edge = edgeFaultAnswer(messageOf(request), startSession.redirectTo);
    if (edge) return answer(edge);
  }
  if (request.route === null) {
    // Before 3.x the gateway may read the nonce from a page; 3.x keeps its recorded 404.
    const page = request.raw.method === "GET" && site.version !== "3.x";
    return answer(page ? chatbotPageAnswer(site) : noRoute(site, request, false));
  }
  const core = coreNonceCheck(request, site);
  if (core === "invalid") {
    const head = wordpressHead({
      status: 403,
      siteUrl: site.url,
      body: "json",
      phpSession: phpSessionOf(site, request),
      nocache: true,
    });
    return answer(wholeAnswer(head, REST_COOKIE_INVALID_NONCE));
  }
  if (post && request.route === START_SESSION_ROUTE && site.traits.startSession) {
    return answer(
      startSessionAnswer(site, request, core, startSession),
      startSession.fault === null,
    );
  }
  if (submit) return answer(submitAnswer(site, request, core, bot));
  if (post && request.route === FILES_UPLOAD_ROUTE) {
    return answer(filesUploadAnswer(site, request, (file) => site.storeFile(file)));
  }
  return answer(noRoute(site, request, core === "valid"));
}

function noRoute(site: Site, request: SiteRequest, nonceVerified: boolean): AnswerStep[] {
  const head = wordpressHead({
    status: 404,
    siteUrl: site.url,
    body: "json",
    phpSession: phpSessionOf(site, request),
    wpNonce: nonceVerified ? site.nonce : undefined,
    // rest_send_cors_headers: a GET without Origin varies on it.
    varyOrigin: request.raw.method === "GET" && !request.raw.headers.has("origin"),
  });
  return wholeAnswer(head, REST_NO_ROUTE);
}

// Plugins before 2.0 had no PHP session; from 2.0 it starts for URIs with `/mwai/`.
function phpSessionOf(site: Site, request: SiteRequest): { newId: string | null } | undefined {
  if (!site.traits.phpSession || request.route === null || !request.startsPhpSession) {
    return undefined;
  }
  return { newId: request.cookies.has("PHPSESSID") ? null : phpSessionId() };
}

function messageOf(request: SiteRequest): string {
  const params = request.json.params;
  if (typeof params !== "object" || params === null) return "";
  const message = (params as Record<string, unknown>).newMessage;
  return typeof message === "string" ? message : "";
}
