/**
 * The plugin's answer to an accepted message, streamed or not: the model's pieces,
 * the final object (`build_final_res`) and how the head, events and JSON follow
 * each other on the wire.
 *
 * @module
 */

import type { AnswerStep } from "./answer_plan.ts";
import type { PhpHead } from "./site_framing.ts";
import { mbStrlen, phpJsonEncode, phpTrim } from "./php_json.ts";
import {
  endEvent,
  liveEvent,
  type MidAnswerPause,
  type SseEvent,
  type SseFraming,
  sseSteps,
  statusEvent,
} from "./sse_events.ts";

/** The recorded language-model stand-in's answer. */
export const DEFAULT_ANSWER = "Привет, мир! 👋 The answer is 42.";

// How the recorded stand-in split DEFAULT_ANSWER into its seven streamed pieces.
const RECORDED_PIECES = ["Прив", "ет, ", "мир! ", "👋", " The answer", " is ", "42."];

/** What the filters `mwai_chatbot_actions`, `_shortcuts`, `_blocks` return (2.4.8+). */
export interface EndExtras {
  actions?: unknown[];
  shortcuts?: unknown[];
  blocks?: unknown[];
}

/** One accepted chat turn: everything an answer (normal or faulty) is made from. */
export interface ChatTurn {
  /** The trimmed `newMessage`. */
  message: string;
  /** The text of the earlier turns the request carried (`messages[].content`). */
  history: string[];
  stream: boolean;
  /** The answer as the model streams it. */
  pieces: string[];
  responseId: string;
  /** `new_token` for the final object, when the nonce is ageing. */
  newToken: string | undefined;
  pieceDelayMs: number;
  headersDelayMs: number;
  /** A silence after some pieces of a streamed answer (a tool call), or none. */
  midAnswerPause?: MidAnswerPause | null;
  eventLogs: boolean;
  /** An images bot's URLs: no `live` events, only `end` (see `imagesAnswer`); else null. */
  images: string[] | null;
  /** The site's `mwai_chatbot_reply` filters, run on the reply before `end` is built. */
  replyFilter: ((reply: string) => string) | null;
  /**
   * The answer object as 2.4.9+ builds it (`actions`, `shortcuts`, `blocks`, `responseId`,
   * usage with `price`, `queries`, `accuracy`); false for 1.9.x–2.4.7's
   * `{success, reply, images, usage}` (1.9.99:…/chatbot.php:101-106).
   */
  fullEnd: boolean;
  /** The `actions`, `shortcuts`, `blocks` the site's filters add to the answer object. */
  endExtras: EndExtras;
  /** The head of this turn's answer: WordPress headers plus the session cookie if new. */
  head(body: "json" | "sse", status: number): PhpHead;
}

/**
 * Splits an answer into `count` streamed pieces: like the recording for the default
 * answer in seven, else into runs of whole code points (an emoji is never cut).
 *
 * @example
 * ```ts
 * import { splitAnswer } from "./chat_answer.ts";
 * splitAnswer("abcdef", 3); // ["ab", "cd", "ef"]
 * ```
 */
export function splitAnswer(answer: string, count: number): string[] {
  if (answer === DEFAULT_ANSWER && count === 7) return [...RECORDED_PIECES];
  const points = [...answer];
  const n = Math.max(1, Math.min(Math.floor(count), points.length));
  const pieces: string[] = [];
  for (let i = 0; i < n; i++) {
    pieces.push(
      points.slice(Math.floor(i * points.length / n), Math.floor((i + 1) * points.length / n)).join(
        "",
      ),
    );
  }
  return pieces.filter((piece) => piece !== "");
}

/**
 * The final object (`build_final_res`): the `end` event's payload and the whole
 * non-streamed answer. Usage is an estimate: a quarter token per code point of each
 * message, rounded, which gives the recorded 1 for "Hello" alone (apache d-stream) and 2
 * with "Hello" in the history (d). `responseId` and `new_token` appear only when set, in
 * the recorded order.
 *
 * @example
 * ```ts ignore
 * import { finalResult } from "./chat_answer.ts";
 * finalResult(turn, "Hi").reply; // "Hi"
 * finalResult(turn, "", { responseId: false }).responseId; // undefined, as for 502html
 * ```
 */
export function finalResult(
  turn: ChatTurn,
  reply: string,
  options: { responseId?: boolean } = {},
): Record<string, unknown> {
  const promptTokens = Math.max(
    1,
    [...turn.history, turn.message].reduce((sum, text) => sum + Math.round(mbStrlen(text) / 4), 0),
  );
  const completionTokens = reply === "" ? 0 : turn.pieces.length + 1;
  if (!turn.fullEnd) {
    return {
      success: true,
      reply,
      images: turn.images,
      usage: {
        prompt_tokens: promptTokens,
        completion_tokens: completionTokens,
        total_tokens: promptTokens + completionTokens,
      },
    };
  }
  return {
    success: true,
    reply,
    images: turn.images,
    actions: turn.endExtras.actions ?? [],
    shortcuts: turn.endExtras.shortcuts ?? [],
    blocks: turn.endExtras.blocks ?? [],
    usage: {
      prompt_tokens: promptTokens,
      completion_tokens: completionTokens,
      total_tokens: promptTokens + completionTokens,
      price: null,
      queries: 1,
      accuracy: "estimated",
    },
    responseId: options.responseId === false ? undefined : turn.responseId,
    new_token: turn.newToken,
  };
}

