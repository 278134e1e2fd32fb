/**
 * Reads one HTTP/1.1 request off a raw TCP connection, the way a small PHP server
 * does: request line, header lines, then a body framed by `Content-Length` or by
 * `Transfer-Encoding: chunked`.
 *
 * @module
 */
import { concatBytes } from "../../lib/util/concat_bytes.ts";

/** One request as it came off the wire. */
export interface RawRequest {
  method: string;
  /** The request target exactly as sent, e.g. `/wp-json/mwai/v1/start_session`. */
  target: string;
  headers: Headers;
  body: Uint8Array;
}

/**
 * The request could not be parsed; the emulator answers it with a bare 400.
 *
 * @example
 * ```ts
 * import { BadRequestError } from "./http_request_reader.ts";
 * new BadRequestError("Invalid request line: GET").name; // "BadRequestError"
 * ```
 */
export class BadRequestError extends Error {
  override name = "BadRequestError";
}

const MAX_HEAD_BYTES = 64 * 1024;

/**
 * Reads one request from `conn`; resolves `null` when the peer closes before sending
 * anything. Bytes after the body are left unread (the emulator serves one request per
 * connection, like the recorded site, which answers `Connection: close`).
 *
 * @example
 * ```ts ignore
 * import { readRequest } from "./http_request_reader.ts";
 * const conn = await listener.accept();
 * const request = await readRequest(conn);
 * console.log(request?.method, request?.target);
 * ```
 */
export async function readRequest(conn: Deno.Conn): Promise<RawRequest | null> {
  const reader = new ByteReader(conn);
  const requestLine = await reader.readLine(MAX_HEAD_BYTES);
  if (requestLine === null) return null;
  const [method, target, version] = requestLine.split(" ");
  if (!method || !target || !version?.startsWith("HTTP/1.")) {
    throw new BadRequestError(`Invalid request line: ${requestLine}`);
  }
  const headers = await readHeaderLines(reader);
  // curl asks before sending a body over 1 KiB and would otherwise wait a second.
  if (headers.get("expect")?.toLowerCase() === "100-continue") {
    await conn.write(new TextEncoder().encode("HTTP/1.1 100 Continue\r\n\r\n"));
  }
  const body = await readBody(reader, headers);
  return { method, target, headers, body };
}

async function readHeaderLines(reader: ByteReader): Promise<Headers> {
  const headers = new Headers();
  for (;;) {
    const line = await reader.readLine(MAX_HEAD_BYTES);
    if (line === null) throw new BadRequestError("Connection closed inside the headers");
    if (line === "") return headers;
    const colon = line.indexOf(":");
    if (colon <= 0) throw new BadRequestError(`Invalid header line: ${line}`);
    headers.append(line.slice(0, colon).trim(), line.slice(colon + 1).trim());
  }
}

async function readBody(reader: ByteReader, headers: Headers): Promise<Uint8Array> {
  if (headers.get("transfer-encoding")?.toLowerCase().includes("chunked")) {
    return await readChunkedBody(reader);
  }
  const length = Number(headers.get("content-length") ?? "0");
  if (!Number.isSafeInteger(length) || length < 0) {
    throw new BadRequestError(`Invalid Content-Length: ${headers.get("content-length")}`);
  }
  return await reader.readExactly(length);
}

async function readChunkedBody(reader: ByteReader): Promise<Uint8Array> {
  const parts: Uint8Array[] = [];
  for (;;) {
    const sizeLine = await reader.readLine(MAX_HEAD_BYTES);
    const size = parseInt(sizeLine?.split(";")[0] ?? "", 16);
    if (!Number.isSafeInteger(size) || size < 0) {
      throw new BadRequestError(`Invalid chunk size line: ${sizeLine}`);
    }
    if (size === 0) break;
    parts.push(await reader.readExactly(size));
    await reader.readLine(2);
  }
  // Trailer fields, if any, end with an empty line; none of them matter here.
  while ((await reader.readLine(MAX_HEAD_BYTES)) ?? "") { /* skip */ }
  return concatBytes(parts);
}

/** A small buffered reader over a connection: lines for the head, exact bytes for the body. */
class ByteReader {
  #conn: Deno.Conn;
  // Unread bytes are #store[#start, #end); the store doubles when a big body needs it.
  #store = new Uint8Array(16 * 1024);
  #start = 0;
  #end = 0;

  constructor(conn: Deno.Conn) {
    this.#conn = conn;
  }

  /** A line without its LF (and without a CR before it); null at EOF before any byte. */
  async readLine(limit: number): Promise<string | null> {
    for (;;) {
      const unread = this.#store.subarray(this.#start, this.#end);
      const lf = unread.indexOf(0x0a);
      if (lf >= 0) {
        const end = lf > 0 && unread[lf - 1] === 0x0d ? lf - 1 : lf;
        this.#start += lf + 1;
        return new TextDecoder().decode(unread.subarray(0, end));
      }
      if (unread.length > limit) throw new BadRequestError("Header line too long");
      if (!(await this.#fill())) {
        if (unread.length === 0) return null;
        throw new BadRequestError("Connection closed inside a line");
      }
    }
  }

  async readExactly(length: number): Promise<Uint8Array> {
    while (this.#end - this.#start < length) {
      if (!(await this.#fill())) throw new BadRequestError("Connection closed inside the body");
    }
    const bytes = this.#store.slice(this.#start, this.#start + length);
    this.#start += length;
    return bytes;
  }

  async #fill(): Promise<boolean> {
    if (this.#end === this.#store.length) this.#makeRoom();
    const n = await this.#conn.read(this.#store.subarray(this.#end));
    if (n === null) return false;
    this.#end += n;
    return true;
  }

  #makeRoom(): void {
    const unread = this.#end - this.#start;
    const size = unread * 2 > this.#store.length ? this.#store.length * 2 : this.#store.length;
    const store = new Uint8Array(size);
    store.set(this.#store.subarray(this.#start, this.#end));
    this.#store = store;
    this.#start = 0;
    this.#end = unread;
  }
}
