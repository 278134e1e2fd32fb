import { bytesOf, type ByteSource, byteSource } from "../streams/byte_source.ts";

/** A request to the site: small, its body a string, never following a redirect. */
export interface UpstreamRequest {
  method: "GET" | "POST";
  /** Header names in lower case. */
  headers: Record<string, string>;
  body?: string | Uint8Array<ArrayBuffer>;
  /** Aborts the request, and the reading of its answer. */
  signal?: AbortSignal;
  /** Limit on connecting (TCP and TLS), in ms, where the transport can bound it apart. */
  connectTimeoutMs?: number;
}

/** The site's answer: its status and headers once they came, its body to pull. */
export interface UpstreamResponse {
  status: number;
  headers: Headers;
  body: ByteSource;
}

/**
 * What carries requests to the site. The gateway and the library depend on this shape
 * only, so the runtime may bring a faster way to read a body than `fetch` where it has
 * one (see `socket_client.ts`).
 */
export type UpstreamClient = (url: string, request: UpstreamRequest) => Promise<UpstreamResponse>;

/**
 * An {@linkcode UpstreamClient} over a `fetch`: the body is read as a byte stream with
 * one buffer (see {@linkcode byteSource}); a redirect is answered as it is, not followed,
 * so neither the nonce nor the conversation ever reaches another host.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { fetchClient } from "./upstream_client.ts";
 * const client = fetchClient(() => Promise.resolve(new Response("hi", { status: 201 })));
 * const response = await client("https://site.example/", { method: "GET", headers: {} });
 * assert.equal(response.status, 201);
 * assert.equal(new TextDecoder().decode((await response.body.read())!), "hi");
 * ```
 */
export function fetchClient(fetcher: typeof fetch): UpstreamClient {
  return async (url, request) => {
    const response = await fetcher(url, { ...request, redirect: "manual" });
    return {
      status: response.status,
      headers: response.headers,
      body: response.body ? byteSource(response.body) : bytesOf([]),
    };
  };
}
