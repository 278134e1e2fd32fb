/** Who a request comes from, as the limits count it. */
export interface ClientIdentity {
  /** Whether the client showed a valid key (or a signed webhook call). */
  keyed: boolean;
  /**
   * The store's key: `key:<digest>` (never the key itself), `signed:<ip>`, or `ip:<address>`,
   * where an IPv6 address counts by its /64 (see {@linkcode addressBucket}); `ip:unknown`
   * when the runtime gives no address (in-process tests).
   */
  id: string;
  /** The client's IP address as {@linkcode clientAddress} found it (`unknown` without one). */
  address: string;
}

/**
 * The client's IP address: on Deno the socket's remote address, which `deno serve` and
 * `Deno.serve` hand the handler as its second argument (Hono's `c.env`); on Workers
 * Cloudflare's `CF-Connecting-IP`, which Cloudflare's edge sets and no client can
 * forge; behind a proxy the gateway is told to trust, the first hop of `X-Forwarded-For`.
 * The header is read only on Workers: on Deno anyone could send it.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { clientAddress } from "./client_identity.ts";
 * const headers = new Headers({ "x-forwarded-for": "198.51.100.4, 10.0.0.1" });
 * const info = { remoteAddr: { transport: "tcp", hostname: "10.0.0.1", port: 4711 } };
 * assert.equal(clientAddress(headers, info, { trustForwardedFor: false }), "10.0.0.1");
 * assert.equal(clientAddress(headers, info, { trustForwardedFor: true }), "198.51.100.4");
 * ```
 */
export function clientAddress(
  headers: Headers,
  env: unknown,
  options: { trustForwardedFor: boolean; onWorkers?: boolean },
): string {
  if (options.trustForwardedFor) {
    const first = headers.get("x-forwarded-for")?.split(",")[0]?.trim();
    if (first && ADDRESS.test(first)) return first.toLowerCase();
  }
  const onWorkers = options.onWorkers ?? isWorkers();
  if (onWorkers) {
    const connecting = headers.get("cf-connecting-ip")?.trim();
    if (connecting && ADDRESS.test(connecting)) return connecting.toLowerCase();
  }
  const remote = (env as { remoteAddr?: { hostname?: unknown } } | null | undefined)?.remoteAddr;
  if (typeof remote?.hostname === "string") return remote.hostname.toLowerCase();
  return "unknown";
}

/**
 * The part of an address that stands for one client: an IPv4 address whole, an IPv6
 * address by its /64 (what an ISP hands one subscriber, at the least: counted address by
 * address, one home would hold 2^64 clients), an IPv4-mapped IPv6 address as its IPv4.
 * Anything else comes back as it is.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { addressBucket } from "./client_identity.ts";
 * assert.equal(addressBucket("198.51.100.4"), "198.51.100.4");
 * assert.equal(addressBucket("2001:db8:0:1:aaaa::1"), "2001:db8:0:1::/64");
 * assert.equal(addressBucket("2001:DB8::1:2:3:4"), "2001:db8:0:0::/64");
 * assert.equal(addressBucket("::ffff:198.51.100.4"), "198.51.100.4");
 * ```
 */
export function addressBucket(address: string): string {
  const bare = address.replace(/^\[|\]$/g, "").replace(/%.*$/, "").toLowerCase();
  if (!bare.includes(":")) return address;
  const mapped = bare.match(/^(?:::|(?:0{1,4}:){5})ffff:(\d{1,3}(?:\.\d{1,3}){3})$/);
  if (mapped) return mapped[1]!;
  const halves = bare.split("::").map((half) => half ? half.split(":") : []);
  let groups: string[];
  if (halves.length === 1 && halves[0]!.length === 8) groups = halves[0]!;
  else if (halves.length === 2 && halves[0]!.length + halves[1]!.length <= 7) {
    const [head, tail] = halves as [string[], string[]];
    groups = [...head, ...Array(8 - head.length - tail.length).fill("0"), ...tail];
  } else return address;
  const network = groups.slice(0, 4);
  if (!network.every((group) => /^[0-9a-f]{1,4}$/.test(group))) return address;
  return `${network.map((group) => parseInt(group, 16).toString(16)).join(":")}::/64`;
}

/** An IPv4 or IPv6 address as proxies write it: nothing else becomes a store key. */
const ADDRESS = /^[0-9A-Fa-f.:]{2,45}$/;

function isWorkers(): boolean {
  return (globalThis as { navigator?: { userAgent?: string } }).navigator?.userAgent ===
    "Cloudflare-Workers";
}

/**
 * The store key of a client with a valid key: a SHA-256 digest of it, so neither the store
 * nor its backups hold a credential.
 */
export async function keyedClientId(key: string): Promise<string> {
  const digest = await crypto.subtle.digest("SHA-256", new TextEncoder().encode(key));
  const hex = Array.from(
    new Uint8Array(digest).subarray(0, 16),
    (b) => b.toString(16).padStart(2, "0"),
  ).join("");
  return `key:${hex}`;
}
