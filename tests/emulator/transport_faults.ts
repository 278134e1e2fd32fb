/**
 * Faults the real site was not recorded doing but a client must survive: broken
 * connections, odd but legal SSE framing, and events that make no sense. Each one is
 * asked for with `__fake:<name>` in the message and applies to streamed answers;
 * `reset`, `stall` and `hang`-like silence also have a non-streamed form.
 *
 * @module
 */

import type { AnswerStep } from "./answer_plan.ts";
import {
  answerEvents,
  type ChatTurn,
  finalResult,
  openingEvents,
  replyOf,
  streamedAnswer,
} from "./chat_answer.ts";
import { endEvent, errorEvent, liveEvent, type SseEvent, sseSteps } from "./sse_events.ts";
import type { FaultTrigger } from "./faults.ts";
import { phpJsonEncode } from "./php_json.ts";

const MIB = 1024 * 1024;

/**
 * Answers a transport fault, or null when `fault.name` is none of them (or has no
 * non-streamed form), so that the normal answer is given.
 *
 * @example
 * ```ts ignore
 * import { transportFaultAnswer } from "./transport_faults.ts";
 * const steps = transportFaultAnswer(turn, { name: "crlf", size: undefined });
 * ```
 */
export function transportFaultAnswer(
  turn: ChatTurn,
  fault: FaultTrigger,
): Iterable<AnswerStep> | null {
  if (!turn.stream) return jsonTransportFault(turn, fault);
  const lives = turn.pieces.map(liveEvent);
  const end = endEvent(finalResult(turn, replyOf(turn.pieces)));
  const opening = openingEvents(turn);
  // `__fake:<fault>:<n>` puts the fault after n pieces of text (0: before any text).
  const at = (fallback: number) => fault.size ?? fallback;
  // A strange event after the first piece of an otherwise normal answer.
  const withOddEvent = (
    data: string,
  ) => [...opening, ...lives.slice(0, at(1)), { data, paced: false }, ...lives.slice(at(1)), end];
  switch (fault.name) {
    case "reset":
      return withTail(streamedAnswer(turn, [...opening, ...lives.slice(0, at(2))]), {
        kind: "hangUp",
      });
    case "noend":
      return streamedAnswer(turn, [...opening, ...lives.slice(0, at(lives.length))]);
    case "stall":
      return withTail(streamedAnswer(turn, [...opening, ...lives.slice(0, at(2))]), {
        kind: "hold",
      });
    case "endfalse":
      return streamedAnswer(turn, [
        ...opening,
        ...lives.slice(0, at(lives.length)),
        endEvent(ENDFALSE_RESULT),
      ]);
    case "malformed":
      return streamedAnswer(turn, withOddEvent("{not json"));
    case "notype":
      return streamedAnswer(turn, withOddEvent(phpJsonEncode({ data: "x" })));
    case "unknowntype":
      return streamedAnswer(turn, withOddEvent(phpJsonEncode({ type: "mystery", data: "x" })));
    case "bigevent":
      return bigEventAnswer(turn, fault.size ?? 8);
    case "huge":
      return hugeAnswer(turn, fault.size ?? 8);
    case "sseasjson":
      return sseUnderJsonType(turn);
    case "bom":
      return streamedAnswer(turn, answerEvents(turn), { bom: true });
    case "crlf":
      return streamedAnswer(turn, answerEvents(turn), { eol: "\r\n" });
    case "cr":
      return streamedAnswer(turn, answerEvents(turn), { eol: "\r" });
    case "comments":
      return streamedAnswer(turn, answerEvents(turn), { comments: true });
    case "fields":
      return streamedAnswer(turn, answerEvents(turn), { fields: true });
    // Chunked framing (as nginx, Apache or HTTP/2 hosts send it) cut inside a chunk after
    // n pieces: the client's read fails, unlike a clean close.
    case "chunkedcut":
      return chunkedCut(turn, [...opening, ...lives.slice(0, at(2))]);
    // Whole answers followed by trouble the answer must not suffer from.
    case "endcut":
      return chunkedCut(turn, [...opening, ...lives, end]);
    case "endhold":
      return withTail(streamedAnswer(turn, [...opening, ...lives, end]), { kind: "hold" });
    case "endgarbage":
      return streamedAnswer(turn, [...opening, ...lives, end, { data: "{not json", paced: true }]);
    // A piece and an error event in one write, then the connection stays open.
    case "errorhold":
      return withTail(
        streamedAnswer(turn, [...opening, {
          data: `${lives[0]!.data}\n\ndata: ${errorEvent(RATE_LIMIT_MESSAGE).data}`,
          paced: true,
        }]),
        { kind: "hold" },
      );
  }
  return null;
}

