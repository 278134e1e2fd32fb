/**
 * AI Engine answers as a `fetch` body reader gets them from its site, for the stage
 * benches: behind Apache (most sites, and the emulator's default framing) each event is
 * two reads, the `data:` line and the blank line (recording ai-engine-3.6.2-apache), then
 * the `end` event; `whole` gives one read per event, as PHP's built-in server sends them.
 *
 * @module
 */
import { endEvent, liveEvent } from "../tests/emulator/sse_events.ts";

const encoder = new TextEncoder();
const BLANK_LINE = encoder.encode("\n\n");

/**
 * The body of a streamed answer of `count` pieces of `text`, as the reads a client gets
 * (same JSON encoding as the emulator).
 *
 * @example
 * ```ts
 * import { answerChunks } from "./answer_bytes.ts";
 * console.log(answerChunks("abcd", 2).length); // 6: two live events and the end, two reads each
 * console.log(answerChunks("abcd", 2, "whole").length); // 3
 * ```
 */
export function answerChunks(
  text: string,
  count: number,
  reads: "apache" | "whole" = "apache",
): Uint8Array[] {
  const end = endEvent({
    success: true,
    reply: text.repeat(count).trim(),
    usage: { prompt_tokens: 3, completion_tokens: count, total_tokens: count + 3 },
  });
  const events = [...Array.from({ length: count }, () => liveEvent(text)), end];
  const live = eventReads(events[0]!.data, reads);
  return events.flatMap((event, i) => i < count ? live : eventReads(event.data, reads));
}

function eventReads(data: string, reads: "apache" | "whole"): Uint8Array[] {
  if (reads === "whole") return [encoder.encode(`data: ${data}\n\n`)];
  return [encoder.encode(`data: ${data}`), BLANK_LINE];
}
