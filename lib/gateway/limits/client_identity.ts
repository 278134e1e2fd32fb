import { sha256Hex } from "../../util/hex.ts";

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
 * forge; behind `forwardedHops` proxies the gateway is told to trust, the address the
 * outermost of them saw: that many entries from the right of `X-Forwarded-For`, since
 * each proxy appends what it saw to whatever the client sent (the entries further left
 * are the client's to write). The CF header is read only on Workers: on Deno anyone
 * could send it. A port after an address (`198.51.100.4:5678`, as some proxies write it)
 * is dropped.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { clientAddress } from "./client_identity.ts";
 * // The client wrote 203.0.113.66; the proxy appended the address it saw.
 * const headers = new Headers({ "x-forwarded-for": "203.0.113.66, 198.51.100.4" });
 * const info = { remoteAddr: { transport: "tcp", hostname: "10.0.0.1", port: 4711 } };
 * assert.equal(clientAddress(headers, info, { forwardedHops: 0 }), "10.0.0.1");
 * assert.equal(clientAddress(headers, info, { forwardedHops: 1 }), "198.51.100.4");
 * ```
 */
export function clientAddress(
  headers: Headers,
  env: unknown,
  options: { forwardedHops: number; onWorkers?: boolean },
): string {
  if (options.forwardedHops > 0) {
    const hops = (headers.get("x-forwarded-for") ?? "").split(",").map((hop) => hop.trim())
      .filter((hop) => hop !== "");
    // Fewer entries than proxies: the request came round one of them, and every entry
    // may be the client's own; the socket's address is all that can be trusted.
    const seen = withoutPort(hops[hops.length - options.forwardedHops]);
    if (seen && ADDRESS.test(seen)) return seen.toLowerCase();
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
 * address, one home would hold 2^64 clients), and an IPv6 address that carries an IPv4
 * one (mapped `::ffff:0:0/96`, translated `::ffff:0:0:0/96`, compatible `::/96` but for
 * `::` and `::1`, NAT64's `64:ff9b::/96`, dotted or in hex) as that IPv4 address, so IPv4
 * clients seen through such a form are not all one. Anything else comes back as it is.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { addressBucket } from "./client_identity.ts";
 * assert.equal(addressBucket("198.51.100.4"), "198.51.100.4");
 * assert.equal(addressBucket("2001:db8:0:1:aaaa::1"), "2001:db8:0:1::/64");
 * assert.equal(addressBucket("2001:DB8::1:2:3:4"), "2001:db8:0:0::/64");
 * assert.equal(addressBucket("::ffff:198.51.100.4"), "198.51.100.4");
 * assert.equal(addressBucket("::ffff:c633:6404"), "198.51.100.4");
 * ```
 */
export function addressBucket(address: string): string {
  const bare = address.replace(/^\[|\]$/g, "").replace(/%.*$/, "").toLowerCase();
  if (!bare.includes(":")) return address;
  const groups = ipv6Groups(bare);
  if (groups === null) return address;
  const loopback = groups.slice(0, 7).every((group) => group === 0); // `::`, `::1`
  if (!loopback && EMBEDS_IPV4.some((prefix) => prefix.every((group, i) => groups[i] === group))) {
    const [high, low] = [groups[6]!, groups[7]!];
    return [high >> 8, high & 255, low >> 8, low & 255].join(".");
  }
  return `${groups.slice(0, 4).map((group) => group.toString(16)).join(":")}::/64`;
}

/** The first six groups of the IPv6 forms whose last 32 bits are an IPv4 address. */
const EMBEDS_IPV4 = [
  [0, 0, 0, 0, 0, 0xffff], // mapped
  [0, 0, 0, 0, 0xffff, 0], // translated (SIIT)
  [0, 0, 0, 0, 0, 0], // compatible (deprecated)
  [0x64, 0xff9b, 0, 0, 0, 0], // NAT64's well-known prefix
];

/** The eight 16-bit groups of an IPv6 address (a dotted IPv4 tail is two), or null. */
function ipv6Groups(text: string): number[] | null {
  let body = text;
  const tail: number[] = [];
  const dotted = body.match(/^(.*:)(\d{1,3})\.(\d{1,3})\.(\d{1,3})\.(\d{1,3})$/);
  if (dotted) {
    const bytes = dotted.slice(2).map(Number);
    if (bytes.some((byte) => byte > 255)) return null;
    tail.push(bytes[0]! << 8 | bytes[1]!, bytes[2]! << 8 | bytes[3]!);
    body = dotted[1]!.endsWith("::") ? dotted[1]! : dotted[1]!.slice(0, -1);
  }
  const halves = body.split("::");
  if (halves.length > 2) return null;
  const parse = (half: string) => half === "" ? [] : half.split(":");
  const head = parse(halves[0]!);
  const rest = halves.length === 2 ? parse(halves[1]!) : null;
  if (![...head, ...rest ?? []].every((group) => /^[0-9a-f]{1,4}$/.test(group))) return null;
  const known = head.length + (rest?.length ?? 0) + tail.length;
  if (rest === null ? known !== 8 : known > 7) return null;
  const zeros = rest === null ? [] : Array(8 - known).fill("0");
  return [...head, ...zeros, ...rest ?? []].map((group) => parseInt(group, 16)).concat(tail);
}

/** An address without the port some proxies write after it (`1.2.3.4:80`, `[::1]:80`). */
function withoutPort(value: string | undefined): string | undefined {
  return value?.replace(/^(\d{1,3}(?:\.\d{1,3}){3}):\d+$/, "$1").replace(/^\[(.*)\](:\d+)?$/, "$1");
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
  return `key:${(await sha256Hex(key)).slice(0, 32)}`;
}
