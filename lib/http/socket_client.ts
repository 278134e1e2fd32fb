import { ChunkedDecoder } from "./chunked_decoder.ts";
import { type BodyFraming, headEnd, MAX_HEAD_BYTES, parseResponseHead } from "./response_head.ts";
import type { UpstreamClient, UpstreamRequest } from "./upstream_client.ts";
import type { ByteSource } from "../streams/byte_source.ts";

/** A connection to the site: bytes written, bytes read into memory the connection owns. */
export interface Connection {
  /** The next bytes the site sent, valid until the next read; `null` when it closed. */
  read(): Promise<Uint8Array | null>;
  write(bytes: Uint8Array): Promise<void>;
  close(): void;
}

/** Opens a connection to `url`'s host and port, over TLS for `https:`. */
export type Connect = (url: URL) => Promise<Connection>;

const utf8 = new TextEncoder();

/**
 * An {@linkcode UpstreamClient} that speaks HTTP/1.1 itself over a connection that the
 * runtime opens (`connect`). It exists for speed: a real site sends each event as two
 * HTTP chunks, and `fetch` hands every chunk to JavaScript as its own read, where a
 * socket read returns all that has arrived, decoded in place (README, "Performance").
 *
 * One request per connection (`Connection: close`), no redirects followed, no
 * compression asked for; a header value that would break the request line is refused
 * before anything is sent, as `fetch` refuses it. Aborting `signal` closes the connection.
 */
export function socketClient(connect: Connect): UpstreamClient {
  return async (url, request) => {
    const target = new URL(url);
    if (target.username || target.password) {
      throw new TypeError("A site URL with credentials is not supported");
    }
    const bytes = requestBytes(target, request);
    const { signal } = request;
    signal?.throwIfAborted();
    const connection = await connect(target);
    if (signal?.aborted) {
      connection.close();
      throw signal.reason;
    }
    const abort = () => connection.close();
    signal?.addEventListener("abort", abort, { once: true });
    const release = () => signal?.removeEventListener("abort", abort);
    try {
      await connection.write(bytes);
      const { head, rest } = await readHead(connection);
      const parsed = parseResponseHead(head, request.method);
      const body = new SocketBody(connection, parsed.framing, rest, signal, release);
      return { status: parsed.status, headers: parsed.headers, body };
    } catch (error) {
      release();
      connection.close();
      throw signal?.aborted ? signal.reason : error;
    }
  };
}

function requestBytes(url: URL, request: UpstreamRequest): Uint8Array {
  const body = typeof request.body === "string"
    ? utf8.encode(request.body)
    : request.body ?? new Uint8Array(0);
  let text = `${request.method} ${url.pathname}${url.search} HTTP/1.1\r\nhost: ${url.host}\r\n`;
  for (const [name, value] of Object.entries(request.headers)) {
    if (!SAFE_VALUE.test(value)) throw new TypeError(`Invalid value for the header ${name}`);
    text += `${name}: ${value}\r\n`;
  }
  const length = request.body === undefined ? "" : `content-length: ${body.length}\r\n`;
  const head = utf8.encode(`${text}${length}connection: close\r\n\r\n`);
  const bytes = new Uint8Array(head.length + body.length);
  bytes.set(head);
  bytes.set(body, head.length);
  return bytes;
}

/** Printable ASCII and tabs: a value that cannot end its line early or be misread. */
const SAFE_VALUE = /^[\t\x20-\x7e]*$/;

/** Reads until the blank line after the head; skips `1xx` interim answers. */
async function readHead(connection: Connection): Promise<{ head: Uint8Array; rest: Uint8Array }> {
  let buffered = new Uint8Array(0);
  for (;;) {
    const bytes = await connection.read();
    if (bytes === null) throw new TypeError("The site closed the connection before answering");
    const joined = new Uint8Array(buffered.length + bytes.length);
    joined.set(buffered);
    joined.set(bytes, buffered.length);
    buffered = joined;
    let end = headEnd(buffered);
    while (end !== -1 && isInterim(buffered)) {
      buffered = buffered.subarray(end);
      end = headEnd(buffered);
    }
    if (end !== -1) return { head: buffered.subarray(0, end), rest: buffered.subarray(end) };
    if (buffered.length > MAX_HEAD_BYTES) {
      throw new TypeError("The site's answer head is too large");
    }
  }
}

function isInterim(bytes: Uint8Array): boolean {
  // "HTTP/1.1 1xx": the status's first digit is the tenth byte.
  return bytes[9] === 0x31 && bytes[12] === 0x20 && bytes[8] === 0x20;
}

/** The body of a socket answer, framed as its head says; ends the connection when done. */
class SocketBody implements ByteSource {
  #connection: Connection;
  #framing: BodyFraming;
  #chunked: ChunkedDecoder | null;
  #left: number;
  #pending: Uint8Array | null;
  #signal: AbortSignal | undefined;
  #release: () => void;
  #closed = false;

  constructor(
    connection: Connection,
    framing: BodyFraming,
    pending: Uint8Array,
    signal: AbortSignal | undefined,
    release: () => void,
  ) {
    this.#connection = connection;
    this.#framing = framing;
    this.#chunked = framing.kind === "chunked" ? new ChunkedDecoder() : null;
    this.#left = framing.kind === "length" ? framing.length : -1;
    this.#pending = pending.length > 0 ? pending : null;
    this.#signal = signal;
    this.#release = release;
    if (this.#complete()) this.#close();
  }

  async read(): Promise<Uint8Array | null> {
    for (;;) {
      if (this.#closed && this.#pending === null) return null;
      let bytes = this.#pending;
      this.#pending = null;
      if (bytes === null) {
        try {
          bytes = await this.#connection.read();
        } catch (error) {
          this.#close();
          throw this.#signal?.aborted ? this.#signal.reason : error;
        }
        if (this.#signal?.aborted) throw this.#signal.reason;
        if (bytes === null) {
          this.#close();
          if (this.#framing.kind === "close") return null;
          throw new TypeError("The site closed the connection before the body ended");
        }
      }
      const data = this.#frame(bytes);
      if (this.#complete()) this.#close();
      if (data.length > 0) return data;
    }
  }

  cancel(): Promise<void> {
    this.#pending = null;
    this.#close();
    return Promise.resolve();
  }

  #frame(bytes: Uint8Array): Uint8Array {
    if (this.#chunked) return this.#chunked.decode(bytes);
    if (this.#left < 0) return bytes;
    const data = bytes.length > this.#left ? bytes.subarray(0, this.#left) : bytes;
    this.#left -= data.length;
    return data;
  }

  #complete(): boolean {
    return this.#chunked ? this.#chunked.done : this.#left === 0;
  }

  #close(): void {
    if (this.#closed) return;
    this.#closed = true;
    this.#release();
    this.#connection.close();
  }
}