const RATE_LIMIT_MESSAGE =
  "FakeLLM: Error: Rate limit reached for fake-model (fake LLM). (rate_limit_exceeded) (requests)";

// The events in `Transfer-Encoding: chunked` framing (even from PHP's built-in server,
// which otherwise never chunks), then half of a declared chunk and a hang-up.
function* chunkedCut(turn: ChatTurn, events: SseEvent[]): Generator<AnswerStep> {
  yield { kind: "pause", ms: turn.headersDelayMs };
  yield { kind: "head", head: { ...turn.head("sse", 200), chunked: true } };
  yield* sseSteps(events, turn.pieceDelayMs);
  yield { kind: "write", data: '40\r\ndata: {"type":"live"' };
  yield { kind: "hangUp" };
}

const ENDFALSE_RESULT = {
  success: false,
  message: "FakeLLM: The answer could not be completed (fake LLM).",
};

function* withTail(steps: Iterable<AnswerStep>, tail: AnswerStep): Generator<AnswerStep> {
  yield* steps;
  yield tail;
}

// Non-streamed, a reset cuts the JSON in half (closed-delimited it still looks complete
// at the HTTP level; chunked, the last chunk is missing) and a stall never answers.
function jsonTransportFault(turn: ChatTurn, fault: FaultTrigger): Iterable<AnswerStep> | null {
  if (fault.name === "stall") return [{ kind: "hold" }];
  if (fault.name !== "reset") return null;
  const body = phpJsonEncode(finalResult(turn, replyOf(turn.pieces)));
  return [
    { kind: "pause", ms: turn.headersDelayMs },
    { kind: "head", head: turn.head("json", 200) },
    { kind: "flush", echoes: [body.slice(0, Math.floor(body.length / 2))] },
    { kind: "hangUp" },
  ];
}

// One `live` event of `mib` MiB of "x", written in 64 KiB pieces: a single SSE line
// far longer than any read chunk. The end's reply is left empty on purpose: this is a
// transport test, and a second multi-MiB line would only double its time.
function* bigEventAnswer(turn: ChatTurn, mib: number): Generator<AnswerStep> {
  yield { kind: "pause", ms: turn.headersDelayMs };
  yield { kind: "head", head: turn.head("sse", 200) };
  const event = new TextEncoder().encode(
    `data: ${liveEvent("x".repeat(Math.round(mib * MIB))).data}\n\n`,
  );
  for (let offset = 0; offset < event.length; offset += 64 * 1024) {
    yield { kind: "flush", echoes: [event.subarray(offset, offset + 64 * 1024)] };
  }
  yield* sseSteps([endEvent(finalResult(turn, ""))], 0);
}

// `mib` MiB of answer in 4 KiB `live` events, unpaced. Piece i is the digit i % 10
// repeated, so a reordered or dropped piece shows. The end's reply is empty on
// purpose: this is a transport test, and repeating megabytes in one line is not it.
function* hugeAnswer(turn: ChatTurn, mib: number): Generator<AnswerStep> {
  yield { kind: "pause", ms: turn.headersDelayMs };
  yield { kind: "head", head: turn.head("sse", 200) };
  const count = Math.ceil((mib * MIB) / 4096);
  const pieces = function* (): Generator<SseEvent> {
    for (let i = 0; i < count; i++) {
      yield { ...liveEvent(String(i % 10).repeat(4096)), paced: false };
    }
    yield endEvent(finalResult(turn, ""));
  };
  yield* sseSteps(pieces(), 0);
}

/**
 * The text `__fake:huge:<mib>` streams, for tests that check it arrived whole.
 *
 * @example
 * ```ts
 * import { hugeAnswerText } from "./transport_faults.ts";
 * hugeAnswerText(1).length; // 1048576
 * ```
 */
export function hugeAnswerText(mib: number): string {
  const count = Math.ceil((mib * MIB) / 4096);
  return Array.from({ length: count }, (_, i) => String(i % 10).repeat(4096)).join("");
}

// A normal SSE body, but under the REST server's own JSON Content-Type (the head is
// the one a non-streamed answer gets), like the plugin's too-long-message answer.
function* sseUnderJsonType(turn: ChatTurn): Generator<AnswerStep> {
  yield { kind: "pause", ms: turn.headersDelayMs };
  yield { kind: "head", head: turn.head("json", 200) };
  yield* sseSteps(answerEvents(turn), turn.pieceDelayMs);
}
