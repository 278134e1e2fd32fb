// @ts-check
/**
 * The raw proxy for workerd, as `raw_proxy.ts` is for Deno: it forwards a submit body to
 * AI Engine (the `UPSTREAM_REST_URL` text binding) and returns `upstream.body` untouched,
 * so the runtime pumps the bytes with no JavaScript per event. `GET /healthz` says ok.
 *
 * @module
 */

export default {
  /**
   * @param {Request} request
   * @param {{ UPSTREAM_REST_URL: string }} env
   * @returns {Promise<Response>}
   */
  async fetch(request, env) {
    if (new URL(request.url).pathname === "/healthz") return new Response("ok");
    /** @type {Record<string, string>} */
    const headers = { "content-type": "application/json" };
    const nonce = request.headers.get("x-wp-nonce");
    if (nonce) headers["x-wp-nonce"] = nonce;
    const upstream = await fetch(`${env.UPSTREAM_REST_URL}/mwai-ui/v1/chats/submit`, {
      method: "POST",
      headers,
      body: await request.text(),
      signal: request.signal,
    });
    return new Response(upstream.body, {
      status: upstream.status,
      headers: { "content-type": upstream.headers.get("content-type") ?? "text/event-stream" },
    });
  },
};
