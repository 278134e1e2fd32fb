import type { AiEngineSession } from "../ai_engine/session/ai_engine_session.ts";

/** The start of the line {@linkcode warmSession} writes, whatever came of it. */
export const WARM_LINE = "Asked the site for its nonce at start-up";

/**
 * Asks the site for its nonce now, in the background, so the first answer finds it at
 * hand and a connection to the site already open (the runtime keeps it): a fresh
 * process's first answer then waits for neither. It is done at start-up on Deno, where
 * the environment is read at once; on Workers a fresh isolate first runs for a request,
 * and the answer asks as early as it can (`openAnswer`).
 *
 * One line says what came of it, for whoever starts the gateway: how long the site took,
 * or why it could not be asked (a warning; the first answer asks again, and says the
 * failure to its client if it persists).
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { AiEngineSession } from "../ai_engine/session/ai_engine_session.ts";
 * import { warmSession } from "./warm_session.ts";
 * const session = new AiEngineSession({
 *   restUrl: "https://site.example/wp-json",
 *   fetch: () => Promise.resolve(Response.json({ success: true, restNonce: "a1b2c3" })),
 * });
 * const lines: string[] = [];
 * await warmSession(session, (line) => lines.push(line));
 * assert.match(JSON.parse(lines[0]!).message, /nonce at start-up: ready in \d+ ms/);
 * assert.equal(await session.nonce(), "a1b2c3");
 * ```
 */
export async function warmSession(
  session: AiEngineSession,
  write: (line: string) => void,
): Promise<void> {
  const started = performance.now();
  try {
    const nonce = await session.nonce();
    const ms = Math.round(performance.now() - started);
    const outcome = nonce === null ? `the site needs none (${ms} ms)` : `ready in ${ms} ms`;
    write(JSON.stringify({ level: "info", message: `${WARM_LINE}: ${outcome}` }));
  } catch (error) {
    // The session's failures are classified and never quote the URL or its credentials.
    const why = error instanceof Error ? error.message : "it failed";
    const message = `${WARM_LINE}: ${why}; the first answer asks again`;
    write(JSON.stringify({ level: "warn", message }));
  }
}
