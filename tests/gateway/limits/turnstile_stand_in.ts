/**
 * A local stand-in for Turnstile's siteverify, answering as Cloudflare documents
 * (developers.cloudflare.com/turnstile/get-started/server-side-validation): a form POST of
 * `secret`, `response`, `remoteip`; JSON with `success` and `error-codes`. A token that
 * starts with `good` (`good`, `good-2`) passes once (a second use is `timeout-or-duplicate`,
 * as a real token is), `stale` is `timeout-or-duplicate`, anything else
 * `invalid-input-response`.
 */
export const STAND_IN_SECRET = "0x4AAAAAAA-stand-in-secret";

/** The stand-in, the forms it was sent, and its URL. */
export interface TurnstileStandIn extends AsyncDisposable {
  url: string;
  forms: URLSearchParams[];
}

/** Starts a stand-in on a loopback port. */
export function startTurnstileStandIn(): TurnstileStandIn {
  const forms: URLSearchParams[] = [];
  const spent = new Set<string>();
  const server = Deno.serve({ hostname: "127.0.0.1", port: 0, onListen() {} }, async (request) => {
    const form = new URLSearchParams(await request.text());
    forms.push(form);
    const token = form.get("response") ?? "";
    const good = token.startsWith("good");
    const codes = form.get("secret") !== STAND_IN_SECRET
      ? ["invalid-input-secret"]
      : good && !spent.has(token)
      ? []
      : good || token === "stale"
      ? ["timeout-or-duplicate"]
      : ["invalid-input-response"];
    if (good) spent.add(token);
    return Response.json({
      success: codes.length === 0,
      "error-codes": codes,
      ...(codes.length === 0
        ? {
          challenge_ts: new Date().toISOString(),
          hostname: "www.example.com",
          action: "",
          cdata: "",
        }
        : {}),
    });
  });
  return {
    url: `http://127.0.0.1:${server.addr.port}/turnstile/v0/siteverify`,
    forms,
    [Symbol.asyncDispose]: () => server.shutdown(),
  };
}
