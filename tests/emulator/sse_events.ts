/**
 * AI Engine's server-sent events as 3.6.2 writes them, and the framing variants a client
 * must also read (CRLF, CR, BOM, comments, extra fields). `stream_push` echoes the
 * `data: <json>` line and the `"\n\n"` that ends the event separately, then flushes:
 * behind Apache each echo is its own HTTP chunk (recording ai-engine-3.6.2-apache/d-stream).
 *
 * @module
 */

import type { AnswerStep } from "./answer_plan.ts";
import { phpJsonEncode } from "./php_json.ts";

/** One SSE event: its `data:` payload and whether the model takes time to write it. */
export interface SseEvent {
  data: string;
  paced: boolean;
}

/**
 * A `live` event carrying a piece of answer text; the model takes time to write it.
 *
 * @example
 * ```ts
 * import { liveEvent } from "./sse_events.ts";
 * liveEvent("Прив").data; // '{"type":"live","data":"\u041f\u0440\u0438\u0432"}'
 * ```
 */
export function liveEvent(text: string): SseEvent {
  return { data: phpJsonEncode({ type: "live", data: text }), paced: true };
}

/**
 * The `end` event: its `data` is the final object encoded a second time, as a string.
 *
 * @example
 * ```ts
 * import { endEvent } from "./sse_events.ts";
 * endEvent({ success: true }).data; // '{"type":"end","data":"{\"success\":true}"}'
 * ```
 */
export function endEvent(result: Record<string, unknown>): SseEvent {
  return { data: phpJsonEncode({ type: "end", data: phpJsonEncode(result) }), paced: false };
}

/**
 * An `error` event, the plugin's way to fail once streaming has begun.
 *
 * @example
 * ```ts
 * import { errorEvent } from "./sse_events.ts";
 * errorEvent("Nope").data; // '{"type":"error","data":"Nope"}'
 * ```
 */
export function errorEvent(message: string): SseEvent {
  return { data: phpJsonEncode({ type: "error", data: message }), paced: false };
}

/**
 * The first event when the admin turned event logs on (recording d4): a `live` event
 * with `subtype: "status"`, which is not answer text.
 *
 * @example
 * ```ts
 * import { statusEvent } from "./sse_events.ts";
 * JSON.parse(statusEvent("chatcmpl-emu0001").data).subtype; // "status"
 * ```
 */
export function statusEvent(responseId: string): SseEvent {
  const timestamp = Math.round((performance.timeOrigin + performance.now()) * 1000) / 1e6;
  return {
    data: phpJsonEncode({
      type: "live",
      data: "Starting stream...",
      timestamp,
      subtype: "status",
      visibility: "collapsed",
      metadata: { model: "fake-model", id: responseId },
    }),
    paced: false,
  };
}

/** How events are framed on the wire; the plugin itself uses none of these options. */
export interface SseFraming {
  eol?: "\n" | "\r\n" | "\r";
  bom?: boolean;
  /** `: ping` comment blocks between events. */
  comments?: boolean;
  /** `retry:` and `id:` fields before each `data:` line. */
  fields?: boolean;
}

/**
 * The wire steps of a streamed answer: the pause the model takes before each paced
 * event, then each event as one flush of two echoes, its line and the blank line.
 *
 * @example
 * ```ts
 * import { liveEvent, sseSteps } from "./sse_events.ts";
 * [...sseSteps([liveEvent("hi")], 0)];
 * // [{ kind: "pause", ms: 0 },
 * //  { kind: "flush", echoes: ['data: {"type":"live","data":"hi"}', "\n\n"] }]
 * ```
 */
/**
 * A silence in the middle of an answer, after `afterPieces` pieces: the model calls a
 * hosted tool (web search, code interpreter, an MCP server) and the site sends nothing.
 */
export interface MidAnswerPause {
  afterPieces: number;
  ms: number;
}

export function* sseSteps(
  events: Iterable<SseEvent>,
  pieceDelayMs: number,
  framing: SseFraming = {},
  midAnswerPause: MidAnswerPause | null = null,
): Generator<AnswerStep> {
  const eol = framing.eol ?? "\n";
  let first = true;
  let paced = 0;
  for (const event of events) {
    if (event.paced && paced++ === midAnswerPause?.afterPieces) {
      yield { kind: "pause", ms: midAnswerPause.ms };
    }
    if (event.paced) yield { kind: "pause", ms: pieceDelayMs };
    if (framing.comments && !first) yield { kind: "flush", echoes: [`: ping${eol}${eol}`] };
    const bom = framing.bom && first ? "\uFEFF" : "";
    const fields = framing.fields ? `retry: 1000${eol}id: 7${eol}` : "";
    yield { kind: "flush", echoes: [`${bom}${fields}data: ${event.data}`, `${eol}${eol}`] };
    first = false;
  }
}
