/**
 * AI Engine answers as the bytes its site writes, for the stage benches: one `live`
 * event per TCP write (PHP's `echo` + `flush()` per token), then the `end` event.
 *
 * @module
 */
import { endEvent, liveEvent } from "../tests/emulator/sse_events.ts";

const encoder = new TextEncoder();

/**
 * The body of a streamed answer of `count` pieces of `text`, one chunk per event, as
 * the emulator writes it (same JSON encoding, same framing).
 *
 * @example
 * ```ts
 * import { answerChunks } from "./answer_bytes.ts";
 * const chunks = answerChunks("abcd", 2);
 * console.log(chunks.length); // 3: two live events and the end event
 * ```
 */
export function answerChunks(text: string, count: number): Uint8Array[] {
  const live = encoder.encode(`data: ${liveEvent(text).data}\n\n`);
  const chunks: Uint8Array[] = Array.from({ length: count }, () => live);
  const end = endEvent({
    success: true,
    reply: text.repeat(count).trim(),
    usage: { prompt_tokens: 3, completion_tokens: count, total_tokens: count + 3 },
  });
  chunks.push(encoder.encode(`data: ${end.data}\n\n`));
  return chunks;
}
