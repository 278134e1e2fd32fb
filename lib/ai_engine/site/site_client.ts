import { AiEngineError } from "../ai_engine_error.ts";
import type { SiteCredentials } from "./site_credentials.ts";
import { describeTransportFailure, isTimeout } from "./transport_failure.ts";
import {
  fetchClient,
  type UpstreamClient,
  type UpstreamResponse,
} from "../../http/upstream_client.ts";
import { VERSION } from "../../version.ts";

/** What every call to the site says it is, so a site owner can allow it past a WAF. */
export const USER_AGENT = `mwai-edge/${VERSION}`;

/** How a {@linkcode SiteClient} reaches the site. */
export interface SiteClientOptions {
  /** What carries the requests; `fetch` by default. */
  client?: UpstreamClient;
  /** Basic auth for the site's own origin (`AI_ENGINE_URL`'s userinfo), sent nowhere else. */
  credentials?: SiteCredentials | null;
  /** Limit on connecting to the site (TCP and TLS), in ms, for transports that bound it. */
  connectTimeoutMs?: number;
}

/** One call to the site: the request, its limit, and the words its failures are said in. */
export interface SiteCall {
  /** The request's method. */
  method: "GET" | "POST";
  /** Header names in lower case; `user-agent` and `authorization` are the client's to set. */
  headers: Record<string, string>;
  /** The request's body, if it has one. */
  body?: string | Uint8Array<ArrayBuffer>;
  /** The caller's abort (the client left): it stays an abort, never a classified failure. */
  signal?: AbortSignal;
  /** Limit on the wait for the answer's headers, connecting included, in ms. */
  headersTimeoutMs: number;
  /** The error when the headers did not come within `headersTimeoutMs`. */
  timedOut: () => AiEngineError;
  /** What was called, to start a sentence: `start_session`, `AI Engine`, `The nonce page`. */
  what: string;
  /** What could not be done, before a transport failure's words: `Could not reach AI Engine`. */
  failed: string;
  /** The setting that fixes a redirect; `AI_ENGINE_URL` by default. */
  check?: string;
  /** Told where a refused redirect pointed: its origin only, for the log. */
  onRedirect?: (status: number, origin: string | undefined) => void;
}

/**
 * The one way to the site for every call (start_session, the nonce page, submit, upload):
 * it says who calls (`User-Agent: mwai-edge/<version>`), brings the site's basic auth to
 * the site's own origin only, bounds the wait for the answer's headers, refuses redirects
 * (they would take the nonce, the credentials and the conversation to another host), and
 * says a transport failure once, in words of our own (`timeout`, `unreachable`), since a
 * runtime's messages quote URLs and header values.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { SiteClient } from "./site_client.ts";
 * import { AiEngineError } from "../ai_engine_error.ts";
 * const seen: Headers[] = [];
 * const site = new SiteClient({
 *   client: fetchClientOf((request) => seen.push(new Headers(request.headers))),
 * });
 * const response = await site.call("https://site.example/", {
 *   method: "GET",
 *   headers: {},
 *   headersTimeoutMs: 1000,
 *   timedOut: () => new AiEngineError("timeout", "Too slow"),
 *   what: "The page",
 *   failed: "Could not read the page",
 * });
 * assert.equal(response.status, 200);
 * assert.match(seen[0]!.get("user-agent")!, /^mwai-edge\//);
 *
 * function fetchClientOf(see: (request: { headers: Record<string, string> }) => void) {
 *   return (_url: string, request: { headers: Record<string, string> }) => {
 *     see(request);
 *     return Promise.resolve({
 *       status: 200,
 *       headers: new Headers(),
 *       body: { read: () => Promise.resolve(null), cancel: () => Promise.resolve() },
 *     });
 *   };
 * }
 * ```
 */
export class SiteClient {
  readonly #client: UpstreamClient;
  readonly #credentials: SiteCredentials | null;
  readonly #connectTimeoutMs: number | undefined;

