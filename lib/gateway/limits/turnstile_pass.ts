import { timingSafeEqual } from "../../util/timing_safe_equal.ts";

/** Cloudflare's siteverify endpoint (developers.cloudflare.com/turnstile/get-started/server-side-validation). */
export const TURNSTILE_VERIFY_URL = "https://challenges.cloudflare.com/turnstile/v0/siteverify";

/** How long the gateway's own pass stands in for a Turnstile check. */
export const PASS_TTL_SECONDS = 3_600;

/** What a Turnstile check came to. */
export type TurnstileOutcome =
  | { ok: true }
  | { ok: false; reason: "missing" | "invalid" | "expired" | "unavailable" };

/**
 * Asks Turnstile's siteverify whether `token` (the widget's response) is good, as Cloudflare
 * documents it: a form POST of `secret`, `response`, `remoteip`; a JSON answer whose
 * `success` decides and whose `error-codes` say why not (`timeout-or-duplicate`: a token is
 * good once, for 300 s). A verifier that cannot be reached is `unavailable`.
 */
export async function verifyTurnstile(options: {
  token: string;
  secret: string;
  remoteIp: string | null;
  verifyUrl: string;
  fetch?: typeof fetch;
}): Promise<TurnstileOutcome> {
  const form = new URLSearchParams({ secret: options.secret, response: options.token });
  if (options.remoteIp && options.remoteIp !== "unknown") form.set("remoteip", options.remoteIp);
  let answer: { success?: unknown; "error-codes"?: unknown };
  try {
    const response = await (options.fetch ?? fetch)(options.verifyUrl, {
      method: "POST",
      body: form,
      signal: AbortSignal.timeout(10_000),
    });
    if (!response.ok) return { ok: false, reason: "unavailable" };
    answer = await response.json();
  } catch {
    return { ok: false, reason: "unavailable" };
  }
  if (answer.success === true) return { ok: true };
  const codes = Array.isArray(answer["error-codes"]) ? answer["error-codes"] : [];
  return { ok: false, reason: codes.includes("timeout-or-duplicate") ? "expired" : "invalid" };
}

/**
 * The gateway's own pass after a good Turnstile check: `<expiry>.<HMAC>` over the expiry
 * and the client's address, so it is good for that client only, for an hour, and cannot
 * be made without the secret. The key is derived from `TURNSTILE_SECRET_KEY`.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { checkPass, issuePass } from "./turnstile_pass.ts";
 * const pass = await issuePass("secret", "ip:203.0.113.7", 1_800_000_000);
 * assert.equal(await checkPass(pass, "secret", "ip:203.0.113.7", 1_800_000_100), true);
 * assert.equal(await checkPass(pass, "secret", "ip:203.0.113.8", 1_800_000_100), false);
 * ```
 */
export async function issuePass(
  secret: string,
  client: string,
  nowSeconds: number,
): Promise<string> {
  const expires = nowSeconds + PASS_TTL_SECONDS;
  return `${expires}.${await mac(secret, `${expires}.${client}`)}`;
}

/** Whether `pass` is one {@linkcode issuePass} made for `client` and not yet expired. */
export async function checkPass(
  pass: string,
  secret: string,
  client: string,
  nowSeconds: number,
): Promise<boolean> {
  const match = /^([0-9]{1,12})\.([A-Za-z0-9_-]{43})$/.exec(pass);
  if (!match || Number(match[1]) <= nowSeconds) return false;
  const expected = new TextEncoder().encode(await mac(secret, `${match[1]}.${client}`));
  return timingSafeEqual(new TextEncoder().encode(match[2]!), expected);
}

async function mac(secret: string, text: string): Promise<string> {
  const utf8 = new TextEncoder();
  const key = await crypto.subtle.importKey(
    "raw",
    utf8.encode(`mwai-edge pass\0${secret}`),
    { name: "HMAC", hash: "SHA-256" },
    false,
    ["sign"],
  );
  const signature = new Uint8Array(await crypto.subtle.sign("HMAC", key, utf8.encode(text)));
  return btoa(String.fromCharCode(...signature)).replaceAll("+", "-").replaceAll("/", "_")
    .replace(/=+$/, "");
}
