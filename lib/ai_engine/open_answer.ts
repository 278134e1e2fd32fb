import { AiEngineError } from "./ai_engine_error.ts";
import type { AnswerReader } from "./answer/answer_reader.ts";
import type { AnswerChunk } from "./answer/events.ts";
import type { AiEngineSession } from "./session/ai_engine_session.ts";
import { deriveChatId } from "./chat_id.ts";
import { uploadFile } from "./file_upload.ts";
import { NONCE_REFUSED, readAnswer } from "./answer/submit_response.ts";
import {
  postSubmit,
  submitBody,
  type SubmitOptions,
  type SubmitRequest,
  type UpstreamTrace,
} from "./submit.ts";

/**
 * Asks AI Engine and resolves once the answer has begun: with its reader (its first
 * chunk already read, so a failure that comes before any text rejects here, in time for
 * a proper status), or with the classified {@linkcode AiEngineError}.
 *
 * Every call goes through the session's site client (`session.site`). A nonce the site
 * refuses (401/403 before anything was read) is refreshed once and the request sent again. Cancelling the reader, or aborting `options.signal`, aborts the
 * upstream request.
 *
 * @example
 * ```ts ignore
 * import { AiEngineSession } from "./session/ai_engine_session.ts";
 * import { openAnswer } from "./open_answer.ts";
 * const restUrl = "https://example.com/wp-json";
 * const answer = await openAnswer(new AiEngineSession({ restUrl }), {
 *   botId: "default",
 *   messages: [{ role: "user", content: "Hello" }],
 * }, { restUrl, timeoutMs: 120_000 });
 * for (let chunk = await answer.read(); chunk; chunk = await answer.read()) console.log(chunk.text);
 * ```
 */
export async function openAnswer(
  session: AiEngineSession,
  request: SubmitRequest,
  options: SubmitOptions,
  trace: UpstreamTrace = { status: null, events: 0 },
): Promise<AnswerReader> {
  // Asked first, so its round trip (start_session, on a fresh isolate) runs while the chat
  // id is hashed and files go up; the loop below joins it (or, if it failed already, asks
  // again).
  session.nonce().catch(() => {});
  const bot = request.customId ? `custom:${request.customId}` : request.botId;
  const chatId = request.chatId ?? await deriveChatId(bot, request.messages);
  const fileIds: string[] = [];
  for (const file of request.files ?? []) fileIds.push(await uploadFile(session, file, options));
  const body = submitBody({ ...request, chatId }, fileIds, options.sessionId);
  const renew = (nonce: string | null) => session.renew(nonce);
  for (let attempt = 1;; attempt++) {
    const nonce = await session.nonce();
    const response = await postSubmit(session.site, options, body, nonce, trace);
    session.renew(response.headers.get("x-wp-nonce"));
    const answer = await readAnswer(response, options, renew, trace);
    if (answer !== NONCE_REFUSED) return begun(answer, await answer.read());
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

/** `answer` with its first chunk, already read, given back first. */
function begun(answer: AnswerReader, first: AnswerChunk | null): AnswerReader {
  let pending: AnswerChunk | null | undefined = first;
  return {
    read() {
      if (pending === undefined) return answer.read();
      const chunk = pending;
      pending = undefined;
      return Promise.resolve(chunk);
    },
    cancel: (reason) => answer.cancel(reason),
  };
}
