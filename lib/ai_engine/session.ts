import { AiEngineError } from "./ai_engine_error.ts";
import { isRecord } from "../util/is_record.ts";
import { readText } from "./json_answer.ts";
import { DEFAULT_TIMEOUT_MS, restRoute } from "./site.ts";
import { tryParseJson } from "../util/try_parse_json.ts";
import { fetchPageNonce } from "./page_nonce.ts";

/** More than any start_session answer (about 70 characters), less than a page. */
const START_SESSION_MAX_CHARS = 64 * 1024;

/**
 * What a nonce may be before it becomes an `X-WP-Nonce` header: WordPress makes 10 hex
 * digits (`wp_create_nonce`); plugins that filter nonces stay within short tokens of
 * letters, digits, `_` and `-`. Anything else a site hands out is refused unseen.
 */
const NONCE_PATTERN = /^[A-Za-z0-9_-]{1,64}$/;

/**
 * Whether `value` can be a WordPress REST nonce: 1 to 64 letters, digits, `_` or `-`.
 * Only such a value is ever stored or sent; it can neither break a header nor carry one.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { isNonce } from "./session.ts";
 * assert.ok(isNonce("55b8d074d1"));
 * assert.ok(!isNonce("abc\r\nX-Evil: 1"));
 * ```
 */
export function isNonce(value: unknown): value is string {
  return typeof value === "string" && NONCE_PATTERN.test(value);
}

/** How an {@linkcode AiEngineSession} reaches the site. */
export interface AiEngineSessionOptions {
  /** The REST root, e.g. `https://example.com/wp-json` or `https://example.com/?rest_route=`. */
  restUrl: string;
  /** A fixed nonce to start with (`AI_ENGINE_NONCE`); `start_session` is then not called until it fails. */
  nonce?: string | null;
  /** The fetch to use; the global one by default. */
  fetch?: typeof fetch;
  /**
   * A page that shows the chatbot, where AI Engine 2.0.1–2.4.3 (no `start_session`, yet a
   * nonce check) prints the nonce (`AI_ENGINE_NONCE_PAGE`); by default the site's home
   * page, found from the REST root.
   */
  noncePage?: string;
  /** Time limit for `start_session` (and the nonce page), in ms. */
  timeoutMs?: number;
  /**
   * Told, in words that never quote it, when the site hands out a nonce that is not one
   * (see {@linkcode isNonce}) or redirects `start_session`; the gateway logs it as a warning.
   */
  warn?: (message: string) => void;
}

/**
 * The REST nonce that AI Engine ≥ 2.0 requires in `X-WP-Nonce` on every submit.
 *
 * It comes from `POST {rest}/mwai/v1/start_session` (no auth; site-wide for visitors,
 * valid 12–24 h), is fetched once however many requests ask at once (single flight), is
 * reused until the site refuses it, and is replaced by any fresher one the site hands out
 * (`X-WP-Nonce` response header, `new_token`). A site without `start_session` (404) needs
 * no nonce (AI Engine < 2.0): `nonce()` then resolves to `null`, until the site refuses a
 * request for want of one (2.0.1–2.4.3): from then on the nonce is read from a page that
 * shows the chatbot (`noncePage`), again whenever the site refuses it. A value that is not
 * a nonce ({@linkcode isNonce}) is never stored: a hostile or broken site cannot make
 * the gateway send a header that breaks, nor keep a bad nonce in place.
 *
 * @example
 * ```ts ignore
 * import { AiEngineSession } from "./session.ts";
 * const session = new AiEngineSession({ restUrl: "https://example.com/wp-json" });
 * const nonce = await session.nonce(); // one start_session, then reused
 * ```
 */
export class AiEngineSession {
  /** The site's REST root. */
  readonly restUrl: string;
  /** The nonce: a string, `null` when the site needs none, `undefined` when unknown. */
  #nonce: string | null | undefined;
  #pending: Promise<string | null> | null = null;
  #refused = new Set<string>();
  #fetch: typeof fetch;
  #timeoutMs: number;
  #warn: (message: string) => void;
  #noncePage: string;
  /** start_session answered 404. */
  #noStartSession = false;
  /** The site refused a request without a nonce, though start_session is missing. */
  #nonceFromPage = false;

