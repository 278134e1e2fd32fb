import { AiEngineError } from "../ai_engine_error.ts";
import { isRecord } from "../../util/is_record.ts";
import { readText } from "../site/whole_body.ts";
import { isNonce, notANonce } from "./nonce.ts";
import { DEFAULT_TIMEOUT_MS, restRoute } from "../site/site_defaults.ts";
import { SiteClient } from "../site/site_client.ts";
import { describeTransportFailure, isTimeout } from "../site/transport_failure.ts";
import { tryParseJson } from "../../util/try_parse_json.ts";
import { fetchPageNonce } from "./page_nonce.ts";
import { fetchClient } from "../../http/upstream_client.ts";

/** How long past its time limit a `start_session` under way counts as lost, in ms. */
const LOST_AFTER_MS = 1_000;

/** More than any start_session answer (about 70 characters), less than a page. */
const START_SESSION_MAX_CHARS = 64 * 1024;

/** How an {@linkcode AiEngineSession} reaches the site. */
export interface AiEngineSessionOptions {
  /** The REST root, e.g. `https://example.com/wp-json` or `https://example.com/?rest_route=`. */
  restUrl: string;
  /** A fixed nonce to start with (`AI_ENGINE_NONCE`); `start_session` is then not called until it fails. */
  nonce?: string | null;
  /**
   * The way to the site for start_session, the nonce page, and every answer asked with
   * this session (see {@linkcode SiteClient}); over `fetch` by default.
   *
   * @internal
   */
  site?: SiteClient;
  /** A fetch to reach the site with, where no `site` is given; the global one by default. */
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
 * import { AiEngineSession } from "./ai_engine_session.ts";
 * const session = new AiEngineSession({ restUrl: "https://example.com/wp-json" });
 * const nonce = await session.nonce(); // one start_session, then reused
 * ```
 */
export class AiEngineSession {
  /** The site's REST root. */
  readonly restUrl: string;
  /**
   * The one way to the site: every call made for this session's answers goes through it.
   *
   * @internal
   */
  readonly site: SiteClient;
  /** The nonce: a string, `null` when the site needs none, `undefined` when unknown. */
  #nonce: string | null | undefined;
  #pending: Promise<string | null> | null = null;
  #pendingSince = 0;
  #refused = new Set<string>();
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
    this.site = options.site ??
      new SiteClient(options.fetch ? { client: fetchClient(options.fetch) } : {});
    this.#timeoutMs = options.timeoutMs ?? DEFAULT_TIMEOUT_MS;
    this.#warn = options.warn ?? (() => {});
    this.#noncePage = options.noncePage ?? homePageOf(this.restUrl);
  }

  /**
   * The nonce to send: the known one, or the result of the one `start_session` under way.
   * One under way for longer than its own time limit allows has been lost (on Workers, a
   * request's I/O can be cancelled with the request that began it): a new one is begun.
   */
  nonce(): Promise<string | null> {
    if (this.#nonce !== undefined) return Promise.resolve(this.#nonce);
    const stale = performance.now() - this.#pendingSince > this.#timeoutMs + LOST_AFTER_MS;
    if (this.#pending === null || stale) {
      const pending: Promise<string | null> = this.#start().finally(() => {
        if (this.#pending === pending) this.#pending = null;
      });
      this.#pending = pending;
      this.#pendingSince = performance.now();
    }
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
    const failed = "Could not start an AI Engine session";
    let status: number;
    let text: string;
    try {
      const response = await this.site.call(url, {
        method: "POST",
        headers: { accept: "application/json" },
        // Bounds the answer's body as well as its headers.
        signal: AbortSignal.timeout(this.#timeoutMs),
        headersTimeoutMs: this.#timeoutMs,
        timedOut: () => tookOver(failed, this.#timeoutMs),
        what: `${failed}: start_session`,
        failed,
        onRedirect: (code, origin) =>
          this.#warn(
            `start_session answered ${code}, a redirect to ${
              origin ?? "nowhere valid"
            }: not followed`,
          ),
      });
      status = response.status;
      text = await readText(response.body, START_SESSION_MAX_CHARS);
    } catch (cause) {
      throw classified(cause, failed, this.#timeoutMs);
    }
    // AI Engine < 2.4.4 has no start_session; before 2.0 no nonce check either.
    if (status === 404) {
      this.#noStartSession = true;
      return this.#settle(null);
    }
    const body = tryParseJson(text);
    const restNonce = isRecord(body) ? body.restNonce : undefined;
    if (status >= 200 && status < 300 && isNonce(restNonce)) return this.#settle(restNonce);
    let without = "without a nonce";
    if (status >= 200 && status < 300 && typeof restNonce === "string" && restNonce !== "") {
      // Not stored, so the next request asks again: a site that is fixed works at once.
      this.#warn(`Ignored the nonce start_session handed out: ${notANonce(restNonce)}`);
      without = "with a nonce that is not one";
    }
    throw new AiEngineError(
      "upstream_failed",
      `${failed}: start_session answered ${status} ${without}`,
      { upstreamStatus: status },
    );
  }

  async #pageNonce(): Promise<string> {
    try {
      return await fetchPageNonce(this.site, this.#noncePage, this.#timeoutMs);
    } catch (cause) {
      throw classified(cause, "Could not read the nonce page", this.#timeoutMs);
    }
  }

  #settle(nonce: string | null): string | null {
    // A nonce renewed by an answer while start_session ran is at least as fresh.
    if (this.#nonce === undefined) this.#nonce = nonce;
    return this.#nonce;
  }
}

/**
 * A failure while reading an answer's body (its headers came): a time-out or a broken
 * connection, in words of our own; an {@linkcode AiEngineError} stays what it is.
 */
function classified(cause: unknown, failed: string, timeoutMs: number): AiEngineError {
  if (cause instanceof AiEngineError) return cause;
  // The call's own `AbortSignal.timeout`, on its headers or its body: the site took the
  // connection (a connect failure comes classified), then took too long.
  if (cause instanceof DOMException && cause.name === "TimeoutError") {
    return tookOver(failed, timeoutMs);
  }
  return new AiEngineError(
    isTimeout(cause) ? "timeout" : "unreachable",
    `${failed}: ${describeTransportFailure(cause)}`,
    { cause },
  );
}

function tookOver(failed: string, timeoutMs: number): AiEngineError {
  return new AiEngineError("timeout", `${failed}: the site took over ${timeoutMs} ms`);
}

/** The site's home page, from its REST root (`{site}/wp-json` or `{site}/?rest_route=`). */
function homePageOf(restUrl: string): string {
  const url = new URL(restUrl);
  url.search = "";
  url.hash = "";
  url.pathname = url.pathname.replace(/\/wp-json\/?$/, "").replace(/\/?$/, "/");
  return url.href;
}