/**
 * The events of a normal streamed answer, from the status event to `end`.
 *
 * @example
 * ```ts ignore
 * import { answerEvents } from "./chat_answer.ts";
 * answerEvents(turn).length; // turn.pieces.length + 1, plus 1 with event logs on
 * ```
 */
export function answerEvents(turn: ChatTurn): SseEvent[] {
  return [
    ...openingEvents(turn),
    ...turn.pieces.map(liveEvent),
    endEvent(finalResult(turn, filteredReply(turn))),
  ];
}

/**
 * The reply `end` carries: the streamed text trimmed, then the site's `mwai_chatbot_reply`
 * filters, which run after every `live` event went out (1.9.0:…/chatbot.php:218,
 * 3.6.2:…:961), so they may append to it (citations) or rewrite it.
 *
 * @example
 * ```ts ignore
 * import { filteredReply } from "./chat_answer.ts";
 * filteredReply({ ...turn, pieces: ["Hi "], replyFilter: (r) => `${r} [1]` }); // "Hi [1]"
 * ```
 */
export function filteredReply(turn: ChatTurn): string {
  const reply = replyOf(turn.pieces);
  return turn.replyFilter ? turn.replyFilter(reply) : reply;
}

/**
 * An images bot's answer: the image query never calls the stream callback, so there is
 * no `live` event, only `end`, whose reply is `![Image](<url>)\n` per URL (1.9.98+) and
 * whose `images` are the URLs. From 2.8.3 the SSE headers are set only for text bots: the
 * one `end` event goes out under WordPress's JSON Content-Type (3.6.2:…/chatbot.php:1003).
 *
 * @example
 * ```ts ignore
 * import { imagesAnswer } from "./chat_answer.ts";
 * const steps = imagesAnswer({ ...turn, images: ["https://h/x.png"] });
 * ```
 */
export function* imagesAnswer(turn: ChatTurn): Generator<AnswerStep> {
  const reply = (turn.images ?? []).map((url) => `![Image](${url})\n`).join("");
  const result = finalResult({ ...turn, pieces: [] }, reply);
  if (!turn.stream) return yield* jsonAnswer(turn, 200, result);
  yield { kind: "pause", ms: turn.headersDelayMs };
  yield { kind: "head", head: turn.head("json", 200) };
  yield* sseSteps([endEvent(result)], 0);
}

/**
 * What comes before the answer text: the status event when event logs are on.
 *
 * @example
 * ```ts ignore
 * import { openingEvents } from "./chat_answer.ts";
 * openingEvents({ ...turn, eventLogs: false }); // []
 * ```
 */
export function openingEvents(turn: ChatTurn): SseEvent[] {
  return turn.eventLogs ? [statusEvent(turn.responseId)] : [];
}

/**
 * The reply the plugin stores: the streamed text, trimmed (see recording f-midstream).
 *
 * @example
 * ```ts
 * import { replyOf } from "./chat_answer.ts";
 * replyOf(["Прив", "ет, "]); // "Привет,"
 * ```
 */
export function replyOf(pieces: string[]): string {
  return phpTrim(pieces.join(""));
}

/**
 * A whole streamed answer: the model's delay, the SSE head, then the events.
 *
 * @example
 * ```ts ignore
 * import { streamedAnswer } from "./chat_answer.ts";
 * import { errorEvent } from "./sse_events.ts";
 * const steps = streamedAnswer(turn, [errorEvent("FakeLLM: Error: ...")]);
 * ```
 */
export function* streamedAnswer(
  turn: ChatTurn,
  events: Iterable<SseEvent>,
  framing: SseFraming = {},
): Generator<AnswerStep> {
  yield { kind: "pause", ms: turn.headersDelayMs };
  yield { kind: "head", head: turn.head("sse", 200) };
  yield* sseSteps(events, turn.pieceDelayMs, framing, turn.midAnswerPause ?? null);
}

/**
 * A whole non-streamed answer: the wait for the model, then head and JSON at once.
 *
 * @example
 * ```ts ignore
 * import { jsonAnswer } from "./chat_answer.ts";
 * const steps = jsonAnswer(turn, 500, { success: false, message: "FakeLLM: ..." });
 * ```
 */
export function* jsonAnswer(turn: ChatTurn, status: number, body: unknown): Generator<AnswerStep> {
  yield { kind: "pause", ms: turn.headersDelayMs };
  yield { kind: "head", head: turn.head("json", status) };
  yield { kind: "flush", echoes: [phpJsonEncode(body)] };
}

/**
 * The normal answer to an accepted message, streamed or not.
 *
 * @example
 * ```ts ignore
 * import { normalAnswer } from "./chat_answer.ts";
 * const outcome = await runAnswer(exchange, normalAnswer(turn), shutdown.signal);
 * ```
 */
export function normalAnswer(turn: ChatTurn): Iterable<AnswerStep> {
  if (turn.images) return imagesAnswer(turn);
  if (!turn.stream) return jsonAnswer(turn, 200, finalResult(turn, filteredReply(turn)));
  return streamedAnswer(turn, answerEvents(turn));
}