  /**
   * A session for one site; no request is made before a nonce is wanted. A fixed
   * `nonce` that is not one throws a `TypeError` (the gateway's config refuses it first).
   */
  constructor(options: AiEngineSessionOptions) {
    if (options.nonce != null && !isNonce(options.nonce)) {
      throw new TypeError("Invalid nonce: use 1 to 64 letters, digits, _ or -");
    }
    this.restUrl = options.restUrl;
    this.#nonce = options.nonce ?? undefined;
    this.#fetch = options.fetch ?? ((input, init) => fetch(input, init));
    this.#timeoutMs = options.timeoutMs ?? DEFAULT_TIMEOUT_MS;
    this.#warn = options.warn ?? (() => {});
    this.#noncePage = options.noncePage ?? homePageOf(this.restUrl);
  }

  /** The nonce to send: the known one, or the result of the one `start_session` under way. */
  nonce(): Promise<string | null> {
    if (this.#nonce !== undefined) return Promise.resolve(this.#nonce);
    this.#pending ??= this.#start().finally(() => this.#pending = null);
    return this.#pending;
  }

  /**
   * The site refused `nonce`: forget it, unless a fresher one has replaced it already, and
   * take it from no answer again (one that set off before the refusal may still bring it).
   */
  refuse(nonce: string | null): void {
    // Refused without one, though start_session is missing: AI Engine 2.0.1–2.4.3.
    if (nonce === null && this.#noStartSession) this.#nonceFromPage = true;
    if (nonce !== null) {
      this.#refused.add(nonce);
      // A few are enough: a nonce lives 12–24 h, and only the latest can come back.
      if (this.#refused.size > 8) this.#refused.delete(this.#refused.values().next().value!);
    }
    if (this.#nonce === nonce) this.#nonce = undefined;
  }

  /**
   * The site handed out a current nonce (`X-WP-Nonce` header or `new_token`). One that is
   * not a nonce is ignored, and said (never quoted) to `warn`.
   */
  renew(nonce: string | null | undefined): void {
    if (!nonce) return;
    if (isNonce(nonce)) {
      if (!this.#refused.has(nonce)) this.#nonce = nonce;
    } else this.#warn(`Ignored a nonce the site handed out: ${notANonce(nonce)}`);
  }

  async #start(): Promise<string | null> {
    if (this.#nonceFromPage) return this.#settle(await this.#pageNonce());
    const url = restRoute(this.restUrl, "mwai/v1/start_session");
    let response: Response;
    let text: string;
    try {
      response = await this.#fetch(url, {
        method: "POST",
        headers: { accept: "application/json" },
        signal: AbortSignal.timeout(this.#timeoutMs),
        // A redirect would take the request, and later the nonce, to another host.
        redirect: "manual",
      });
      if (isRedirect(response.status)) throw this.#redirected(url, response);
      text = response.body ? await readText(response.body, START_SESSION_MAX_CHARS) : "";
    } catch (cause) {
      if (cause instanceof AiEngineError) throw cause;
      throw new AiEngineError(
        isTimeout(cause) ? "timeout" : "unreachable",
        `Could not start an AI Engine session: ${describe(cause)}`,
        { cause },
      );
    }
    // AI Engine < 2.4.4 has no start_session; before 2.0 no nonce check either.
    if (response.status === 404) {
      this.#noStartSession = true;
      return this.#settle(null);
    }
    const body = tryParseJson(text);
    const restNonce = isRecord(body) ? body.restNonce : undefined;
    if (response.ok && isNonce(restNonce)) return this.#settle(restNonce);
    let without = "without a nonce";
    if (response.ok && typeof restNonce === "string" && restNonce !== "") {
      // Not stored, so the next request asks again: a site that is fixed works at once.
      this.#warn(`Ignored the nonce start_session handed out: ${notANonce(restNonce)}`);
      without = "with a nonce that is not one";
    }
    throw new AiEngineError(
      "upstream_failed",
      `Could not start an AI Engine session: start_session answered ${response.status} ${without}`,
      { upstreamStatus: response.status },
    );
  }

  /** The redirect's status goes to the client; where it pointed, to the log only. */
  #redirected(url: string, response: Response): AiEngineError {
    response.body?.cancel().catch(() => {});
    const location = response.headers.get("location");
    let target = "no Location";
    try {
      if (location !== null) target = new URL(location, url).origin;
    } catch {
      target = "an invalid Location";
    }
    this.#warn(`start_session answered ${response.status}, a redirect to ${target}: not followed`);
    return new AiEngineError(
      "upstream_failed",
      `Could not start an AI Engine session: start_session answered ${response.status}, ` +
        `a redirect, which is not followed: check AI_ENGINE_URL`,
      { upstreamStatus: response.status, retryable: false },
    );
  }

  async #pageNonce(): Promise<string> {
    try {
      return await fetchPageNonce(this.#noncePage, this.#fetch, this.#timeoutMs);
    } catch (cause) {
      if (cause instanceof AiEngineError) throw cause;
      throw new AiEngineError(
        isTimeout(cause) ? "timeout" : "unreachable",
        `Could not read the nonce page: ${describe(cause)}`,
        { cause },
      );
    }
  }

  #settle(nonce: string | null): string | null {
    // A nonce renewed by an answer while start_session ran is at least as fresh.
    if (this.#nonce === undefined) this.#nonce = nonce;
    return this.#nonce;
  }
}

/** Whether a fetch failed because its signal timed out. */
export function isTimeout(error: unknown): boolean {
  return error instanceof DOMException && error.name === "TimeoutError";
}

/** The site's home page, from its REST root (`{site}/wp-json` or `{site}/?rest_route=`). */
function homePageOf(restUrl: string): string {
  const url = new URL(restUrl);
  url.search = "";
  url.hash = "";
  url.pathname = url.pathname.replace(/\/wp-json\/?$/, "").replace(/\/?$/, "/");
  return url.href;
}

function isRedirect(status: number): boolean {
  return status >= 300 && status < 400;
}

/** What is wrong with a value that is not a nonce, without a character of it. */
function notANonce(value: string): string {
  if (value.length > 64) return `${value.length} characters, more than a nonce has`;
  return "characters a nonce cannot hold";
}

/** Kinds of transport failure, by error name, then by what runtimes write in messages. */
const TRANSPORT_FAILURES: [RegExp | null, RegExp, string][] = [
  [null, /^Invalid (HTTP response|chunked body)/, "the site's answer was not valid HTTP"],
  [/^TimeoutError$|^TimedOut$/, /timed? ?out/i, "the connection timed out"],
  [/^ConnectionRefused$/, /refused|ECONNREFUSED/i, "the site refused the connection"],
  [
    /^AddrNotAvailable$/,
    /dns|lookup|resolve|getaddrinfo|ENOTFOUND|name or service|nodename/i,
    "the site's name did not resolve",
  ],
  [/^InvalidData$/, /tls|ssl|certificate|handshake/i, "TLS with the site failed"],
  [
    /^ConnectionReset$|^ConnectionAborted$|^BrokenPipe$|^UnexpectedEof$/,
    /reset|broken pipe|connection (was )?(lost|closed|aborted)|closed the connection|eof/i,
    "the connection was reset or closed",
  ],
  [null, /header/i, "a request header was refused"],
];

/**
 * A transport failure in words of our own: refused, DNS, TLS, reset, timed out, else
 * "a network error". Runtimes quote URLs and header values (the nonce) in their messages,
 * so the message is matched, never repeated; the error's causes are looked at too.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { describe } from "./session.ts";
 * assert.equal(describe(new TypeError('Invalid header value: "s3cret"')), "a request header was refused");
 * assert.equal(describe(new Error("boom")), "a network error");
 * ```
 */
export function describe(error: unknown): string {
  for (let cause = error, depth = 0; cause instanceof Error && depth < 5; depth++) {
    for (const [name, message, words] of TRANSPORT_FAILURES) {
      if (name?.test(cause.name) || message.test(cause.message)) return words;
    }
    cause = cause.cause;
  }
  return "a network error";
}
