/**
 * A pull-based source of bytes: the one shape the answer's reader needs from an HTTP body,
 * whoever reads it (a fetch body, a socket). It costs one promise per read and nothing
 * else, where a stream hop costs a few microseconds per chunk.
 */
export interface ByteSource {
  /**
   * The next bytes, or `null` at the end. The bytes are the reader's until its next
   * `read()`: a source may reuse their memory then.
   */
  read(): Promise<Uint8Array | null>;
  /** Stops the source early and frees what it holds (the request behind it is aborted). */
  cancel(reason?: unknown): Promise<void>;
}

/** The buffer a byte stream is read into; larger reads come in pieces of this size. */
const READ_BUFFER_BYTES = 64 * 1024;

/**
 * A {@linkcode ByteSource} over a web stream. A byte stream (a fetch body on Deno and on
 * Workers) is read with a BYOB reader into one buffer, handed back and forth between
 * reads, instead of a fresh 64 KiB buffer for every read; any other stream through its
 * default reader.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { byteSource } from "./byte_source.ts";
 * const source = byteSource(new Response("hello").body!);
 * assert.equal(new TextDecoder().decode((await source.read())!), "hello");
 * assert.equal(await source.read(), null);
 * ```
 */
export function byteSource(stream: ReadableStream<Uint8Array>): ByteSource {
  let byob: ReadableStreamBYOBReader | null = null;
  try {
    byob = stream.getReader({ mode: "byob" });
  } catch {
    // Not a byte stream: read it as it is.
  }
  return byob ? new ByobSource(byob) : new DefaultSource(stream.getReader());
}

class ByobSource implements ByteSource {
  #reader: ReadableStreamBYOBReader;
  #buffer: ArrayBuffer = new ArrayBuffer(READ_BUFFER_BYTES);

  constructor(reader: ReadableStreamBYOBReader) {
    this.#reader = reader;
  }

  async read(): Promise<Uint8Array | null> {
    const { done, value } = await this.#reader.read(new Uint8Array(this.#buffer));
    if (done || !value) return null;
    // The read transferred the buffer into `value`: take it back for the next read.
    this.#buffer = value.buffer as ArrayBuffer;
    return value;
  }

  cancel(reason?: unknown): Promise<void> {
    return this.#reader.cancel(reason);
  }
}

class DefaultSource implements ByteSource {
  #reader: ReadableStreamDefaultReader<Uint8Array>;

  constructor(reader: ReadableStreamDefaultReader<Uint8Array>) {
    this.#reader = reader;
  }

  async read(): Promise<Uint8Array | null> {
    const { done, value } = await this.#reader.read();
    return done ? null : value;
  }

  cancel(reason?: unknown): Promise<void> {
    return this.#reader.cancel(reason);
  }
}

/**
 * A {@linkcode ByteSource} that yields `chunks`, then ends: for answers whose bytes are
 * already at hand (tests, a body read ahead).
 */
export function bytesOf(chunks: readonly Uint8Array[]): ByteSource {
  let next = 0;
  return {
    read: () => Promise.resolve(next < chunks.length ? chunks[next++]! : null),
    cancel: () => {
      next = chunks.length;
      return Promise.resolve();
    },
  };
}
