/**
 * One HTTP/1.1 exchange on a fresh TCP connection, read as the socket fills: the
 * bench's client, light enough never to be what limits a measurement.
 *
 * @module
 */
import { ChunkedDecoder } from "./chunked_decoder.ts";
import { clockMs } from "./event_clock.ts";

/** A request to send: a POST with a string body. */
export interface SocketRequest {
  headers: Record<string, string>;
  body: string;
}

const encoder = new TextEncoder();
const HEAD_END = [13, 10, 13, 10];

/**
 * POSTs `request` to `url` and hands each piece of body to `onBody` with its arrival
 * time (ms since the epoch), as it arrives. Resolves with the status, and whether the
 * body ended properly: its last chunk when chunked, else the server closing.
 */
export async function exchange(
  url: string,
  request: SocketRequest,
  onBody: (bytes: Uint8Array, arrival: number) => void,
): Promise<{ status: number; complete: boolean }> {
  const { hostname, port, pathname, search } = new URL(url);
  const conn = await Deno.connect({ hostname, port: Number(port) });
  conn.setNoDelay(true);
  try {
    const body = encoder.encode(request.body);
    const head = [
      `POST ${pathname}${search} HTTP/1.1`,
      `host: ${hostname}:${port}`,
      `content-length: ${body.length}`,
      "connection: close",
      ...Object.entries(request.headers).map(([name, value]) => `${name}: ${value}`),
    ].join("\r\n");
    await writeAll(conn, encoder.encode(`${head}\r\n\r\n`));
    await writeAll(conn, body);
    return await readAnswer(conn, onBody);
  } finally {
    conn.close();
  }
}

async function readAnswer(
  conn: Deno.Conn,
  onBody: (bytes: Uint8Array, arrival: number) => void,
): Promise<{ status: number; complete: boolean }> {
  const buffer = new Uint8Array(64 * 1024);
  let head: Uint8Array = new Uint8Array(0);
  let status = 0;
  let chunked: ChunkedDecoder | null = null;
  let inBody = false;
  for (;;) {
    const n = await conn.read(buffer);
    if (n === null) return { status, complete: inBody && (chunked === null || chunked.done) };
    const arrival = clockMs();
    let bytes: Uint8Array = buffer.subarray(0, n);
    if (!inBody) {
      head = concat(head, bytes);
      const end = indexOf(head, HEAD_END);
      if (end === -1) continue;
      const text = new TextDecoder().decode(head.subarray(0, end));
      status = Number(text.slice(9, 12));
      chunked = /^transfer-encoding:\s*chunked/im.test(text) ? new ChunkedDecoder() : null;
      inBody = true;
      bytes = head.subarray(end + 4);
    }
    for (const piece of chunked ? chunked.push(bytes) : [bytes]) {
      if (piece.length > 0) onBody(piece, arrival);
    }
    if (chunked?.done) return { status, complete: true };
  }
}

function concat(a: Uint8Array, b: Uint8Array): Uint8Array {
  const joined = new Uint8Array(a.length + b.length);
  joined.set(a);
  joined.set(b, a.length);
  return joined;
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
