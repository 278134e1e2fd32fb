/**
 * `POST mwai-ui/v1/chats/submit`, checked in the plugin's order: WordPress's JSON
 * parse (400), the permission callback (401), `basics_security_check` (403), the
 * bot's `textInputMaxLength`, then the model's answer or a fault.
 *
 * @module
 */

import { isRecord } from "../../lib/util/is_record.ts";
import type { AnswerStep } from "./answer_plan.ts";
import { type ChatTurn, type EndExtras, normalAnswer, splitAnswer } from "./chat_answer.ts";
import { faultAnswer, findFault } from "./faults.ts";
import { mbStrlen, phpJsonEncode, phpScalarString, phpTrim, phpTruthy } from "./php_json.ts";
import {
  type CoreNonceCheck,
  newTokenFor,
  pluginAllowsSubmit,
  type Site,
  type SiteRequest,
} from "./site_request.ts";
import { criticalErrorAnswer } from "./wordpress_pages.ts";
import { errorEvent, type MidAnswerPause, sseSteps } from "./sse_events.ts";
import { hostileHeaderNonce } from "./hostile_site.ts";
import {
  type HeadSpec,
  REST_FORBIDDEN,
  REST_INVALID_JSON,
  uniqid,
  wholeAnswer,
  wordpressHead,
} from "./wordpress_wire.ts";

/** The default bot and its model, as the emulator's options set them. */
export interface BotSettings {
  answer: string;
  /** The model's pieces exactly, overriding `answer` and `pieces`. */
  answerPieces: string[] | null;
  pieces: number;
  pieceDelayMs: number;
  headersDelayMs: number;
  midAnswerPause: MidAnswerPause | null;
  maxMessageLength: number;
  eventLogs: boolean;
  /** An images bot's URLs (see `imagesAnswer`), or null for a text bot. */
  images: string[] | null;
  /** The site's reply filters (`mwai_chatbot_reply`), or null. */
  replyFilter: ((reply: string) => string) | null;
  endExtras: EndExtras;
  /**
   * Bots defined only in a shortcode: `customId` → that bot's answer (the page stored it as
   * the transient `mwai_custom_chatbot_<customId>`).
   */
  customBots: Readonly<Record<string, string>>;
}

const REJECTED = "Sorry, your query has been rejected.";

/**
 * The answer to a submit whose nonce WordPress core already let through.
 *
 * @example
 * ```ts ignore
 * import { submitAnswer } from "./submit_route.ts";
 * const steps = submitAnswer(site, request, "valid", bot);
 * ```
 */
export function submitAnswer(
  site: Site,
  request: SiteRequest,
  core: CoreNonceCheck,
  bot: BotSettings,
): Iterable<AnswerStep> {
  // `__fake:badheader:<n>`: the answer's X-WP-Nonce is no nonce (see hostile_site.ts).
  const wpNonce = hostileHeaderNonce(findFault(messageText(request))) ??
    (core === "valid" ? site.nonce : undefined);
  const head = (status: number, spec: Partial<HeadSpec> = {}) =>
    wordpressHead({ status, siteUrl: site.url, body: "json", wpNonce, ...spec });
  if (request.json.invalid) return wholeAnswer(head(400), REST_INVALID_JSON);
  if (!pluginAllowsSubmit(request, site)) return wholeAnswer(head(401), REST_FORBIDDEN);

  const params: Record<string, unknown> = isRecord(request.json.params) ? request.json.params : {};
  const newToken = newTokenFor(request, site);
  const rejected = (status: number) =>
    wholeAnswer(
      head(status),
      phpJsonEncode({ success: false, message: REJECTED, new_token: newToken }),
    );
  const raw = phpScalarString(params.newMessage);
  // PHP 8's trim() throws a TypeError on an array: a fatal error, WordPress's 500.
  if (raw === undefined) {
    return criticalErrorAnswer({ siteUrl: site.url, headers: request.raw.headers });
  }
  const message = phpTrim(raw);
  const stream = phpTruthy(params.stream);
  if (!phpTruthy(params.botId) && !phpTruthy(params.customId)) return rejected(403);
  const customAnswer = customBotAnswer(site, params, bot);
  // Before 3.0.3 no bot found is an exception: "rejected" (403 in 1.9, 500 in 2.x).
  if (customAnswer === null) return rejected(site.version === "1.9" ? 403 : 500);
  const files = queryFiles(params, site.traits.newFileIds);
  if (files.length === 0 && message === "") return rejected(403);
  if (bot.maxMessageLength > 0 && mbStrlen(message) > bot.maxMessageLength) {
    // Thrown inside chat_submit before any streaming header: the error event goes out
    // under the REST server's JSON Content-Type (recording g-513chars-cyr-stream).
    if (stream) return [{ kind: "head", head: head(200) }, ...sseSteps([errorEvent(REJECTED)], 0)];
    return rejected(500);
  }

  // The query object reads the session cookie and sets a new one when there is none; a
  // `session` in the body then takes its place (Query_Base::inject_params, 1.9 to 3.x).
  const sessionCookie = request.cookies.has("mwai_session_id") ? undefined : uniqid();
  site.recordQuery({
    chatId: typeof params.chatId === "string" ? params.chatId : null,
    session: phpTruthy(params.session) && typeof params.session === "string"
      ? params.session
      : request.cookies.get("mwai_session_id") ?? sessionCookie!,
    files,
  });
  const turn: ChatTurn = {
    message,
    history: historyOf(params.messages),
    stream,
    pieces: customAnswer === undefined
      ? bot.answerPieces ?? splitAnswer(bot.answer, bot.pieces)
      : splitAnswer(customAnswer, bot.pieces),
    responseId: site.nextResponseId(),
    newToken,
    pieceDelayMs: bot.pieceDelayMs,
    headersDelayMs: bot.headersDelayMs,
    midAnswerPause: bot.midAnswerPause,
    eventLogs: bot.eventLogs,
    images: bot.images,
    replyFilter: bot.replyFilter,
    fullEnd: site.traits.fullEnd,
    endExtras: bot.endExtras,
    head: (body, status) => head(status, { body, sessionCookie }),
  };
  const fault = findFault(message);
  return (fault && faultAnswer(turn, fault)) ?? normalAnswer(turn);
}

/**
 * The shortcode bot a submit names, as chat_submit looks bots up (3.6.2:…/chatbot.php:
 * 544-561): the `customId`'s transient, then the `botId`, then (3.0.3+) the default bot.
 * Its answer; undefined for the default bot; null when no bot is found (before 3.x).
 */
function customBotAnswer(
  site: Site,
  params: Record<string, unknown>,
  bot: BotSettings,
): string | null | undefined {
  const customId = phpScalarString(params.customId);
  if (customId && Object.hasOwn(bot.customBots, customId)) return bot.customBots[customId];
  if (phpTruthy(params.botId) || site.version === "3.x") return undefined;
  return null;
}

function messageText(request: SiteRequest): string {
  const params = request.json.params;
  return isRecord(params) && typeof params.newMessage === "string" ? params.newMessage : "";
}

function historyOf(messages: unknown): string[] {
  if (!Array.isArray(messages)) return [];
  return messages.flatMap((message) =>
    isRecord(message) && typeof message.content === "string" ? [message.content] : []
  );
}

/** The uploads a submit names, as the version reads them (see `KeptQuery.files`). */
function queryFiles(params: Record<string, unknown>, readsList: boolean): string[] {
  const list = params.newFileIds;
  if (readsList && Array.isArray(list) && list.length > 0) return list.map(String);
  return phpTruthy(params.newFileId) ? [String(params.newFileId)] : [];
}
