const utf8 = new TextEncoder();
const IV_BYTES = 12;

/**
 * JSON values sealed into URL-safe tokens (base64url, no padding): deflated, then encrypted
 * and authenticated with AES-256-GCM, so a token can be handed to a client and taken back
 * later with no storage, and neither read nor forged without the key. The key is derived
 * from `secret` (with a label of its own, so one secret keys unrelated things apart), or
 * random when `secret` is null: tokens then hold for the isolate's life only.
 *
 * `context` (e.g. who the token was given to) is authenticated, not sealed: a token opens
 * only with the same context.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { SealedJson } from "./sealed_json.ts";
 * const sealer = new SealedJson("a secret of sixteen or more", "example v1");
 * const token = await sealer.seal({ hello: "world" }, "client-a");
 * assert.match(token, /^[A-Za-z0-9_-]+$/);
 * assert.deepEqual(await sealer.open(token, "client-a"), { hello: "world" });
 * assert.equal(await sealer.open(token, "client-b"), null);
 * assert.equal(await sealer.open(token.slice(0, -2) + "AA", "client-a"), null);
 * ```
 */
export class SealedJson {
  /** Whether tokens open in every isolate and after a restart (a secret was given). */
  readonly stable: boolean;
  #key: Promise<CryptoKey>;

  /** Tokens keyed by `secret` under `label`, or by a random key of this instance's own. */
  constructor(secret: string | null, label: string) {
    this.stable = secret !== null;
    this.#key = (async () => {
      const raw = secret === null
        ? crypto.getRandomValues(new Uint8Array(32))
        : new Uint8Array(await crypto.subtle.digest("SHA-256", utf8.encode(`${label}\0${secret}`)));
      return await crypto.subtle.importKey("raw", raw, "AES-GCM", false, ["encrypt", "decrypt"]);
    })();
  }

  /** `value` as a token that only {@linkcode open} with the same `context` reads. */
  async seal(value: unknown, context = ""): Promise<string> {
    const iv = crypto.getRandomValues(new Uint8Array(IV_BYTES));
    const plain = await transform(
      utf8.encode(JSON.stringify(value)),
      new CompressionStream("deflate-raw"),
    );
    const sealed = await crypto.subtle.encrypt(
      { name: "AES-GCM", iv, additionalData: utf8.encode(context) },
      await this.#key,
      plain,
    );
    const bytes = new Uint8Array(IV_BYTES + sealed.byteLength);
    bytes.set(iv);
    bytes.set(new Uint8Array(sealed), IV_BYTES);
    return toBase64Url(bytes);
  }

  /** The value a token sealed, or null when it is not one of this key's, or was altered. */
  async open(token: string, context = ""): Promise<unknown> {
    const bytes = fromBase64Url(token);
    if (bytes === null || bytes.length <= IV_BYTES + 16) return null;
    try {
      const plain = await crypto.subtle.decrypt(
        { name: "AES-GCM", iv: bytes.subarray(0, IV_BYTES), additionalData: utf8.encode(context) },
        await this.#key,
        bytes.subarray(IV_BYTES),
      );
      const text = new TextDecoder().decode(
        await transform(new Uint8Array(plain), new DecompressionStream("deflate-raw")),
      );
      return JSON.parse(text);
    } catch {
      return null;
    }
  }
}

async function transform(
  bytes: Uint8Array<ArrayBuffer>,
  stage: CompressionStream | DecompressionStream,
): Promise<Uint8Array<ArrayBuffer>> {
  const stream = new Blob([bytes]).stream().pipeThrough(stage);
  return new Uint8Array(await new Response(stream).arrayBuffer());
}

function toBase64Url(bytes: Uint8Array): string {
  let binary = "";
  for (let i = 0; i < bytes.length; i += 0x8000) {
    binary += String.fromCharCode(...bytes.subarray(i, i + 0x8000));
  }
  return btoa(binary).replaceAll("+", "-").replaceAll("/", "_").replace(/=+$/, "");
}

function fromBase64Url(text: string): Uint8Array<ArrayBuffer> | null {
  if (!/^[A-Za-z0-9_-]*$/.test(text)) return null;
  let binary: string;
  try {
    binary = atob(text.replaceAll("-", "+").replaceAll("_", "/"));
  } catch {
    return null;
  }
  return Uint8Array.from(binary, (char) => char.charCodeAt(0));
}
