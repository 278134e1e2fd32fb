/**
 * The emulated site's response compression (nginx's `gzip on` with `text/event-stream` in
 * `gzip_types`, Cloudflare's compression, mod_deflate): one compressor per answer body that
 * flushes after each PHP `flush()`, so every event leaves as compressed bytes at once and
 * streaming stays real, as with `gzip_proxied` behind `X-Accel-Buffering: no`.
 *
 * @module
 */

import zlib from "node:zlib";
import { concatBytes } from "../../lib/util/concat_bytes.ts";

/** A `Content-Encoding` the emulated site can answer in. */
export type ContentCoding = "gzip" | "br" | "deflate" | "zstd";

const { constants } = zlib;

// deno-lint-ignore no-explicit-any -- node:zlib's Zstd types lag behind the runtime
const zstdOf = zlib as any;

const CODINGS: Record<ContentCoding, { make(): zlib.Gzip; flush: number }> = {
  gzip: { make: () => zlib.createGzip(), flush: constants.Z_SYNC_FLUSH },
  deflate: { make: () => zlib.createDeflate(), flush: constants.Z_SYNC_FLUSH },
  br: {
    make: () => zlib.createBrotliCompress() as zlib.Gzip,
    flush: constants.BROTLI_OPERATION_FLUSH,
  },
  zstd: { make: () => zstdOf.createZstdCompress(), flush: zstdOf.constants.ZSTD_e_flush },
};

/**
 * One answer body's compressor: `compress()` takes a flush's bytes and resolves what they
 * compress to, flushed; `end()` resolves the coding's trailer.
 *
 * @example
 * ```ts
 * import { BodyCompressor } from "./body_compressor.ts";
 * const gzip = new BodyCompressor("gzip");
 * const first = await gzip.compress(new TextEncoder().encode("data: hi\n\n"));
 * const rest = await gzip.end();
 * console.log(first.length > 0 && rest.length > 0); // true
 * ```
 */
export class BodyCompressor {
  #stream: zlib.Gzip;
  #flush: number;
  #out: Uint8Array[] = [];

  constructor(coding: ContentCoding) {
    const { make, flush } = CODINGS[coding];
    this.#stream = make();
    this.#flush = flush;
    this.#stream.on("data", (bytes: Uint8Array) => this.#out.push(bytes));
  }

  /** `bytes` compressed and flushed: a decoder given all output so far can read them whole. */
  compress(bytes: Uint8Array): Promise<Uint8Array> {
    return new Promise((resolve) => {
      this.#stream.write(bytes);
      this.#stream.flush(this.#flush, () => resolve(this.#take()));
    });
  }

  /** Ends the body: the coding's last bytes (gzip's CRC and length, for one). */
  end(): Promise<Uint8Array> {
    return new Promise((resolve) => {
      this.#stream.on("end", () => resolve(this.#take()));
      this.#stream.end();
    });
  }

  /** Stops without a trailer (the answer was cut): frees the compressor. */
  discard(): void {
    this.#stream.destroy();
  }

  #take(): Uint8Array {
    return concatBytes(this.#out.splice(0));
  }
}
