// @ts-check
/**
 * Signs a call to an mwai-edge gateway's /api/webhook with Web Crypto (browsers, Deno,
 * Node.js 18+, Workers): HMAC-SHA256 with WEBHOOK_SECRET over `<timestamp>.<raw body>`,
 * sent as `X-Signature-Timestamp` and `X-Signature-256: sha256=<hex>`. Sign the exact
 * bytes you send: the gateway checks the raw body, not the parsed JSON.
 *
 * @param {string} secret the gateway's WEBHOOK_SECRET
 * @param {string} body the request body, exactly as it will be sent
 * @param {number} [timestamp] unix seconds; now by default
 * @returns {Promise<Record<string, string>>} the two headers to send
 */
export async function signWebhook(secret, body, timestamp = Math.floor(Date.now() / 1000)) {
  const encoder = new TextEncoder();
  const key = await crypto.subtle.importKey(
    "raw",
    encoder.encode(secret),
    { name: "HMAC", hash: "SHA-256" },
    false,
    ["sign"],
  );
  const mac = await crypto.subtle.sign("HMAC", key, encoder.encode(`${timestamp}.${body}`));
  const hex = Array.from(new Uint8Array(mac), (b) => b.toString(16).padStart(2, "0")).join("");
  return { "x-signature-timestamp": String(timestamp), "x-signature-256": `sha256=${hex}` };
}

/**
 * Asks the gateway's bot one question with a signed call; resolves with its answer,
 * `{ reply, model, usage }`, or throws the gateway's error message.
 *
 * @param {string} gateway the gateway's URL, e.g. "https://gateway.example"
 * @param {string} secret the gateway's WEBHOOK_SECRET
 * @param {string} message the question
 * @returns {Promise<{ reply: string, model: string, usage: object | null }>}
 */
export async function askGateway(gateway, secret, message) {
  const body = JSON.stringify({ message });
  const response = await fetch(`${gateway}/api/webhook`, {
    method: "POST",
    headers: { "content-type": "application/json", ...(await signWebhook(secret, body)) },
    body,
  });
  const answer = await response.json();
  if (!response.ok) {
    throw new Error(`${response.status} ${answer.error.code}: ${answer.error.message}`);
  }
  return answer;
}
