/**
 * A faithful stand-in for a WordPress site running AI Engine 3.6.2, for tests: a real
 * HTTP/1.1 server on loopback, on raw TCP, that writes the bytes the recorded sites
 * wrote, streams each event as its own TCP write at the model's pace, and notices
 * clients leaving.
 *
 * Its web server is chosen by the `framing` option (default: `MWAI_EMULATOR_FRAMING`,
 * else `apache`; see `site_framing.ts`):
 *
 * - `apache`, as `tests/fixtures/ai-engine-3.6.2-apache/` recorded: chunked bodies with
 *   each event as two chunks (`data: {...}`, then `\n\n`) in one TCP write, the head
 *   in the same write as the first event, the last chunk in a write of its own. JSON
 *   answers are chunked too (one chunk; not recorded, but what Apache does for output
 *   of unknown length). The connection is kept alive the way Apache keeps it
 *   (`Keep-Alive: timeout=5, max=100`, counting down; closed after a `Connection: close`
 *   request, a 400/500/503, or 5 s idle), so clients that pool connections meet what a
 *   real site does to them.
 * - `close`, as `tests/fixtures/ai-engine-3.6.2/` recorded (PHP's built-in server): the
 *   close ends every body.
 * - `chunk-per-event`: as `apache`, but one whole event per chunk.
 *
 * Faults that cut the answer hang up without the last chunk, so a chunked client sees
 * an unfinished body, not a clean end; a CDN's pages (`edge_faults.ts`) always close.
 *
 * @module
 */

import { hex } from "../../lib/util/hex.ts";
import { LoopbackServer, type ServerCertificate } from "../support/loopback_server.ts";
import { runAnswer } from "./answer_plan.ts";
import { DEFAULT_ANSWER } from "./chat_answer.ts";
import type { RawRequest } from "../support/http1/request_reader.ts";
import { HttpExchange } from "./http_exchange.ts";
import { basicAuthAnswer } from "./basic_auth.ts";
import { userAgentFilterAnswer } from "./user_agent_filter.ts";
import type { MidAnswerPause } from "./sse_events.ts";
import { defaultFraming, KEEP_ALIVE_TIMEOUT_S, type SiteFraming } from "./site_framing.ts";
import { type KeptQuery, type Site, toSiteRequest } from "./site_request.ts";
import { routeRequest, SUBMIT_ROUTE } from "./site_router.ts";
import type { BotSettings } from "./submit_route.ts";
import type { EndExtras } from "./chat_answer.ts";
import type { StoredFile } from "./files_upload_route.ts";
import { type PluginVersion, versionTraits } from "./plugin_version.ts";
import type { ContentCoding } from "./body_compressor.ts";

export { DEFAULT_ANSWER } from "./chat_answer.ts";
export type { SiteFraming } from "./site_framing.ts";
export type { PluginVersion } from "./plugin_version.ts";
export type { ContentCoding } from "./body_compressor.ts";
export type { MidAnswerPause } from "./sse_events.ts";
export { hugeAnswerText } from "./transport_faults.ts";

