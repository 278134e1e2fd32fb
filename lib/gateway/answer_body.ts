import type { AnswerReader } from "../ai_engine/answer/answer_reader.ts";
import { BurstJoiner } from "./burst_joiner.ts";
import type { AnswerEncoder } from "./encoders/answer_encoder.ts";
import { CLIENT_CLOSED, errorCode, toHttpError } from "./http_error.ts";
import type { RequestLog } from "./request_log.ts";

const utf8 = new TextEncoder();

/** How long an SSE answer stays silent before a `: keep-alive` comment is written. */
export const KEEPALIVE_MS = 5_000;

/** How soon a second comment follows the first, so a departed client is noticed then. */
const KEEPALIVE_FOLLOW_UP_MS = 250;

/**
 * The body of a streamed answer: each read of the answer becomes one write of the face's
 * bytes, at once; the chunks of a burst are read as one ({@linkcode BurstJoiner}). This
 * is the only stream between the site's socket and the client's: it pulls (so a slow
 * client slows the reading of the site: backpressure), a failure after the first text is
 * said the face's way, and cancelling it (the client left) cancels the answer, which
 * aborts the upstream request. It counts its bytes into the request's log line itself,
 * so nothing else has to wrap it. An SSE face writes a `: keep-alive` comment when the
 * site has been silent for `keepAliveMs` (see `AnswerEncoder.keepAlive`). `now` is the
 * clock that tells a burst (tests set it).
 */
export function answerBody(
  source: AnswerReader,
  encoder: AnswerEncoder,
  log: RequestLog,
  keepAliveMs: number = KEEPALIVE_MS,
  now: () => number = Date.now,
): ReadableStream<Uint8Array> {
  const answer = new BurstJoiner(source, { now });
  let head = encoder.start;
  let lastWrite = Date.now();
  let waiting = false;
  let keepAlive: ReturnType<typeof setTimeout> | undefined;
  const send = (controller: ReadableStreamDefaultController<Uint8Array>, text: string) => {
    const bytes = utf8.encode(text);
    report.sent(bytes.byteLength);
    controller.enqueue(bytes);
    lastWrite = Date.now();
  };
  // While the site is silent and the client waits, a comment now and then (SSE faces).
  // workerd notices a departed client only when a write fails, and the first write after
  // it left still succeeds: a second comment shortly after the first finds out.
  const tick = (controller: ReadableStreamDefaultController<Uint8Array>, again = false) => {
    const left = lastWrite + keepAliveMs - Date.now();
    if (waiting && (left <= 0 || again)) {
      send(controller, encoder.keepAlive!);
      if (!again) {
        keepAlive = setTimeout(tick, KEEPALIVE_FOLLOW_UP_MS, controller, true);
        return;
      }
    }
    keepAlive = setTimeout(tick, left > 0 && !again ? left : keepAliveMs, controller);
  };
  const body = new ReadableStream<Uint8Array>({
    async pull(controller) {
      if (encoder.keepAlive !== null) keepAlive ??= setTimeout(tick, keepAliveMs, controller);
      try {
        waiting = true;
        const chunk = await answer.read();
        waiting = false;
        if (chunk === null) return finish(controller);
        log.answer.characters += chunk.text.length;
        if (chunk.finish) log.answer.tokens = chunk.finish.usage?.total_tokens ?? null;
        let text = head + (chunk.text === "" ? "" : encoder.text(chunk.text));
        head = "";
        if (chunk.finish) text += encoder.finish(chunk.finish);
        if (text !== "") send(controller, text);
        if (chunk.finish) finish(controller);
      } catch (error) {
        waiting = false;
        clearTimeout(keepAlive);
        const httpError = toHttpError(error);
        const code = errorCode(httpError);
        log.error = code;
        // A client that left reads nothing more: end quietly rather than print an error.
        if (code === CLIENT_CLOSED) return finish(controller);
        const said = encoder.failure(httpError);
        if (said !== null) {
          send(controller, said);
          return finish(controller);
        }
        // workerd turns a body that fails before it has sent the text read so far into a
        // bare 500 without that text: let one task pass, so the client gets 200, the text,
        // then the cut. The runtime prints the reason: the code, not the upstream's words.
        await new Promise((resolve) => setTimeout(resolve, 0));
        controller.error(`mwai-edge: the answer failed after it began (${code})`);
        report.end();
      }
    },
    cancel(reason) {
      clearTimeout(keepAlive);
      log.error ??= errorCode(reason);
      report.end();
      return answer.cancel(reason);
    },
  }, { highWaterMark: 0 });
  const report = log.reportBody(body);
  return body;

  function finish(controller: ReadableStreamDefaultController<Uint8Array>): void {
    clearTimeout(keepAlive);
    controller.close();
    report.end();
  }
}
