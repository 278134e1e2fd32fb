import { hex } from "../../util/hex.ts";
import { HttpError } from "../http_error.ts";
import { timingSafeEqual } from "../../util/timing_safe_equal.ts";

/** How far a signed call's timestamp may be from now, in seconds (replay window). */
export const SIGNATURE_TOLERANCE_SECONDS = 300;

/**
 * Checks a signed webhook call: `X-Signature-Timestamp: <unix seconds>` and
 * `X-Signature-256: sha256=<hex>`, where hex is HMAC-SHA256 with the secret over the
 * bytes `<timestamp>.<raw body>`. The MAC is checked on the raw bytes as received, in
 * constant time; a timestamp more than 300 s from `now` is refused as a replay. Given
 * `seen`, a signature accepted once is refused within its window too (per isolate).
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { signBody, verifySignature } from "./signature.ts";
 * const body = new TextEncoder().encode('{"message":"Hi"}');
 * const timestamp = String(Math.floor(Date.now() / 1000));
 * const signature = await signBody("s3cret", timestamp, body);
 * await verifySignature("s3cret", timestamp, signature, body); // resolves
 * await assert.rejects(verifySignature("other", timestamp, signature, body));
 * ```
 */
export async function verifySignature(
  secret: string,
  timestampHeader: string | null,
  signatureHeader: string | null,
  raw: Uint8Array,
  now: number = Date.now(),
  seen?: SignatureReplays,
): Promise<void> {
  const { timestamp, signature } = requireSignatureHeaders(timestampHeader, signatureHeader);
  if (!/^[0-9]{1,12}$/.test(timestamp)) {
    throw refused("X-Signature-Timestamp must be unix seconds", "invalid_signature");
  }
  if (Math.abs(now / 1000 - Number(timestamp)) > SIGNATURE_TOLERANCE_SECONDS) {
    throw refused(
      `X-Signature-Timestamp is more than ${SIGNATURE_TOLERANCE_SECONDS} s from now (replay?)`,
      "signature_expired",
    );
  }
  const given = signature.match(/^sha256=([0-9a-fA-F]{64})$/)?.[1];
  const expected = await hmac(secret, timestamp, raw);
  if (!given || !timingSafeEqual(hexBytes(given), expected)) {
    throw refused("X-Signature-256 does not match the body", "invalid_signature");
  }
  // Only a valid signature is remembered: no one without the secret can fill the set.
  if (seen && !seen.accept(given.toLowerCase(), Number(timestamp), now)) {
    throw refused("X-Signature-256 was accepted before (replay)", "signature_replayed");
  }
}

/**
 * The signatures accepted within their window, so that each is accepted once. Memory is
 * bounded: an entry leaves when its window ends, and past `max` entries the oldest goes
 * (a replay of that one would then pass, as it would on another isolate: replays are
 * refused per isolate, not across a deployment).
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { SignatureReplays } from "./signature.ts";
 * const seen = new SignatureReplays();
 * const now = Date.now();
 * assert.equal(seen.accept("ab12", Math.floor(now / 1000), now), true);
 * assert.equal(seen.accept("ab12", Math.floor(now / 1000), now), false);
 * ```
 */
export class SignatureReplays {
  /** Signature → when its window ends (ms); in order of acceptance. */
  #until = new Map<string, number>();
  #max: number;

  /** Remembers at most `max` signatures at once. */
  constructor(max = 10_000) {
    this.#max = max;
  }

  /** How many signatures are remembered now. */
  get size(): number {
    return this.#until.size;
  }

  /** Whether `signature` (timestamped `timestamp`, unix seconds) is new at `now`; remembers it. */
  accept(signature: string, timestamp: number, now: number): boolean {
    this.#forget(now);
    const until = this.#until.get(signature);
    if (until !== undefined && until >= now) return false;
    this.#until.delete(signature);
    if (this.#until.size >= this.#max) {
      this.#forget(now, true);
      if (this.#until.size >= this.#max) this.#until.delete(this.#until.keys().next().value!);
    }
    this.#until.set(signature, (timestamp + SIGNATURE_TOLERANCE_SECONDS) * 1000);
    return true;
  }

  // Windows end roughly in order of acceptance: drop from the front, or sweep all when full.
  #forget(now: number, all = false): void {
    for (const [signature, until] of this.#until) {
      if (until < now) this.#until.delete(signature);
      else if (!all) return;
    }
  }
}

/** Refuses a call that lacks either signature header, before its body is read. */
export function requireSignatureHeaders(
  timestamp: string | null,
  signature: string | null,
): { timestamp: string; signature: string } {
  if (!timestamp || !signature) {
    throw refused("Missing X-Signature-Timestamp or X-Signature-256", "invalid_signature");
  }
  return { timestamp, signature };
}

/** The `X-Signature-256` value for a body: `sha256=<hex>`. */
export async function signBody(
  secret: string,
  timestamp: string,
  raw: Uint8Array,
): Promise<string> {
  const mac = await hmac(secret, timestamp, raw);
  return `sha256=${hex(mac)}`;
}

async function hmac(secret: string, timestamp: string, raw: Uint8Array): Promise<Uint8Array> {
  const encoder = new TextEncoder();
  const key = await crypto.subtle.importKey(
    "raw",
    encoder.encode(secret),
    { name: "HMAC", hash: "SHA-256" },
    false,
    ["sign"],
  );
  const prefix = encoder.encode(`${timestamp}.`);
  const message = new Uint8Array(prefix.length + raw.length);
  message.set(prefix);
  message.set(raw, prefix.length);
  return new Uint8Array(await crypto.subtle.sign("HMAC", key, message));
}

function hexBytes(hex: string): Uint8Array {
  return Uint8Array.from(hex.match(/../g) ?? [], (pair) => parseInt(pair, 16));
}

function refused(message: string, code: string): HttpError {
  return new HttpError(403, message, { type: "permission_error", code });
}
