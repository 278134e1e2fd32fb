/**
 * The site's answer body with its `Content-Encoding` undone. Both runtimes' `fetch` decode
 * `gzip` and `br` themselves (Deno 2.9 and workerd 1.20261117, tried: the header stays,
 * the body comes decoded); neither decodes `deflate`, which `DecompressionStream` does on
 * both. Anything else (`zstd`, a stacked or unknown coding) cannot be read here.
 *
 * @module
 */

/** The codings the runtime's `fetch` has already decoded when the body reaches us. */
const DECODED_BY_FETCH = new Set(["gzip", "br"]);

/**
 * The site answered in a content coding that cannot be decoded here (`encoding` is the
 * `Content-Encoding` as sent). Thrown before the body is read; nothing of the URL in it.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { UnsupportedContentEncoding } from "./content_decoding.ts";
 * const error = new UnsupportedContentEncoding("zstd");
 * assert.equal(error.encoding, "zstd");
 * assert.match(error.message, /zstd/);
 * ```
 */
export class UnsupportedContentEncoding extends Error {
  override readonly name = "UnsupportedContentEncoding";
  /** The `Content-Encoding` header as the site sent it. */
  readonly encoding: string;

  constructor(encoding: string) {
    super(`The site's answer is in a content coding that cannot be decoded: ${encoding}`);
    this.encoding = encoding;
  }
}

/**
 * `body` decoded as `headers` say, streaming as it comes (a `DecompressionStream` hands on
 * what each compressed piece holds, so an event flushed by the site is not held back).
 *
 * @throws {UnsupportedContentEncoding} when the coding is none this runtime can undo
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { decodedBody } from "./content_decoding.ts";
 * const deflated = new Response("data: hi\n\n").body!.pipeThrough(new CompressionStream("deflate"));
 * const body = decodedBody(deflated, new Headers({ "content-encoding": "deflate" }));
 * assert.equal(await new Response(body).text(), "data: hi\n\n");
 * ```
 */
export function decodedBody(
  body: ReadableStream<Uint8Array>,
  headers: Headers,
): ReadableStream<Uint8Array> {
  const coding = contentCoding(headers);
  if (coding === null || DECODED_BY_FETCH.has(coding)) return body;
  if (coding === "deflate") {
    return body.pipeThrough(
      new DecompressionStream("deflate") as TransformStream<
        Uint8Array,
        Uint8Array
      >,
    );
  }
  throw new UnsupportedContentEncoding(headers.get("content-encoding") ?? coding);
}

/**
 * The one coding named by `Content-Encoding` (lower case), or null for none or `identity`.
 * A list of several is refused as a whole: no runtime here undoes a stack of codings.
 */
function contentCoding(headers: Headers): string | null {
  const value = headers.get("content-encoding");
  if (value === null) return null;
  const codings = value.split(",").map((coding) => coding.trim().toLowerCase())
    .filter((coding) => coding !== "" && coding !== "identity");
  if (codings.length === 0) return null;
  if (codings.length > 1) throw new UnsupportedContentEncoding(value);
  return codings[0]!;
}
