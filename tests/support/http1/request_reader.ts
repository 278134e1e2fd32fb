/**
 * Reads one HTTP/1.1 request off a connection, the way a small server does: request
 * line, header lines, then a body framed by `Content-Length` or by
 * `Transfer-Encoding: chunked` (RFC 9112 §6). Bytes after the body stay in the reader,
 * for the next request on a keep-alive connection.
 *
 * @module
 */
import { concatBytes } from "../../../lib/util/concat_bytes.ts";
import { type ConnReader, FramingError } from "./conn_reader.ts";

/** One request as it came off the wire. */
export interface RawRequest {
  method: string;
  /** The request target exactly as sent, e.g. `/wp-json/mwai/v1/start_session`. */
  target: string;
  headers: Headers;
  body: Uint8Array;
}

/**
 * The request could not be parsed; a server answers it with a bare 400.
 *
 * @example
 * ```ts
 * import { BadRequestError } from "./request_reader.ts";
 * new BadRequestError("Invalid request line: GET").name; // "BadRequestError"
 * ```
 */
export class BadRequestError extends Error {
  override name = "BadRequestError";
}

const MAX_HEAD_BYTES = 64 * 1024;

/**
 * Reads one request from `reader`; resolves `null` when the peer closes before sending
 * anything. `onContinue` is called for `Expect: 100-continue`, before the body is read
 * (curl asks before sending a body over 1 KiB and would otherwise wait a second).
 *
 * @example
 * ```ts ignore
 * import { ConnReader } from "./conn_reader.ts";
 * import { readRequest } from "./request_reader.ts";
 * const request = await readRequest(new ConnReader(await listener.accept()));
 * console.log(request?.method, request?.target);
 * ```
 */
export async function readRequest(
  reader: ConnReader,
  onContinue: () => Promise<unknown> = () => Promise.resolve(),
): Promise<RawRequest | null> {
  try {
    const requestLine = await reader.readLine(MAX_HEAD_BYTES);
    if (requestLine === null) return null;
    const [method, target, version] = requestLine.split(" ");
    if (!method || !target || !version?.startsWith("HTTP/1.")) {
      throw new BadRequestError(`Invalid request line: ${requestLine}`);
    }
    const headers = await readHeaderLines(reader);
    if (headers.get("expect")?.toLowerCase() === "100-continue") await onContinue();
    const body = await readBody(reader, headers);
    return { method, target, headers, body };
  } catch (error) {
    if (error instanceof FramingError) throw new BadRequestError(error.message);
    throw error;
  }
}

async function readHeaderLines(reader: ConnReader): Promise<Headers> {
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

async function readBody(reader: ConnReader, headers: Headers): Promise<Uint8Array> {
  if (headers.get("transfer-encoding")?.toLowerCase().includes("chunked")) {
    return await readChunkedBody(reader);
  }
  const length = Number(headers.get("content-length") ?? "0");
  if (!Number.isSafeInteger(length) || length < 0) {
    throw new BadRequestError(`Invalid Content-Length: ${headers.get("content-length")}`);
  }
  return await reader.readExactly(length);
}

async function readChunkedBody(reader: ConnReader): Promise<Uint8Array> {
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
