/**
 * What `cloudflare:sockets` is where it does not exist. On Cloudflare Workers the import
 * of `cloudflare:sockets` is the runtime's own module; elsewhere `deno.json` maps it here,
 * and nothing calls it: `site_probe.ts` opens Workers sockets only on Workers.
 *
 * @module
 */

/** A TCP socket of Cloudflare Workers, as far as this project uses one. */
export interface Socket {
  readable: ReadableStream<Uint8Array>;
  writable: WritableStream<Uint8Array>;
  opened: Promise<unknown>;
  close(): Promise<void>;
}

/** Cloudflare's `connect()`; here it only says it is not available. */
export function connect(
  _address: { hostname: string; port: number },
  _options?: { secureTransport?: "on" | "off"; allowHalfOpen?: boolean },
): Socket {
  throw new TypeError("cloudflare:sockets is only available on Cloudflare Workers");
}