  /** A client for one site; over `fetch` unless given another transport. */
  constructor(options: SiteClientOptions = {}) {
    this.#client = options.client ?? fetchClient((input, init) => fetch(input, init));
    this.#credentials = options.credentials ?? null;
    this.#connectTimeoutMs = options.connectTimeoutMs;
  }

  /**
   * Sends `call` to `url` and resolves with the answer once its headers came, unless it is
   * a redirect. Rejects with the caller's abort reason, with `timedOut()`, or with an
   * {@linkcode AiEngineError} (`timeout`, `unreachable`, `upstream_failed` for a redirect).
   */
  async call(url: string, call: SiteCall): Promise<UpstreamResponse> {
    const timeout = new AbortController();
    const timer = setTimeout(() => timeout.abort(), Math.max(0, call.headersTimeoutMs));
    const signal = call.signal ? AbortSignal.any([call.signal, timeout.signal]) : timeout.signal;
    let response: UpstreamResponse;
    try {
      response = await this.#client(url, {
        method: call.method,
        headers: this.#headers(url, call.headers),
        ...(call.body === undefined ? {} : { body: call.body }),
        signal,
        ...(this.#connectTimeoutMs === undefined
          ? {}
          : { connectTimeoutMs: this.#connectTimeoutMs }),
      });
    } catch (cause) {
      if (call.signal?.aborted) throw call.signal.reason;
      if (timeout.signal.aborted) throw call.timedOut();
      throw transportFailure(cause, call);
    } finally {
      clearTimeout(timer);
    }
    if (response.status >= 300 && response.status < 400) throw refused(url, response, call);
    return response;
  }

  #headers(url: string, headers: Record<string, string>): Record<string, string> {
    const all: Record<string, string> = { ...headers, "user-agent": USER_AGENT };
    const authorization = this.#credentials?.authorizationFor(url);
    if (authorization) all.authorization = authorization;
    return all;
  }
}

/**
 * Why no answer came, said once: a time-out (connecting), an answer in an encoding the
 * runtime cannot decode (named when the transport names it as a plain token), else the
 * site could not be reached, in words of our own.
 */
function transportFailure(cause: unknown, call: SiteCall): AiEngineError {
  if (cause instanceof AiEngineError) return cause;
  if (cause instanceof Error && cause.name === "UnsupportedContentEncoding") {
    const encoding = (cause as { encoding?: unknown }).encoding;
    const named = typeof encoding === "string" && /^[A-Za-z0-9_.-]{1,32}$/.test(encoding)
      ? ` (${encoding})`
      : "";
    return new AiEngineError(
      "upstream_failed",
      `${call.what} answered in a Content-Encoding this runtime cannot decode${named}`,
      { cause },
    );
  }
  return new AiEngineError(
    isTimeout(cause) ? "timeout" : "unreachable",
    `${call.failed}: ${describeTransportFailure(cause)}`,
    { cause },
  );
}

/**
 * A redirect, refused: its status goes to the client, where it pointed (its origin only:
 * a `Location` may carry userinfo or a token) to `onRedirect`, its body unread.
 */
function refused(url: string, response: UpstreamResponse, call: SiteCall): AiEngineError {
  response.body.cancel().catch(() => {});
  call.onRedirect?.(response.status, originOf(response.headers.get("location"), url));
  return new AiEngineError(
    "upstream_failed",
    `${call.what} answered ${response.status}, a redirect, which is not followed: ` +
      `check ${call.check ?? "AI_ENGINE_URL"}`,
    { upstreamStatus: response.status, retryable: false },
  );
}

/** The origin a `Location` names (relative to the request's URL), or undefined. */
function originOf(location: string | null, base: string): string | undefined {
  if (location === null) return undefined;
  try {
    return new URL(location, base).origin;
  } catch {
    return undefined;
  }
}