/** How the emulated site and its default bot behave; read afresh for every request. */
export interface EmulatorOptions {
  /** The site-wide visitor nonce; default a random 10-hex string. */
  nonce?: string;
  /**
   * The AI Engine release played (see `plugin_version.ts`): `1.9`, `2.0-2.4.3`, `2.4.4+`
   * or `3.x` (the default, as recorded).
   */
  version?: PluginVersion;
  /** The same as `version: "1.9"`: no start_session (404), submit needs no nonce. */
  legacy?: boolean;
  /**
   * The chatbot page's `data-system` attribute exactly (already HTML-escaped), instead of
   * the one built from the site: a broken page, or 2.0.1–2.2.91's numeric nonce.
   */
  pageSystem?: string | null;
  /** The model's answer; default `Привет, мир! 👋 The answer is 42.` */
  answer?: string;
  /** How many live events the answer is split into; default 7 (split like the recording). */
  pieces?: number;
  /** The model's pieces exactly (each one live event); overrides `answer` and `pieces`. */
  answerPieces?: string[];
  /** The web server in front of WordPress; default `MWAI_EMULATOR_FRAMING`, else `apache`. */
  framing?: SiteFraming;
  /** Delay before each live event; default 2. */
  pieceDelayMs?: number;
  /**
   * Delay before the status line of an answer from the model; default 0. PHP sends the
   * headers with its first output, so a model that thinks first (reasoning, a web search)
   * sends its headers with its first text, this long after the submit.
   */
  headersDelayMs?: number;
  /** A silence in the middle of a streamed answer (a hosted tool call); default none. */
  midAnswerPause?: MidAnswerPause | null;
  /**
   * The site is behind HTTP basic auth (a staging site): every request without these
   * credentials gets the web server's `401` with `WWW-Authenticate`; default none.
   */
  basicAuth?: { user: string; password: string } | null;
  /**
   * A firewall in front of the site lets only these user agents through; any other
   * request gets its 403 page; default none.
   */
  allowedUserAgents?: RegExp | null;
  /** The bot's textInputMaxLength, in code points like PHP's mb_strlen; default 512. */
  maxMessageLength?: number;
  /** The admin's event logs are on: a `subtype: "status"` live event comes first. */
  eventLogs?: boolean;
  /**
   * An images bot: no `live` events, one `end` whose reply is `![Image](<url>)\n` per URL
   * and whose `images` are these URLs (under a JSON Content-Type, as 2.8.3+ sends it).
   */
  images?: string[] | null;
  /**
   * The site's `mwai_chatbot_reply` filters: run on the trimmed streamed text after the
   * last `live` event; `end.reply` is what they return (citations appended, a rewrite).
   */
  replyFilter?: ((reply: string) => string) | null;
  /** The `actions`, `shortcuts`, `blocks` of the answer object (the site's filters add them). */
  endExtras?: EndExtras;
  /**
   * Bots defined only in a shortcode: `customId` → that bot's answer. An unknown
   * `customId` falls back to the default bot on 3.x, and is rejected before.
   */
  customBots?: Record<string, string>;
  /** The nonce is ageing: answers carry `new_token` (the current nonce). */
  newToken?: boolean;
  /** start_session answers the site's HTML home page, a PHP fatal error's 500, or a 302. */
  startSessionFault?: "html" | "500" | "redirect" | null;
  /** start_session hands out this `restNonce` instead of the nonce (a hostile site). */
  startSessionNonce?: string | null;
  /** Where redirects point (`startSessionFault: "redirect"`, `__fake:redirect:<status>`). */
  redirectTo?: string;
  /** Delay before start_session's answer; default 0. */
  startSessionDelayMs?: number;
  /**
   * Every answer body compressed in this coding (flushed per event, so it still streams),
   * whatever the request accepts: a CDN's cached answer, nginx's `gzip_types`. Default none.
   */
  contentEncoding?: ContentCoding | null;
  /**
   * A kept connection is closed after a random idle time under this many ms, instead of
   * Apache's 5 s: a server that drops idle connections at moments a client cannot foresee.
   * One time in four the close comes just as the next request arrives, unanswered (the
   * timeout firing as its bytes come in): that request never reaches WordPress.
   */
  randomIdleCloseMs?: number | null;
}

/** A request the emulator received. */
export interface SeenRequest {
  method: string;
  /** The request target as sent, query included. */
  path: string;
  headers: Headers;
  rawBody: string;
  /** The body parsed as JSON, or undefined when it is not JSON. */
  body: unknown;
  /** The REST route it named (`/mwai-ui/v1/chats/submit`), or null. */
  route: string | null;
  /** The TCP connection it came on: 1 for the site's first, counting up. */
  connection: number;
}

/**
 * The emulated AI Engine site.
 *
 * @example
 * ```ts
 * import { AiEngineEmulator } from "./ai_engine_emulator.ts";
 * await using site = await AiEngineEmulator.start({ nonce: "55b8d074d1" });
 * const res = await fetch(`${site.restUrl}/mwai/v1/start_session`, { method: "POST" });
 * (await res.json()).restNonce; // "55b8d074d1"
 * ```
 */
export class AiEngineEmulator {
  /** The site's base URL, e.g. `http://127.0.0.1:41234`. */
  readonly url: string;
  /** `${url}/wp-json`. */
  readonly restUrl: string;
  /** Mutable between requests. */
  options: EmulatorOptions;
  /** Every request seen, in order. */
  readonly requests: SeenRequest[] = [];
  /** The files uploaded (`files/upload`), by refId, in order. */
  readonly files = new Map<string, StoredFile>();
  /** The chat queries the site ran, in order: what its Discussions and statistics keep. */
  readonly queries: KeptQuery[] = [];

  #server: LoopbackServer;
  #shutdown = new AbortController();
  #exchanges = new Set<HttpExchange>();
  #sessionsStarted = 0;
  #aborts = 0;
  #abortWatchers = new Set<() => void>();
  #previousNonce: string | null = null;
  #responses = 0;
  #connections = 0;
  #idleCloses = 0;
  #unansweredCloses = 0;
  #completedSubmits = 0;
  #closing: Promise<void> | undefined;

