import { type ByteSource, byteSource } from "../streams/byte_source.ts";
import type { ConnectionPool } from "./connection_pool.ts";
import { decodableCodings, decodedBody } from "./content_decoding.ts";
import type { KeptConnection } from "./kept_connection.ts";
import { readHead } from "./read_head.ts";
import { SocketBody } from "./socket_body.ts";
import {
  siteUrl,
  type UpstreamClient,
  type UpstreamRequest,
  type UpstreamResponse,
} from "./upstream_client.ts";

const utf8 = new TextEncoder();

/**
 * An {@linkcode UpstreamClient} that speaks HTTP/1.1 itself over connections kept in
 * `pool`. It exists for CPU: a real site sends each event as two HTTP chunks, and `fetch`
 * hands every chunk to JavaScript as its own read, where a socket read returns all that
 * has come, its chunked coding undone in place (see `SocketBody`).
 *
 * A kept connection the site closed before any byte of the answer (Apache's
 * `KeepAliveTimeout` meeting the request) is tried once more, on a new connection, as
 * `fetchClient` does; never after a byte came, nor when the close came more than
 * `options.resendWindowMs` ({@linkcode RESEND_WINDOW_MS}) after the request was written. Redirects are answered as they are;
 * compression is asked for only in codings `DecompressionStream` undoes here; a URL with
 * credentials, or a header that could break the request, is refused before anything is
 * sent. `request.connectTimeoutMs` bounds connecting and the TLS handshake (a
 * `ConnectTimeout`); `request.signal` aborts connecting, writing and reading.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { ConnectionPool } from "./connection_pool.ts";
 * import { denoConnect } from "./deno_connect.ts";
 * import { socketClient } from "./socket_client.ts";
 * const site = Deno.serve({ hostname: "127.0.0.1", port: 0, onListen() {} }, () => new Response("hi"));
 * const pool = new ConnectionPool(denoConnect(Deno));
 * const response = await socketClient(pool)(`http://127.0.0.1:${site.addr.port}/`, {
 *   method: "GET",
 *   headers: {},
 * });
 * assert.equal(new TextDecoder().decode((await response.body.read())!), "hi");
 * assert.equal(await response.body.read(), null);
 * await pool.close();
 * await site.shutdown();
 * ```
 */
export function socketClient(
  pool: ConnectionPool,
  options: { resendWindowMs?: number } = {},
): UpstreamClient {
  const resendWindowMs = options.resendWindowMs ?? RESEND_WINDOW_MS;
  return async (url, request) => {
    const target = siteUrl(url);
    const bytes = requestBytes(target, request);
    const { signal, connectTimeoutMs } = request;
    signal?.throwIfAborted();
    const first = await pool.take(target, { signal, connectTimeoutMs });
    try {
      return await exchange(pool, first.connection, bytes, request, resendWindowMs);
    } catch (error) {
      if (!(first.reused && error instanceof NothingAnswered) || signal?.aborted) throw error;
    }
    // The site closed the kept connection as the request came: once more, on a new one.
    const fresh = await pool.take(target, { signal, connectTimeoutMs, fresh: true });
    return await exchange(pool, fresh.connection, bytes, request, resendWindowMs);
  };
}

/**
 * How soon after the request was written a close still means the site closed a kept
 * connection as the request came, in ms. Apache's `KeepAliveTimeout` crossing a request
 * shows within a round trip; a close later than this is a site that read the request and
 * died working on it (PHP killed, a balancer's idle reset while a model thinks): sending
 * it again would ask the model twice.
 */
export const RESEND_WINDOW_MS = 1_000;

/** The connection ended or failed before any byte of the answer came: may be sent again. */
class NothingAnswered extends TypeError {
  override readonly name = "ConnectionReset";
  constructor(cause?: unknown) {
    super("The site closed the connection before answering", { cause });
  }
}

/** The same, too long after the request was written to send it again. */
class ClosedWhileWorking extends TypeError {
  override readonly name = "ConnectionReset";
  constructor(cause?: unknown) {
    super("The site closed the connection before answering, after reading the request", {
      cause,
    });
  }
}

/** One request and its answer's head over `connection`; the body follows as it is read. */
async function exchange(
  pool: ConnectionPool,
  connection: KeptConnection,
  bytes: Uint8Array,
  request: UpstreamRequest,
  resendWindowMs: number,
): Promise<UpstreamResponse> {
  const { signal } = request;
  const abort = () => void connection.close();
  signal?.addEventListener("abort", abort, { once: true });
  let finished = false;
  const finish = (keep: boolean) => {
    if (finished) return;
    finished = true;
    signal?.removeEventListener("abort", abort);
    if (keep) pool.release(connection);
    else void connection.close();
  };
  try {
    await connection.write(bytes).catch((cause) => {
      throw new NothingAnswered(cause);
    });
    const written = performance.now();
    const nothing = (cause?: unknown) =>
      performance.now() - written < resendWindowMs
        ? new NothingAnswered(cause)
        : new ClosedWhileWorking(cause);
    const { head, rest } = await readHead(connection, request.method, nothing);
    const body = new SocketBody(connection, head, rest, signal, finish);
    const { headers } = head;
    return { status: head.status, headers, body: decoded(body, headers) };
  } catch (error) {
    finish(false);
    throw signal?.aborted ? signal.reason : error;
  }
}

/** `body` with its content coding undone: a socket decodes none itself. */
function decoded(body: ByteSource, headers: Headers): ByteSource {
  if (!headers.has("content-encoding")) return body;
  const stream = new ReadableStream<Uint8Array>({
    async pull(controller) {
      const bytes = await body.read();
      // A copy: the body reuses its memory on its next read, and the pipe reads ahead.
      if (bytes) controller.enqueue(bytes.slice());
      else controller.close();
    },
    cancel: (reason) => body.cancel(reason),
  });
  return byteSource(decodedBody(stream, headers, NONE));
}

const NONE: ReadonlySet<string> = new Set();

function requestBytes(url: URL, request: UpstreamRequest): Uint8Array {
  const body = typeof request.body === "string"
    ? utf8.encode(request.body)
    : request.body ?? new Uint8Array(0);
  let text = `${request.method} ${url.pathname}${url.search} HTTP/1.1\r\nhost: ${url.host}\r\n`;
  const headers = { "accept-encoding": decodableCodings(), ...request.headers };
  for (const [name, value] of Object.entries(headers)) {
    if (!TOKEN.test(name)) throw new TypeError("Invalid header name");
    if (!SAFE_VALUE.test(value)) throw new TypeError(`Invalid value for the header ${name}`);
    text += `${name}: ${value}\r\n`;
  }
  // A POST says its length even when it has no body (start_session), as `fetch` does: some
  // front ends refuse it without (411), and WAF rules count it against the request.
  const length = request.body === undefined && request.method !== "POST"
    ? ""
    : `content-length: ${body.length}\r\n`;
  const head = utf8.encode(`${text}${length}\r\n`);
  const bytes = new Uint8Array(head.length + body.length);
  bytes.set(head);
  bytes.set(body, head.length);
  return bytes;
}

/** RFC 9110's token: a header name. */
const TOKEN = /^[!#$%&'*+.^_`|~0-9A-Za-z-]+$/;
/** Printable ASCII and tabs: a value that cannot end its line early or be misread. */
const SAFE_VALUE = /^[\t\x20-\x7e]*$/;
