/**
 * The site's answer body with its `Content-Encoding` undone: one decision for both ways to
 * the site. Both runtimes' `fetch` decode `gzip` and `br` themselves (Deno 2.9 and workerd
 * 1.20261117, tried: the header stays, the body comes decoded); neither decodes `deflate`.
 * A socket decodes nothing itself. What is left is undone with `DecompressionStream`
 * (`gzip`, `deflate`, and `br` where it knows `"brotli"`, as Deno 2.9 does). Anything
 * else (`zstd`, a stacked or unknown coding) cannot be read here.
 *
 * @module
 */

/** The codings the runtime's `fetch` has already decoded when the body reaches us. */
export const DECODED_BY_FETCH: ReadonlySet<string> = new Set(["gzip", "br"]);

/** The `DecompressionStream` format of each HTTP content coding it may undo. */
const FORMATS: Record<string, string> = { gzip: "gzip", deflate: "deflate", br: "brotli" };

/**
 * The codings `DecompressionStream` undoes in this runtime, as an `Accept-Encoding` value:
 * what a client that decodes nothing itself (a socket) may ask for.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { decodableCodings } from "./content_decoding.ts";
 * assert.match(decodableCodings(), /^gzip, deflate/);
 * ```
 */
export function decodableCodings(): string {
  return Object.keys(FORMATS).filter(decodable).join(", ");
}

const known = new Map<string, boolean>();

function decodable(coding: string): boolean {
  const format = FORMATS[coding];
  if (format === undefined) return false;
  let can = known.get(coding);
  if (can === undefined) {
    try {
      new DecompressionStream(format as CompressionFormat);
      can = true;
    } catch {
      can = false; // a runtime without this format (brotli is recent)
    }
    known.set(coding, can);
  }
  return can;
}

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
 * `body` decoded as `headers` say (the codings in `decodedAlready` were undone before it
 * came: `fetch`'s by default, none for a socket), streaming as it comes (a `DecompressionStream` hands on
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
  decodedAlready: ReadonlySet<string> = DECODED_BY_FETCH,
): ReadableStream<Uint8Array> {
  const coding = contentCoding(headers);
  if (coding === null || decodedAlready.has(coding)) return body;
  if (decodable(coding)) {
    const format = FORMATS[coding] as CompressionFormat;
    return body.pipeThrough(
      new DecompressionStream(format) as TransformStream<Uint8Array, Uint8Array>,
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
