/**
 * A bare HTTP/1.1 client over one TCP connection, for tests and benches that must see the
 * wire itself: the exact head, the body bytes as framed, how they were split into TCP
 * reads, and whether the body ended the way its framing says it ends. It reads until the
 * body is over (its last chunk, its `Content-Length`, else the server closing), so it
 * works against keep-alive servers too.
 *
 * @module
 */
import { concatBytes } from "../../../lib/util/concat_bytes.ts";
import { ChunkedDecoder } from "./chunked_coding.ts";

/** A request written as is; `Content-Length` is added to a body unless it is chunked. */
export interface RawHttpRequest {
  method: string;
  target: string;
  headers?: Record<string, string>;
  body?: string;
}

/** What to do with the answer as it arrives. */
export interface RawHttpOptions {
  /** Called with each piece of decoded body (a view, valid during the call) and its arrival, in ms since the epoch. */
  onBody?: (bytes: Uint8Array, arrival: number) => void;
  /** Keep a copy of every read for `reads`, `text`, `body`, `content` (default true). */
  keepReads?: boolean;
}

/** One TCP read of the answer, with its arrival in ms after the request was written. */
export interface RawRead {
  atMs: number;
  bytes: Uint8Array;
}

/** Everything the server sent for one request. */
export interface RawHttpAnswer {
  status: number;
  /** Status line and headers, without the blank line. */
  head: string;
  /** The body ended as framed: its last chunk, its length, or a close when it has neither. */
  complete: boolean;
  /** Each TCP read (empty with `keepReads: false`). */
  reads: RawRead[];
  /** The whole answer, decoded as UTF-8. */
  readonly text: string;
  /** The body after the blank line, framing included. */
  readonly body: string;
  /** The body without its chunked framing. */
  readonly content: string;
}

const encoder = new TextEncoder();
const HEAD_END = [13, 10, 13, 10];

/**
 * Sends one request to `origin` (e.g. `http://127.0.0.1:8080`) over a new TCP
 * connection, reads the answer to its end, and closes the connection.
 *
 * @example
 * ```ts ignore
 * import { rawHttp } from "./raw_client.ts";
 * const answer = await rawHttp(site.url, { method: "POST", target: "/wp-json/mwai/v1/start_session" });
 * answer.head.split("\r\n")[0]; // "HTTP/1.1 200 OK"
 * ```
 */
export async function rawHttp(
  origin: string,
  request: RawHttpRequest,
  options: RawHttpOptions = {},
): Promise<RawHttpAnswer> {
  const { hostname, port } = new URL(origin);
  const conn = await Deno.connect({ hostname, port: Number(port) });
  conn.setNoDelay(true);
  try {
    const body = encoder.encode(request.body ?? "");
    const headers = { ...request.headers };
    const chunked = Object.keys(headers).some((name) => name.toLowerCase() === "transfer-encoding");
    if (request.body !== undefined && !chunked) headers["Content-Length"] = String(body.length);
    const head = [
      `${request.method} ${request.target} HTTP/1.1`,
      ...Object.entries(headers).map(([k, v]) => `${k}: ${v}`),
    ];
    await writeAll(conn, encoder.encode(`${head.join("\r\n")}\r\n\r\n`));
    await writeAll(conn, body);
    return await readAnswer(conn, options);
  } finally {
    conn.close();
  }
}

async function readAnswer(conn: Deno.Conn, options: RawHttpOptions): Promise<RawHttpAnswer> {
  const keepReads = options.keepReads ?? true;
  const started = performance.now();
  const reads: RawRead[] = [];
  const answer = new AnswerFraming(options.onBody ?? (() => {}));
  const buffer = new Uint8Array(256 * 1024);
  for (;;) {
    const n = await conn.read(buffer);
    if (n === null) break;
    const bytes = buffer.subarray(0, n);
    if (keepReads) reads.push({ atMs: performance.now() - started, bytes: bytes.slice() });
    if (answer.push(bytes, performance.timeOrigin + performance.now())) break;
  }
  return answerOf(answer, reads);
}

