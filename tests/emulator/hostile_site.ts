/**
 * A hostile or broken site (issue 13): values where a nonce belongs that are no nonce,
 * redirects, whitespace before the first event, answers that never end, absurd token
 * counts. Each is asked for with `__fake:<name>[:<n>]` in the message, like the other
 * faults, or, for start_session, with the emulator's options.
 *
 * @module
 */

import type { AnswerStep } from "./answer_plan.ts";
import {
  type ChatTurn,
  finalResult,
  openingEvents,
  replyOf,
  streamedAnswer,
} from "./chat_answer.ts";
import type { FaultTrigger } from "./faults.ts";
import { endEvent, liveEvent, type SseEvent, sseSteps, statusEvent } from "./sse_events.ts";
import { statusLine } from "./wordpress_wire.ts";

/**
 * What a site may hand out as `new_token` or `restNonce` (JSON can carry anything), each
 * marked `EVIL` so a test can look for it: CR/LF, NUL, non-Latin-1, 100 KB.
 */
export const HOSTILE_NONCES: readonly string[] = [
  "EVIL0c0de\r\nX-Injected: 1",
  "EVIL\u0000nonce",
  "EVIL-nonce-é€😀",
  "EVIL".repeat(25_600),
];

/**
 * What a site may send as an `X-WP-Nonce` header: a head cannot carry CR, LF or NUL, but
 * spaces, quotes, UTF-8 bytes (here none in 0x80–0x9f) and length it can.
 */
export const HOSTILE_HEADER_NONCES: readonly string[] = [
  "EVIL nonce",
  'EVIL";a=b',
  "EVIL-éü",
  "EVIL".repeat(1024),
];

/** Where the emulator's redirects point unless told otherwise: a host that does not exist. */
export const DEFAULT_REDIRECT_TARGET = "http://elsewhere.invalid/wp-json/mwai-ui/v1/chats/submit";

/**
 * A web server's redirect (an `http:` → `https:` or `www` rule), before WordPress runs:
 * `status` with `Location: target`, an empty body, and the connection closed.
 *
 * @example
 * ```ts
 * import { redirectAnswer } from "./hostile_site.ts";
 * const [step] = redirectAnswer(307, "https://elsewhere.example/");
 * step.kind; // "write"
 * ```
 */
export function redirectAnswer(status: number, target: string): AnswerStep[] {
  const head = [
    statusLine(status),
    `Date: ${new Date().toUTCString()}`,
    "Server: Apache/2.4.71 (Debian)",
    `Location: ${target}`,
    "Content-Length: 0",
    "Connection: close",
    "Content-Type: text/html; charset=iso-8859-1",
  ];
  return [{ kind: "write", data: `${head.join("\r\n")}\r\n\r\n` }];
}

/** The emoji of the default answer cut between its two UTF-16 halves, as two events. */
const SPLIT_EMOJI_PIECES = ["Прив", "ет, ", "мир! \ud83d", "\udc4b The answer", " is ", "42."];

/** How often a site that never finishes sends its next comment or event, in ms. */
const TRICKLE_MS = 200;

/**
 * The answer for a hostile-site fault, or null when `fault.name` is none of them.
 *
 * @example
 * ```ts ignore
 * import { hostileAnswer } from "./hostile_site.ts";
 * const steps = hostileAnswer(turn, { name: "pings", size: undefined });
 * ```
 */
export function hostileAnswer(turn: ChatTurn, fault: FaultTrigger): Iterable<AnswerStep> | null {
  switch (fault.name) {
    case "badtoken": {
      const newToken = HOSTILE_NONCES[fault.size ?? 0] ?? HOSTILE_NONCES[0]!;
      return streamedAnswer({ ...turn, newToken }, events({ ...turn, newToken }));
    }
    case "blanks":
      return blanksFirst(turn, fault.size ?? 1);
    case "pings":
      return forever(turn, [], () => ({ kind: "flush", echoes: [": ping\n\n"] }));
    case "statusloop":
      return forever(turn, [], () => sseFlush(statusEvent(turn.responseId)));
    case "trickle":
      return forever(turn, turn.pieces, () => sseFlush(statusEvent(turn.responseId)));
    case "splitemoji":
      return streamedAnswer(turn, events({ ...turn, pieces: SPLIT_EMOJI_PIECES }));
    case "badusage":
      return streamedAnswer(turn, [
        ...openingEvents(turn),
        ...turn.pieces.map(liveEvent),
        endEvent({
          ...finalResult(turn, replyOf(turn.pieces)),
          usage: { prompt_tokens: 1e308, completion_tokens: -5, total_tokens: "12", price: -1 },
        }),
      ]);
  }
  return null;
}

/** The `X-WP-Nonce` a `__fake:badheader:<n>` answer carries instead of the nonce, or null. */
export function hostileHeaderNonce(fault: FaultTrigger | null): string | null {
  if (fault?.name !== "badheader") return null;
  return HOSTILE_HEADER_NONCES[fault.size ?? 0] ?? HOSTILE_HEADER_NONCES[0]!;
}

function events(turn: ChatTurn): SseEvent[] {
  return [
    ...openingEvents(turn),
    ...turn.pieces.map(liveEvent),
    endEvent(finalResult(turn, replyOf(turn.pieces))),
  ];
}

function sseFlush(event: SseEvent): AnswerStep {
  return { kind: "flush", echoes: [`data: ${event.data}`, "\n\n"] };
}

// `mib` MiB of blank lines, in 64 KiB writes, then the whole normal answer.
function* blanksFirst(turn: ChatTurn, mib: number): Generator<AnswerStep> {
  yield { kind: "pause", ms: turn.headersDelayMs };
  yield { kind: "head", head: turn.head("sse", 200) };
  const blanks = new Uint8Array(64 * 1024).fill(0x0a);
  for (let left = Math.round(mib * 1024 * 1024); left > 0; left -= blanks.length) {
    yield { kind: "flush", echoes: [blanks.subarray(0, Math.min(left, blanks.length))] };
  }
  yield* sseSteps(events(turn), turn.pieceDelayMs);
}

// The head, `pieces` one every TRICKLE_MS, then `next()` every TRICKLE_MS until the
// client gives up: a site that is never silent long enough to time out, and never ends.
function* forever(
  turn: ChatTurn,
  pieces: string[],
  next: () => AnswerStep,
): Generator<AnswerStep> {
  yield { kind: "pause", ms: turn.headersDelayMs };
  yield { kind: "head", head: turn.head("sse", 200) };
  for (const piece of pieces) {
    yield { kind: "pause", ms: TRICKLE_MS };
    yield sseFlush(liveEvent(piece));
  }
  for (;;) {
    yield { kind: "pause", ms: TRICKLE_MS };
    yield next();
  }
}
