import { AiEngineError } from "./ai_engine_error.ts";
import { isRecord } from "../util/is_record.ts";
import { readText } from "./json_answer.ts";
import { DEFAULT_TIMEOUT_MS, restRoute } from "./site.ts";
import { tryParseJson } from "../util/try_parse_json.ts";

/** More than any start_session answer (about 70 characters), less than a page. */
const START_SESSION_MAX_CHARS = 64 * 1024;

/** How an {@linkcode AiEngineSession} reaches the site. */
export interface AiEngineSessionOptions {
  /** The REST root, e.g. `https://example.com/wp-json` or `https://example.com/?rest_route=`. */
  restUrl: string;
  /** A fixed nonce to start with (`AI_ENGINE_NONCE`); `start_session` is then not called until it fails. */
  nonce?: string | null;
  /** The fetch to use; the global one by default. */
  fetch?: typeof fetch;
  /** Time limit for `start_session`, in ms. */
  timeoutMs?: number;
}

/**
 * The REST nonce that AI Engine ≥ 2.0 requires in `X-WP-Nonce` on every submit.
 *
 * It comes from `POST {rest}/mwai/v1/start_session` (no auth; site-wide for visitors,
 * valid 12–24 h), is fetched once however many requests ask at once (single flight), is
 * reused until the site refuses it, and is replaced by any fresher one the site hands out
 * (`X-WP-Nonce` response header, `new_token`). A site without `start_session` (404, AI
 * Engine < 2.0) needs no nonce: `nonce()` then resolves to `null`.
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
  #fetch: typeof fetch;
  #timeoutMs: number;

  /** A session for one site; no request is made before a nonce is wanted. */
  constructor(options: AiEngineSessionOptions) {
    this.restUrl = options.restUrl;
    this.#nonce = options.nonce ?? undefined;
    this.#fetch = options.fetch ?? ((input, init) => fetch(input, init));
    this.#timeoutMs = options.timeoutMs ?? DEFAULT_TIMEOUT_MS;
  }

  /** The nonce to send: the known one, or the result of the one `start_session` under way. */
  nonce(): Promise<string | null> {
    if (this.#nonce !== undefined) return Promise.resolve(this.#nonce);
    this.#pending ??= this.#start().finally(() => this.#pending = null);
    return this.#pending;
  }

  /** The site refused `nonce`: forget it, unless a fresher one has replaced it already. */
  refuse(nonce: string | null): void {
    if (this.#nonce === nonce) this.#nonce = undefined;
  }

  /** The site handed out a current nonce (`X-WP-Nonce` header or `new_token`). */
  renew(nonce: string | null | undefined): void {
    if (nonce) this.#nonce = nonce;
  }

  async #start(): Promise<string | null> {
    const url = restRoute(this.restUrl, "mwai/v1/start_session");
    let response: Response;
    let text: string;
    try {
      response = await this.#fetch(url, {
        method: "POST",
        headers: { accept: "application/json" },
        signal: AbortSignal.timeout(this.#timeoutMs),
      });
      text = response.body ? await readText(response.body, START_SESSION_MAX_CHARS) : "";
    } catch (cause) {
      if (cause instanceof AiEngineError) throw cause;
      throw new AiEngineError(
        isTimeout(cause) ? "timeout" : "unreachable",
        `Could not start an AI Engine session: ${describe(cause)}`,
        { cause },
      );
    }
    // AI Engine < 2.0 has no start_session and no nonce check.
    if (response.status === 404) return this.#settle(null);
    const body = tryParseJson(text);
    if (response.ok && isRecord(body) && typeof body.restNonce === "string" && body.restNonce) {
      return this.#settle(body.restNonce);
    }
    throw new AiEngineError(
      "upstream_failed",
      `Could not start an AI Engine session: start_session answered ${response.status} ` +
        `without a nonce`,
      { upstreamStatus: response.status },
    );
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

/** A short description of a network error, without stack. */
export function describe(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
