/**
 * The physical limit for a proxy: `deno serve` this file (with `UPSTREAM_REST_URL`) and
 * it forwards a submit body to AI Engine and returns `upstream.body` untouched, with
 * no parsing, no re-encoding and no per-event work at all. `GET /healthz` says ok.
 *
 * @module
 */

const restUrl = Deno.env.get("UPSTREAM_REST_URL") ?? "http://127.0.0.1/wp-json";

export default {
  async fetch(request: Request): Promise<Response> {
    if (new URL(request.url).pathname === "/healthz") return new Response("ok");
    const headers: Record<string, string> = { "content-type": "application/json" };
    const nonce = request.headers.get("x-wp-nonce");
    if (nonce) headers["x-wp-nonce"] = nonce;
    const upstream = await fetch(`${restUrl}/mwai-ui/v1/chats/submit`, {
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
} satisfies Deno.ServeDefaultExport;
