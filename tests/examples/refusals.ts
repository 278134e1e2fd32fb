/**
 * What the gateway answers a refused webhook call, byte for byte: docs/webhooks.md shows
 * these bodies, and the recipe tests check that the gateway sends exactly them.
 */
export const REFUSALS = {
  /** A call whose timestamp is more than 300 s from now: a replay, or a bad clock. */
  replayed: '{"error":{"message":"X-Signature-Timestamp is more than 300 s from now (replay?)",' +
    '"type":"permission_error","param":null,"code":"signature_expired"}}',
  /** A call whose body, timestamp or signature changed on the way, or a wrong secret. */
  tampered: '{"error":{"message":"X-Signature-256 does not match the body",' +
    '"type":"permission_error","param":null,"code":"invalid_signature"}}',
};
