/**
 * An answer as a list of wire steps (PHP's head, its flushed output, a wait, silence, a
 * hang-up), so that each normal answer and each fault is a plain generator and one runner
 * puts them on the wire, in the site's framing.
 *
 * @module
 */

import { type AnswerContext, AnswerWire } from "./answer_wire.ts";
import type { HttpExchange } from "./http_exchange.ts";
import type { PhpHead } from "./site_framing.ts";

/** One thing the emulated site does on the wire. */
export type AnswerStep =
  /** PHP's status and headers; the web server frames them (see `site_framing.ts`). */
  | { kind: "head"; head: PhpHead }
  /** One PHP `flush()` of these `echo`s: one TCP write, framed by the web server. */
  | { kind: "flush"; echoes: (string | Uint8Array)[] }
  /** Bytes written as they are, past any framing: one TCP write. */
  | { kind: "write"; data: string | Uint8Array }
  /** The model (or PHP) takes this long before the next step. */
  | { kind: "pause"; ms: number }
  /** Silence until the client gives up. */
  | { kind: "hold" }
  /** Hang up now, mid-answer, with nothing to mark the end (no last chunk either). */
  | { kind: "hangUp" };

/** An answer: steps run in order, then the body is ended as the framing ends it. */
export type AnswerPlan = Iterable<AnswerStep>;

/** How an answer ended: all sent (or hung up on purpose), client gone, or emulator closing. */
export type AnswerOutcome = "complete" | "aborted" | "shutdown";

/** How an answer ended, and whether its connection may carry another request. */
export interface AnswerResult {
  outcome: AnswerOutcome;
  keepAlive: boolean;
}

/**
 * Runs a plan on an exchange and tells how it ended. The caller closes the exchange
 * unless `keepAlive`.
 *
 * @example
 * ```ts ignore
 * import { runAnswer } from "./answer_plan.ts";
 * const { outcome } = await runAnswer(exchange, [
 *   { kind: "head", head: { status: 200, headers: [["Content-Type", "text/plain"]] } },
 *   { kind: "pause", ms: 10 },
 *   { kind: "flush", echoes: ["hello"] },
 * ], shutdown.signal, { framing: "apache", host: "127.0.0.1", requestHeaders: new Headers(), served: 0 });
 * ```
 */
export async function runAnswer(
  exchange: HttpExchange,
  plan: AnswerPlan,
  shutdown: AbortSignal,
  context: AnswerContext,
): Promise<AnswerResult> {
  const wire = new AnswerWire(exchange, context);
  try {
    return await runSteps(wire, exchange, plan, shutdown);
  } finally {
    wire.release();
  }
}

async function runSteps(
  wire: AnswerWire,
  exchange: HttpExchange,
  plan: AnswerPlan,
  shutdown: AbortSignal,
): Promise<AnswerResult> {
  const stopped = (): AnswerResult => ({
    outcome: shutdown.aborted ? "shutdown" : "aborted",
    keepAlive: false,
  });
  for (const step of plan) {
    switch (step.kind) {
      case "head":
        if (!(await wire.head(step.head))) return stopped();
        break;
      case "flush":
        if (!(await wire.flush(step.echoes))) return stopped();
        break;
      case "write":
        if (!(await wire.raw(step.data))) return stopped();
        break;
      case "pause":
        if (!(await wire.beforePause()) || !(await exchange.pause(step.ms))) return stopped();
        break;
      case "hold":
        await wire.beforeSilence();
        await exchange.hold();
        return stopped();
      case "hangUp":
        await wire.beforeSilence();
        return { outcome: "complete", keepAlive: false };
    }
  }
  await wire.finish();
  return { outcome: "complete", keepAlive: wire.keepAlive && !exchange.peerLeft };
}
