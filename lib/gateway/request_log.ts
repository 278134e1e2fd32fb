import type { UpstreamTrace } from "../ai_engine/submit.ts";
import { errorCode, type HttpError } from "./http_error.ts";

/** One request's log line: what happened, never what was said, never a key. */
export interface LogLine {
  /** When the response ended, ISO 8601. */
  time: string;
  /** The request's method. */
  method: string;
  /** The request's path (at most 200 characters). */
  route: string;
  /** The `x-request-id` the response carries (the client's, or one made for it). */
  request_id: string | null;
  /** The status sent. */
  status: number;
  /** The site's status for the submit, or null when none was asked. */
  upstream_status: number | null;
  /** From the request to the first byte of the response body, in ms. */
  ttfb_ms: number | null;
  /** From sending the submit to the site's answer headers, in ms, when the site was asked. */
  site_ms?: number;
  /** From the request to the answer's first text, ready to send, in ms, when it came. */
  first_text_ms?: number;
  /** From the request to the end of the response body, in ms. */
  duration_ms: number;
  /** Bytes of response body sent. */
  bytes: number;
  /** The site's events read. */
  events: number;
  /** The failure's code (`upstream_timeout`, `client_closed`, ...), or null. */
  error: string | null;
  /** For an internal error only: its name and message, to diagnose it. */
  detail?: string;
  /** Present when the site's final reply differed from the text it streamed. */
  reply_differs?: true;
  /** The origin a redirect from the site pointed to (never followed), to fix `AI_ENGINE_URL`. */
  redirect_to?: string;
  /** Present when the limits' store could not answer and the request passed unchecked. */
  limits_unavailable?: true;
}

/**
 * Collects the facts of one request and writes them as one JSON line when the response
 * body has been sent (or abandoned), so streamed answers are logged with their real
 * duration, size and outcome.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { RequestLog } from "./request_log.ts";
 * const lines: string[] = [];
 * const log = new RequestLog("POST", "/api/chat", (line) => lines.push(line));
 * await log.track(new Response("hello")).text();
 * const line = JSON.parse(lines[0]!);
 * assert.deepEqual([line.route, line.status, line.bytes], ["/api/chat", 200, 5]);
 * ```
 */
export class RequestLog {
  /** Filled in by the AI Engine client as the upstream exchange happens. */
  readonly upstream: UpstreamTrace = { status: null, events: 0 };
  /** The failure's code, once known. */
  error: string | null = null;
  /** Set for internal errors only (see {@linkcode LogLine.detail}). */
  detail: string | null = null;
  /** What the answer sent cost, as the face counted it: its characters, the site's tokens. */
  readonly answer: { characters: number; tokens: number | null } = { characters: 0, tokens: null };
  /** Set when the limits' store was down and the request passed unchecked (fail open). */
  limitsUnavailable = false;
  #onEnd: ((line: LogLine) => void)[] = [];
  #start = performance.now();
  #firstText: number | null = null;
  #body: { stream: ReadableStream; bytes: number; ttfb: number | null; ended: boolean } | null =
    null;
  #status: number | null = null;
  #method: string;
  #route: string;
  #write: (line: string) => void;
  #requestId: string | null;

  /** A log for one request; `write` takes the finished line. */
  constructor(
    method: string,
    route: string,
    write: (line: string) => void,
    requestId: string | null = null,
  ) {
    this.#method = method;
    this.#route = route;
    this.#write = write;
    this.#requestId = requestId;
  }

  /** The request failed with `error`: its code, and for an internal error what it was. */
  failed(error: HttpError): void {
    this.error = errorCode(error);
    const cause = error.cause;
    if (error.code === "internal_error" && cause instanceof Error) {
      this.detail = `${cause.name}: ${cause.message}`.slice(0, 300);
    }
  }