  private constructor(options: EmulatorOptions, tls?: ServerCertificate) {
    this.#server = new LoopbackServer((conn) => this.#serve(conn), 0, tls);
    this.url = `${tls ? "https" : "http"}://127.0.0.1:${this.#server.port}`;
    this.restUrl = `${this.url}/wp-json`;
    this.options = { ...options, nonce: options.nonce ?? randomNonce() };
  }

  /**
   * Starts the site on a free loopback port; behind TLS (an `https:` site) when given a
   * certificate (see `tests/support/tls/test_ca.ts`).
   */
  static start(options: EmulatorOptions = {}, tls?: ServerCertificate): Promise<AiEngineEmulator> {
    return Promise.resolve(new AiEngineEmulator(options, tls));
  }

  /** Runs `fn` with the site playing `options` on top of its own, then restores them. */
  async playing(options: EmulatorOptions, fn: () => Promise<void>): Promise<void> {
    const saved = { ...this.options };
    Object.assign(this.options, options);
    try {
      await fn();
    } finally {
      this.options = saved;
    }
  }

  /** Only the chats/submit requests. */
  get submits(): SeenRequest[] {
    return this.requests.filter((request) => request.route === SUBMIT_ROUTE);
  }

  /** Successful start_session answers. */
  get sessionsStarted(): number {
    return this.#sessionsStarted;
  }

  /** TCP connections the site accepted. */
  get connections(): number {
    return this.#connections;
  }

  /** Kept connections the site closed for being idle. */
  get idleCloses(): number {
    return this.#idleCloses;
  }

  /** Kept connections the site closed as a request arrived, leaving it unanswered. */
  get unansweredCloses(): number {
    return this.#unansweredCloses;
  }

  /** Submit answers written to their end. */
  get completedSubmits(): number {
    return this.#completedSubmits;
  }

  /** Submit answers whose client went away before the answer was complete. */
  get aborts(): number {
    return this.#aborts;
  }

