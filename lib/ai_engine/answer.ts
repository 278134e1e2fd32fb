import { AiEngineError } from "./ai_engine_error.ts";
import type { AnswerPart } from "./events.ts";
import type { AiEngineSession } from "./session.ts";
import { NONCE_REFUSED, readAnswer } from "./read_answer.ts";
import {
  postSubmit,
  submitBody,
  type SubmitOptions,
  type SubmitRequest,
  type UpstreamTrace,
} from "./submit.ts";
import { peek } from "../streams/peek.ts";

/**
 * Asks AI Engine and resolves once the answer has begun: with the stream of answer
 * parts (its first part already read, so a failure that comes before any text rejects
 * here, in time for a proper status), or with the classified {@linkcode AiEngineError}.
 *
 * A nonce the site refuses (401/403 before anything was read) is refreshed once and the
 * request sent again. Cancelling the returned stream, or aborting `options.signal`,
 * aborts the upstream request.
 *
 * @example
 * ```ts ignore
 * import { AiEngineSession } from "./session.ts";
 * import { openAnswer } from "./answer.ts";
 * const restUrl = "https://example.com/wp-json";
 * const parts = await openAnswer(new AiEngineSession({ restUrl }), {
 *   botId: "default",
 *   messages: [{ role: "user", content: "Hello" }],
 * }, { restUrl, fetch, timeoutMs: 30_000 });
 * for await (const part of parts) if (part.type === "text") console.log(part.text);
 * ```
 */
export async function openAnswer(
  session: AiEngineSession,
  request: SubmitRequest,
  options: SubmitOptions,
  trace: UpstreamTrace = { status: null, events: 0 },
): Promise<ReadableStream<AnswerPart>> {
  const body = submitBody(request);
  const renew = (nonce: string | null) => session.renew(nonce);
  for (let attempt = 1;; attempt++) {
    const nonce = await session.nonce();
    const response = await postSubmit(options, body, nonce);
    session.renew(response.headers.get("x-wp-nonce"));
    const parts = await readAnswer(response, options, renew, trace);
    if (parts !== NONCE_REFUSED) return (await peek(parts)).stream;
    session.refuse(nonce);
    if (attempt === 2) {
      throw new AiEngineError(
        "nonce_refused",
        `AI Engine refused a fresh nonce too (${response.status})`,
        { upstreamStatus: response.status },
      );
    }
  }
}