/** Finds the head, then hands on body bytes until the body's framing says it is over. */
class AnswerFraming {
  status = 0;
  head = "";
  /** The body is over as framed (not merely cut by the close). */
  ended = false;
  inBody = false;
  lengthLeft: number | null = null;
  chunked: ChunkedDecoder | null = null;
  /** Where the body starts in the bytes read. */
  bodyStart = 0;
  #seen = 0;
  #pending: Uint8Array = new Uint8Array(0);
  #onBody: (bytes: Uint8Array, arrival: number) => void;

  constructor(onBody: (bytes: Uint8Array, arrival: number) => void) {
    this.#onBody = onBody;
  }

  /** Takes one read; true once the body is over. */
  push(bytes: Uint8Array, arrival: number): boolean {
    this.#seen += bytes.length;
    if (!this.inBody) {
      const rest = this.#takeHead(bytes);
      if (rest === null) return false;
      bytes = rest;
    }
    const pieces = this.chunked ? this.chunked.push(bytes) : [this.#byLength(bytes)];
    for (const piece of pieces) if (piece.length > 0) this.#onBody(piece, arrival);
    this.ended = this.chunked?.done ?? this.lengthLeft === 0;
    return this.ended;
  }

  // Skips interim 1xx answers (100 Continue); returns the bytes after the final head.
  #takeHead(bytes: Uint8Array): Uint8Array | null {
    this.#pending = concatBytes([this.#pending, bytes]);
    for (;;) {
      const end = indexOf(this.#pending, HEAD_END);
      if (end === -1) return null;
      const head = new TextDecoder().decode(this.#pending.subarray(0, end));
      const rest = this.#pending.subarray(end + 4);
      const status = Number(head.slice(9, 12));
      if (status >= 200 || status < 100) {
        this.status = status;
        this.head = this.head + head;
        this.inBody = true;
        this.chunked = /^transfer-encoding:[^\r\n]*chunked/im.test(head)
          ? new ChunkedDecoder()
          : null;
        const length = /^content-length:\s*(\d+)/im.exec(head)?.[1];
        this.lengthLeft = this.chunked || length === undefined ? null : Number(length);
        this.bodyStart = this.#seen - rest.length;
        this.#pending = new Uint8Array(0);
        return rest;
      }
      this.head += `${head}\r\n\r\n`;
      this.#pending = rest;
    }
  }

  #byLength(bytes: Uint8Array): Uint8Array {
    if (this.lengthLeft === null) return bytes;
    const take = bytes.subarray(0, this.lengthLeft);
    this.lengthLeft -= take.length;
    return take;
  }
}

function answerOf(framing: AnswerFraming, reads: RawRead[]): RawHttpAnswer {
  const all = () => concatBytes(reads.map((read) => read.bytes));
  const bodyBytes = () => {
    const bytes = all();
    return bytes.subarray(framing.inBody ? framing.bodyStart : bytes.length);
  };
  return {
    status: framing.status,
    head: framing.head,
    complete: framing.inBody &&
      (framing.ended || framing.chunked === null && framing.lengthLeft === null),
    reads,
    get text() {
      return new TextDecoder().decode(all());
    },
    get body() {
      return new TextDecoder().decode(bodyBytes());
    },
    get content() {
      if (!framing.chunked) return new TextDecoder().decode(bodyBytes());
      return new TextDecoder().decode(concatBytes(new ChunkedDecoder().push(bodyBytes())));
    },
  };
}

function indexOf(haystack: Uint8Array, needle: number[]): number {
  outer: for (let i = 0; i + needle.length <= haystack.length; i++) {
    for (let j = 0; j < needle.length; j++) if (haystack[i + j] !== needle[j]) continue outer;
    return i;
  }
  return -1;
}

async function writeAll(conn: Deno.Conn, bytes: Uint8Array): Promise<void> {
  while (bytes.length > 0) bytes = bytes.subarray(await conn.write(bytes));
}
