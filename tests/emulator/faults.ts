/**
 * Faults, asked for like the recording's language-model stand-in does it: the text
 * `__fake:<name>` (or `__fake:<name>:<number>`) anywhere in `newMessage`. The
 * recorded model failures are reproduced here byte for byte; the extra transport
 * faults live in `transport_faults.ts`, the edge's HTML pages in `edge_faults.ts`.
 *
 * @module
 */

import type { AnswerStep } from "./answer_plan.ts";
import {
  type ChatTurn,
  finalResult,
  jsonAnswer,
  normalAnswer,
  openingEvents,
  replyOf,
  streamedAnswer,
} from "./chat_answer.ts";
import { endEvent, errorEvent, liveEvent } from "./sse_events.ts";
import { transportFaultAnswer } from "./transport_faults.ts";
import { hostileAnswer } from "./hostile_site.ts";

/** A fault named in a message, with its optional size argument. */
export interface FaultTrigger {
  name: string;
  size: number | undefined;
}

/**
 * Finds `__fake:<name>[:<number>]` in a message.
 *
 * @example
 * ```ts
 * import { findFault } from "./faults.ts";
 * findFault("Hello __fake:bigevent:2"); // { name: "bigevent", size: 2 }
 * findFault("Hello"); // null
 * ```
 */
export function findFault(message: string): FaultTrigger | null {
  const match = /__fake:([a-z0-9]+)(?::(\d+(?:\.\d+)?))?/.exec(message);
  if (!match?.[1]) return null;
  return { name: match[1], size: match[2] === undefined ? undefined : Number(match[2]) };
}

// What the plugin made of each provider failure of the recorded stand-in: streamed,
// the error event's text; not streamed, the 500 answer's message.
const PROVIDER_ERRORS: Record<string, { streamed?: string; json: string }> = {
  "500": {
    streamed:
      "FakeLLM: Error: The fake upstream exploded (fake LLM HTTP 500). (fake_500) (server_error)",
    json: 'FakeLLM: {"error":{"message":"The fake upstream exploded (fake LLM HTTP 500).",' +
      '"type":"server_error","param":null,"code":"fake_500"}}',
  },
  "429": {
    streamed:
      "FakeLLM: Error: Rate limit reached for fake-model (fake LLM). (rate_limit_exceeded) (requests)",
    json: "FakeLLM: Rate limit reached for fake-model (fake LLM).",
  },
  "401": {
    streamed:
      "FakeLLM: Error: Incorrect API key provided (fake LLM). (invalid_api_key) (invalid_request_error)",
    json: "FakeLLM: Incorrect API key provided (fake LLM).",
  },
  "503": {
    streamed:
      "FakeLLM: Error: The fake upstream exploded (fake LLM HTTP 503). (fake_503) (server_error)",
    json: "FakeLLM: The fake upstream exploded (fake LLM HTTP 503).",
  },
  "404": {
    streamed:
      "FakeLLM: Error: The fake upstream exploded (fake LLM HTTP 404). (fake_404) (server_error)",
    json: "FakeLLM: The API returned 404 for http://127.0.0.1:11435/v1/chat/completions. " +
      "This usually means the model is not valid for this provider. Response: " +
      '{"error":{"message":"The fake upstream exploded (fake LLM HTTP 404).",' +
      '"type":"server_error","param":null,"code":"fake_404"}}',
  },
  // An HTML 502 page from the provider: streamed, the plugin finds no text and ends
  // "successfully" with an empty reply and no responseId.
  "502html": { json: "FakeLLM: No content received (res is null)." },
};

const CURL_CUT = "FakeLLM: cURL error 18: transfer closed with outstanding read data remaining";

/**
 * The answer for a fault, or null when the name is not a known fault (then the
 * message is answered normally, as the stand-in did).
 *
 * @example
 * ```ts ignore
 * import { faultAnswer, findFault } from "./faults.ts";
 * const steps = faultAnswer(turn, findFault("Hi __fake:429")!); // 200 + one error event
 * ```
 */
export function faultAnswer(turn: ChatTurn, fault: FaultTrigger): Iterable<AnswerStep> | null {
  const providerError = PROVIDER_ERRORS[fault.name];
  if (providerError) return providerErrorAnswer(turn, providerError);
  switch (fault.name) {
    case "midstream":
      return turn.stream ? midstreamAnswer(turn) : normalAnswer(turn);
    case "cut":
      return turn.stream ? cutAnswer(turn) : normalAnswer(turn);
    case "empty":
      return turn.stream
        ? streamedAnswer(turn, [...openingEvents(turn), endEvent(finalResult(turn, ""))])
        : jsonAnswer(turn, 200, finalResult(turn, ""));
    case "hang":
      return hangAnswer(turn);
  }
  return transportFaultAnswer(turn, fault) ?? (turn.stream ? hostileAnswer(turn, fault) : null);
}

function providerErrorAnswer(
  turn: ChatTurn,
  error: { streamed?: string; json: string },
): Iterable<AnswerStep> {
  if (!turn.stream) {
    return jsonAnswer(turn, 500, { success: false, message: error.json, new_token: turn.newToken });
  }
  const event = error.streamed === undefined
    ? endEvent(finalResult(turn, "", { responseId: false }))
    : errorEvent(error.streamed);
  return streamedAnswer(turn, [event]);
}

// The stand-in stops after two pieces but closes its stream cleanly: the plugin ends
// "successfully" with what it got.
function midstreamAnswer(turn: ChatTurn): Iterable<AnswerStep> {
  const pieces = turn.pieces.slice(0, 2);
  return streamedAnswer(turn, [
    ...openingEvents(turn),
    ...pieces.map(liveEvent),
    endEvent(finalResult(turn, replyOf(pieces))),
  ]);
}

// The stand-in's connection breaks after two pieces: cURL reports it as an error event.
function cutAnswer(turn: ChatTurn): Iterable<AnswerStep> {
  return streamedAnswer(turn, [
    ...openingEvents(turn),
    ...turn.pieces.slice(0, 2).map(liveEvent),
    errorEvent(CURL_CUT),
  ]);
}

// The model never answers. Streamed: the head after headersDelayMs, then silence;
// not streamed: PHP waits for the whole answer, so not even a status line comes.
function* hangAnswer(turn: ChatTurn): Generator<AnswerStep> {
  if (turn.stream) {
    yield { kind: "pause", ms: turn.headersDelayMs };
    yield { kind: "head", head: turn.head("sse", 200) };
  }
  yield { kind: "hold" };
}
