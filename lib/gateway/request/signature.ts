import { HttpError } from "../http_error.ts";
import { timingSafeEqual } from "../../util/timing_safe_equal.ts";

/** How far a signed call's timestamp may be from now, in seconds (replay window). */
export const SIGNATURE_TOLERANCE_SECONDS = 300;

/**
 * Checks a signed webhook call: `X-Signature-Timestamp: <unix seconds>` and
 * `X-Signature-256: sha256=<hex>`, where hex is HMAC-SHA256 with the secret over the
 * bytes `<timestamp>.<raw body>`. The MAC is checked on the raw bytes as received, in
 * constant time; a timestamp more than 300 s from `now` is refused as a replay.
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
  return `sha256=${Array.from(mac, (b) => b.toString(16).padStart(2, "0")).join("")}`;
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
