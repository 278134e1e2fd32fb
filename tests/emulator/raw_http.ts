/**
 * A bare HTTP/1.1 client for tests that must see the wire itself: the exact head,
 * the body bytes, and how they were split into TCP reads.
 *
 * @module
 */
import { concatBytes } from "../../lib/util/concat_bytes.ts";

/** A request written as is; `Content-Length` is added to a body unless it is chunked. */
export interface RawHttpRequest {
  method: string;
  target: string;
  headers?: Record<string, string>;
  body?: string;
}

/** Everything the server sent until it closed the connection. */
export interface RawHttpAnswer {
  /** The whole answer, decoded as UTF-8. */
  text: string;
  /** Status line and headers, without the blank line. */
  head: string;
  /** The body after the blank line. */
  body: string;
  /** Each TCP read, with its arrival in ms after the request was written. */
  reads: { atMs: number; bytes: Uint8Array }[];
}

/**
 * Sends one request to `origin` (e.g. `http://127.0.0.1:8080`) over a new TCP
 * connection and reads until the server closes it.
 *
 * @example
 * ```ts ignore
 * import { rawHttp } from "./raw_http.ts";
 * const answer = await rawHttp(site.url, { method: "POST", target: "/wp-json/mwai/v1/start_session" });
 * answer.head.split("\r\n")[0]; // "HTTP/1.1 200 OK"
 * ```
 */
export async function rawHttp(origin: string, request: RawHttpRequest): Promise<RawHttpAnswer> {
  const { hostname, port } = new URL(origin);
  const conn = await Deno.connect({ hostname, port: Number(port) });
  try {
    const body = new TextEncoder().encode(request.body ?? "");
    const headers = { ...request.headers };
    const chunked = Object.keys(headers).some((name) => name.toLowerCase() === "transfer-encoding");
    if (request.body !== undefined && !chunked) headers["Content-Length"] = String(body.length);
    const head = [
      `${request.method} ${request.target} HTTP/1.1`,
      ...Object.entries(headers).map(([k, v]) => `${k}: ${v}`),
    ];
    await writeAll(conn, new TextEncoder().encode(`${head.join("\r\n")}\r\n\r\n`));
    await writeAll(conn, body);
    const started = performance.now();
    const reads: RawHttpAnswer["reads"] = [];
    for (;;) {
      const buffer = new Uint8Array(256 * 1024);
      const n = await conn.read(buffer);
      if (n === null) break;
      reads.push({ atMs: performance.now() - started, bytes: buffer.slice(0, n) });
    }
    const text = new TextDecoder().decode(concatBytes(reads.map((read) => read.bytes)));
    const split = text.indexOf("\r\n\r\n");
    return { text, head: text.slice(0, split), body: text.slice(split + 4), reads };
  } finally {
    conn.close();
  }
}

async function writeAll(conn: Deno.Conn, bytes: Uint8Array): Promise<void> {
  while (bytes.length > 0) bytes = bytes.subarray(await conn.write(bytes));
}
