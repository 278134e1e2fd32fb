import { AiEngineError } from "../ai_engine_error.ts";
import { type ByteSource, byteSource } from "../../streams/byte_source.ts";

/**
 * Reads a body of the site's whole as text, after the bytes already read (`head`),
 * refusing one over `maxChars` characters (and cancelling it then): start_session's, an
 * upload's, a JSON answer's.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { readText } from "./whole_body.ts";
 * const body = new Response("{}").body!;
 * assert.equal(await readText(body, 100), "{}");
 * ```
 */
export async function readText(
  body: ByteSource | ReadableStream<Uint8Array>,
  maxChars: number,
  head: Uint8Array | null = null,
): Promise<string> {
  const source = body instanceof ReadableStream ? byteSource(body) : body;
  const utf8 = new TextDecoder();
  let text = "";
  for (let bytes = head ?? await source.read(); bytes !== null; bytes = await source.read()) {
    text += utf8.decode(bytes, { stream: true });
    if (text.length > maxChars) {
      await source.cancel();
      throw new AiEngineError(
        "too_large",
        `Upstream answer too large: over ${maxChars} characters`,
      );
    }
  }
  return text + utf8.decode();
}

/**
 * Reads a JSON body whole, refusing one over `maxChars` characters and one that is not
 * JSON (`malformed`).
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { readJson } from "./whole_body.ts";
 * import { byteSource } from "../../streams/byte_source.ts";
 * assert.deepEqual(await readJson(byteSource(new Response('{"a":1}').body!), 100), { a: 1 });
 * ```
 */
export async function readJson(
  body: ByteSource,
  maxChars: number,
  head: Uint8Array | null = null,
): Promise<unknown> {
  const text = await readText(body, maxChars, head);
  try {
    return JSON.parse(text);
  } catch (cause) {
    throw new AiEngineError("malformed", "Invalid upstream answer: not JSON", { cause });
  }
}
