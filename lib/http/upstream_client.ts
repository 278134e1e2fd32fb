import { bytesOf, type ByteSource, byteSource } from "../streams/byte_source.ts";
import { withConnectBound } from "./connect_timeout.ts";
import { decodedBody } from "./content_decoding.ts";
import type { SiteProbe } from "./site_probe.ts";

/** A request to the site: small, its body a string, never following a redirect. */
export interface UpstreamRequest {
  method: "GET" | "POST";
  /** Header names in lower case. */
  headers: Record<string, string>;
  body?: string | Uint8Array<ArrayBuffer>;
  /** Aborts the request, and the reading of its answer. */
  signal?: AbortSignal;
  /**
   * The time within which the site must be shown to accept connections, in ms: when the
   * headers have not come by then, the client checks once that the site takes a
   * connection at all (see `connect_timeout.ts`), and fails with `ConnectTimeout` if it
   * does not within the same time. Unset: only `signal` bounds connecting.
   */
  connectTimeoutMs?: number;
}

/** The site's answer: its status and headers once they came, its body to pull. */
export interface UpstreamResponse {
  status: number;
  headers: Headers;
  /** The body with its content coding undone (`gzip`, `br`, `deflate`). */
  body: ByteSource;
}

/**
 * What carries requests to the site. The gateway and the library depend on this shape
 * only (a test or an embedder may bring its own).
 */
export type UpstreamClient = (url: string, request: UpstreamRequest) => Promise<UpstreamResponse>;

/** How {@linkcode fetchClient} checks a site that is slow to answer. */
export interface FetchClientOptions {
  /**
   * Opens a connection of its own to the site, for `connectTimeoutMs` (see
   * `site_probe.ts`'s `runtimeProbe`); without one, `connectTimeoutMs` is not enforced
   * (a `fetch` through an outbound proxy: the site itself may not be reachable directly).
   */
  probe?: SiteProbe | null;
}

/**
 * An {@linkcode UpstreamClient} over a `fetch`, the runtime's own on Deno and on Workers:
 * it keeps its connections, so an answer costs no new TCP and TLS handshake. The body is
 * read as a byte stream with one buffer (see {@linkcode byteSource}), its content coding
 * undone (`decodedBody`: an encoding that cannot be undone is an
 * `UnsupportedContentEncoding`); a redirect is answered as it is, not followed, so
 * neither the nonce nor the conversation ever reaches another host.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { fetchClient } from "./upstream_client.ts";
 * const client = fetchClient(() => Promise.resolve(new Response("hi", { status: 201 })));
 * const response = await client("https://site.example/", { method: "GET", headers: {} });
 * assert.equal(response.status, 201);
 * assert.equal(new TextDecoder().decode((await response.body.read())!), "hi");
 * ```
 */
export function fetchClient(
  fetcher: typeof fetch,
  options: FetchClientOptions = {},
): UpstreamClient {
  return async (url, request) => {
    const site = siteUrl(url);
    const { connectTimeoutMs, ...init } = request;
    const send = async (signal: AbortSignal | undefined) => {
      const attempt = () =>
        fetcher(url, { ...init, ...(signal ? { signal } : {}), redirect: "manual" });
      try {
        return await attempt();
      } catch (error) {
        if (signal?.aborted || !isRetryable(error)) throw error;
        return await attempt();
      }
    };
    const response = options.probe && connectTimeoutMs !== undefined
      ? await withConnectBound(site, connectTimeoutMs, options.probe, init.signal, send)
      : await send(init.signal);
    try {
      return {
        status: response.status,
        headers: response.headers,
        body: response.body
          ? byteSource(decodedBody(response.body, response.headers))
          : bytesOf([]),
      };
    } catch (error) {
      await response.body?.cancel().catch(() => {});
      throw error;
    }
  };
}

/**
 * `url` parsed, for either client. The fetch standard refuses a URL with credentials (Deno
 * would send them itself); the caller sends them as `Authorization`. Either refusal is
 * said without the URL, which would show them.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { siteUrl } from "./upstream_client.ts";
 * assert.equal(siteUrl("https://site.example/x").host, "site.example");
 * assert.throws(() => siteUrl("https://user:pass@site.example/"), /credentials/);
 * ```
 */
export function siteUrl(url: string): URL {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    throw new TypeError("The site's URL is not a valid URL");
  }
  if (parsed.username || parsed.password) {
    throw new TypeError("The site's URL holds credentials: send them as an Authorization header");
  }
  return parsed;
}

/**
 * The site closed the connection before any byte of its answer: what a kept connection
 * looks like when the site's keep-alive timer (Apache's `KeepAliveTimeout`, 5 s) closed it
 * as the request came, unread. workerd marks that failure `retryable`; Deno's fetch (hyper)
 * resends only when it saw the close before sending, and otherwise fails with "connection
 * closed before message completed". Either is tried once more, at once, on a new
 * connection, as browsers resend on a reused connection. The one risk, a site that read the
 * request and died before answering, would see it twice: it died, and said nothing.
 */
function isRetryable(error: unknown): boolean {
  if (!(error instanceof Error)) return false;
  if ((error as { retryable?: unknown }).retryable === true) return true;
  return CLOSED_BEFORE_ANSWER.test(causeMessages(error));
}

const CLOSED_BEFORE_ANSWER = /connection closed before message completed/i;

/** An error's message and its causes', joined: Deno's fetch says what happened in a cause. */
function causeMessages(error: Error): string {
  let text = "";
  for (let e: unknown = error, depth = 0; e instanceof Error && depth < 4; depth++) {
    text += ` ${e.message}`;
    e = e.cause;
  }
  return text;
}