  /**
   * Returns the response with its body counted; logs when the body ends. A response whose
   * body will not be sent (a HEAD request's) is logged at once.
   */
  track(response: Response, sendsBody = true): Response {
    if (this.#body && sendsBody && response.body === this.#body.stream) {
      // The body counts itself (see `reportBody`): it is logged when it ends.
      this.#status = response.status;
      if (this.#body.ended) this.#finish(response.status, this.#body.bytes, this.#body.ttfb);
      return response;
    }
    if (!response.body || !sendsBody) {
      this.#finish(response.status, 0, null);
      return response;
    }
    let bytes = 0;
    let ttfb: number | null = null;
    const counter = new TransformStream<Uint8Array, Uint8Array>({
      transform: (chunk, controller) => {
        ttfb ??= performance.now() - this.#start;
        bytes += chunk.byteLength;
        controller.enqueue(chunk);
      },
      flush: () => this.#finish(response.status, bytes, ttfb),
      cancel: (reason) => {
        this.error ??= errorCode(reason);
        this.#finish(response.status, bytes, ttfb);
      },
    });
    return new Response(response.body.pipeThrough(counter), response);
  }

  /**
   * For a body that counts what it sends itself (a streamed answer, `answer_body.ts`):
   * `track` then leaves the response as it is, with no stream around its body, and the
   * line is written when the body says it ended.
   */
  reportBody(stream: ReadableStream): { sent(bytes: number): void; end(): void } {
    const body = this.#body = {
      stream,
      bytes: 0,
      ttfb: null as number | null,
      ended: false as boolean,
    };
    return {
      sent: (bytes) => {
        body.ttfb ??= performance.now() - this.#start;
        body.bytes += bytes;
      },
      end: () => {
        if (body.ended) return;
        body.ended = true;
        if (this.#status !== null) this.#finish(this.#status, body.bytes, body.ttfb);
      },
    };
  }

  /** The answer's first text is ready to send: now is its time for `Server-Timing`. */
  firstTextReady(): void {
    this.#firstText ??= performance.now() - this.#start;
  }

  /**
   * The `Server-Timing` value for the response's head, or null when the site was not
   * asked: the site's time to its answer headers (`site`), and the gateway's time to the
   * first text (`first-text`), so a slow site tells itself apart from a slow gateway.
   */
  serverTiming(): string | null {
    const metrics: string[] = [];
    const site = this.upstream.siteHeadersMs;
    if (site !== undefined) metrics.push(`site;dur=${round(site)}`);
    if (this.#firstText !== null) metrics.push(`first-text;dur=${round(this.#firstText)}`);
    return metrics.length === 0 ? null : metrics.join(", ");
  }

  /** Calls `listener` once the response has ended (or was abandoned), with its line. */
  onEnd(listener: (line: LogLine) => void): void {
    this.#onEnd.push(listener);
  }

  #finish(status: number, bytes: number, ttfb: number | null): void {
    const line: LogLine = {
      time: new Date().toISOString(),
      method: this.#method,
      route: this.#route,
      request_id: this.#requestId,
      status,
      upstream_status: this.upstream.status,
      ttfb_ms: ttfb === null ? null : round(ttfb),
      ...(this.upstream.siteHeadersMs === undefined
        ? {}
        : { site_ms: round(this.upstream.siteHeadersMs) }),
      ...(this.#firstText === null ? {} : { first_text_ms: round(this.#firstText) }),
      duration_ms: round(performance.now() - this.#start),
      bytes,
      events: this.upstream.events,
      error: this.error,
    };
    if (this.detail) line.detail = this.detail;
    if (this.upstream.replyDiffers) line.reply_differs = true;
    if (this.upstream.redirectOrigin) line.redirect_to = this.upstream.redirectOrigin;
    if (this.limitsUnavailable) line.limits_unavailable = true;
    this.#write(JSON.stringify(line));
    for (const listener of this.#onEnd.splice(0)) listener(line);
  }
}

function round(ms: number): number {
  return Math.round(ms * 10) / 10;
}
