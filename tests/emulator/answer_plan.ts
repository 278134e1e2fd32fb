/**
 * An answer as a list of wire steps (write these bytes, wait, go silent, hang up),
 * so that each normal answer and each fault is a plain generator and one runner
 * puts them on the wire.
 *
 * @module
 */

import type { HttpExchange } from "./http_exchange.ts";

/** One thing the emulated site does on the wire. */
export type AnswerStep =
  /** One TCP write, flushed at once, like PHP's `echo` + `flush()`. */
  | { kind: "write"; data: string | Uint8Array }
  /** The model (or PHP) takes this long before the next step. */
  | { kind: "pause"; ms: number }
  /** Silence until the client gives up. */
  | { kind: "hold" }
  /** Hang up now, mid-answer, with nothing to mark the end. */
  | { kind: "hangUp" };

/** An answer: steps run in order, then the connection is closed. */
export type AnswerPlan = Iterable<AnswerStep>;

/** How an answer ended: all sent (or hung up on purpose), client gone, or emulator closing. */
export type AnswerOutcome = "complete" | "aborted" | "shutdown";

/**
 * Runs a plan on an exchange and tells how it ended. The caller closes the exchange.
 *
 * @example
 * ```ts ignore
 * import { runAnswer } from "./answer_plan.ts";
 * const outcome = await runAnswer(exchange, [
 *   { kind: "write", data: "HTTP/1.1 200 OK\r\nConnection: close\r\n\r\n" },
 *   { kind: "pause", ms: 10 },
 *   { kind: "write", data: "hello" },
 * ], shutdown.signal);
 * ```
 */
export async function runAnswer(
  exchange: HttpExchange,
  plan: AnswerPlan,
  shutdown: AbortSignal,
): Promise<AnswerOutcome> {
  const interrupted = (): AnswerOutcome => shutdown.aborted ? "shutdown" : "aborted";
  for (const step of plan) {
    switch (step.kind) {
      case "write":
        if (!(await exchange.write(step.data))) return interrupted();
        break;
      case "pause":
        if (!(await exchange.pause(step.ms))) return interrupted();
        break;
      case "hold":
        await exchange.hold();
        return interrupted();
      case "hangUp":
        return "complete";
    }
  }
  return "complete";
}
