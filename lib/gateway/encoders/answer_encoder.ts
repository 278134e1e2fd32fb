import type { AnswerFinish } from "../../ai_engine/answer/events.ts";
import type { HttpError } from "../http_error.ts";

/**
 * How one face writes an answer on the wire, as text: what comes before the first piece,
 * each piece of text, the end, and a failure after the answer began. The answer body
 * (`answer_body.ts`) encodes what one read brought to UTF-8 once, whatever the face.
 */
export interface AnswerEncoder {
  /** What precedes the first piece of text (OpenAI's first chunk, with the role). */
  start: string;
  /** A piece of the answer's text. */
  text(text: string): string;
  /** The end of a complete answer. */
  finish(finish: AnswerFinish): string;
  /**
   * The failure said in band, or `null` when the body must instead end abnormally so
   * that the client's read rejects (plain text has no way to say it).
   */
  failure(error: HttpError): string | null;
  /**
   * What may be written while the site is silent, meaning nothing (an SSE comment), or
   * `null` for a face that has no such thing. Writing it is how a runtime that only
   * notices a departed client when it writes (workerd) finds out in time.
   */
  keepAlive: string | null;
}