  /** Resolves once `aborts >= n`; rejects after `timeoutMs` (default 2000). */
  waitForAborts(n: number, timeoutMs = 2000): Promise<void> {
    return new Promise((resolve, reject) => {
      const check = () => {
        if (this.#aborts < n) return;
        clearTimeout(timer);
        this.#abortWatchers.delete(check);
        resolve();
      };
      const timer = setTimeout(() => {
        this.#abortWatchers.delete(check);
        reject(
          new Error(`Timed out after ${timeoutMs} ms: ${this.#aborts} aborts seen, ${n} expected`),
        );
      }, timeoutMs);
      this.#abortWatchers.add(check);
      check();
    });
  }

  /** The nonce expires: a new one is made and returned; the old one is refused from now on. */
  rotateNonce(): string {
    this.#previousNonce = null;
    this.options.nonce = randomNonce();
    return this.options.nonce;
  }

  /**
   * WordPress's nonce tick passes: a new nonce is made and returned; the old one is still
   * accepted, but answers to it carry the new one (`new_token`, `X-WP-Nonce`).
   */
  ageNonce(): string {
    this.#previousNonce = this.options.nonce ?? null;
    this.options.nonce = randomNonce();
    return this.options.nonce;
  }

  /** Closes the listener and every open connection, and waits for all of them. */
  close(): Promise<void> {
    this.#closing ??= this.#closeOnce();
    return this.#closing;
  }

  async [Symbol.asyncDispose](): Promise<void> {
    await this.close();
  }

  async #closeOnce(): Promise<void> {
    this.#shutdown.abort();
    await Promise.all([...this.#exchanges].map((exchange) => exchange.close()));
    await this.#server.close();
  }

  async #serve(conn: Deno.Conn): Promise<void> {
    // Apache and nginx turn Nagle's algorithm off on every connection they accept; with it
    // on, a kept connection's answer would wait for the client's delayed ACK (40 ms).
    (conn as Partial<Deno.TcpConn>).setNoDelay?.(true);
    const exchange = new HttpExchange(conn, this.#shutdown.signal);
    const connection = ++this.#connections;
    this.#exchanges.add(exchange);
    try {
      for (let served = 0; !this.#shutdown.signal.aborted; served++) {
        if (served > 0 && this.#closesAsRequestArrives()) {
          if (await exchange.waitForBytes(KEEP_ALIVE_TIMEOUT_S * 1000)) this.#unansweredCloses++;
          return;
        }
        const raw = await exchange.readRequest(served > 0 ? this.#idleMs() : undefined);
        if (!raw && served > 0 && !this.#shutdown.signal.aborted) this.#idleCloses++;
        if (!raw || this.#shutdown.signal.aborted) return;
        if (!(await this.#answer(exchange, raw, served, connection))) return;
        exchange.answered();
      }
    } catch (error) {
      // A bug in the emulator itself: say so loudly rather than hang a test.
      console.error("AiEngineEmulator failed to answer:", error);
    } finally {
      await exchange.close();
      this.#exchanges.delete(exchange);
    }
  }

  #closesAsRequestArrives(): boolean {
    return !!this.options.randomIdleCloseMs && Math.random() < 0.25;
  }

  #idleMs(): number {
    const random = this.options.randomIdleCloseMs;
    return random ? Math.random() * random : KEEP_ALIVE_TIMEOUT_S * 1000;
  }

  // One answer; true when the connection stays open for another request.
  async #answer(
    exchange: HttpExchange,
    raw: RawRequest,
    served: number,
    connection: number,
  ): Promise<boolean> {
    const request = toSiteRequest(raw, this.url);
    this.requests.push({
      ...seenRequest(request.raw, request.json.params, request.route),
      connection,
    });
    const locked = userAgentFilterAnswer(raw.headers, this.options.allowedUserAgents) ??
      basicAuthAnswer(raw.headers, this.options.basicAuth);
    const routed = locked
      ? { steps: locked, submit: false, startsSession: false }
      : routeRequest(this.#site(), request, this.#bot(), {
        fault: this.options.startSessionFault ?? null,
        delayMs: this.options.startSessionDelayMs ?? 0,
        restNonce: this.options.startSessionNonce ?? null,
        redirectTo: this.options.redirectTo,
      });
    const { outcome, keepAlive } = await runAnswer(exchange, routed.steps, this.#shutdown.signal, {
      framing: this.options.framing ?? defaultFraming(),
      host: request.host,
      requestHeaders: raw.headers,
      served,
      contentEncoding: this.options.contentEncoding ?? null,
    });
    if (outcome === "complete" && routed.startsSession) this.#sessionsStarted++;
    if (outcome === "complete" && routed.submit) this.#completedSubmits++;
    if (outcome === "aborted" && routed.submit) this.#countAbort();
    return keepAlive;
  }

  #countAbort(): void {
    this.#aborts++;
    for (const check of [...this.#abortWatchers]) check();
  }

  #site(): Site {
    // Options may have been replaced wholesale between requests.
    this.options.nonce ??= randomNonce();
    const version = this.options.version ?? (this.options.legacy ? "1.9" : "3.x");
    return {
      url: this.url,
      nonce: this.options.nonce,
      previousNonce: this.#previousNonce,
      version,
      traits: versionTraits(version),
      pageSystem: this.options.pageSystem ?? null,
      ageing: this.options.newToken ?? false,
      nextResponseId: () => `chatcmpl-emu${String(++this.#responses).padStart(4, "0")}`,
      storeFile: (file) => {
        // 3.x's refId: md5 of microtime and a random number, 32 hex.
        const id = hex(crypto.getRandomValues(new Uint8Array(16)));
        this.files.set(id, file);
        return id;
      },
      recordQuery: (query) => this.queries.push(query),
    };
  }

  #bot(): BotSettings {
    return {
      answer: this.options.answer ?? DEFAULT_ANSWER,
      answerPieces: this.options.answerPieces ?? null,
      pieces: this.options.pieces ?? 7,
      pieceDelayMs: this.options.pieceDelayMs ?? 2,
      headersDelayMs: this.options.headersDelayMs ?? 0,
      midAnswerPause: this.options.midAnswerPause ?? null,
      maxMessageLength: this.options.maxMessageLength ?? 512,
      eventLogs: this.options.eventLogs ?? false,
      images: this.options.images ?? null,
      replyFilter: this.options.replyFilter ?? null,
      endExtras: this.options.endExtras ?? {},
      customBots: this.options.customBots ?? {},
    };
  }
}

function seenRequest(
  raw: RawRequest,
  params: unknown,
  route: string | null,
): Omit<SeenRequest, "connection"> {
  const rawBody = new TextDecoder().decode(raw.body);
  let body: unknown = params;
  if (body === undefined) {
    try {
      body = rawBody === "" ? undefined : JSON.parse(rawBody);
    } catch {
      body = undefined;
    }
  }
  return { method: raw.method, path: raw.target, headers: raw.headers, rawBody, body, route };
}

function randomNonce(): string {
  return hex(crypto.getRandomValues(new Uint8Array(5)));
}
