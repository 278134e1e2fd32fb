import { ConfigError, type RoutingPlatform } from "../variables.ts";

/**
 * The names a gateway answers to, as a request's `Host` says them. A page whose name an
 * attacker points at the gateway (DNS rebinding) sends its own name there, so a gateway
 * that serves itself answers only the names it was given: loopback names and IP
 * addresses (which no rebinding can put in a `Host`), `PUBLIC_URL`'s and `ALLOWED_HOSTS`'s.
 * On a platform that routes only its owner's names, every name it sends is served.
 */
export interface ServedNames {
  /** Why any name is served (`ALLOWED_HOSTS=*`, or the platform's name), else null. */
  any: string | null;
  /** The configured names, besides the loopback names and IP addresses. */
  names: ServedName[];
}

/** One configured name: `chat.example.com`, `chat.example.com:8443`, `.example.com`. */
export interface ServedName {
  /** The host name, lower case, as a URL writes it (`[::1]`, punycode). */
  hostname: string;
  /** The only port it is served on, or null for any. */
  port: string | null;
  /** Written with a leading dot: its subdomains are served too (as Vite's `allowedHosts`). */
  subdomains: boolean;
}

const ENTRY = /^(\.)?(\[[0-9a-f:.]+\]|[^:/\\[\]@?#%\s]+)(?::([0-9]{1,5}))?$/i;

/**
 * The names served, from `ALLOWED_HOSTS` (comma-separated, `*` for any) and `PUBLIC_URL`'s
 * host; a bad entry throws a {@linkcode ConfigError} naming `ALLOWED_HOSTS`. Without
 * `ALLOWED_HOSTS`, a platform that routes by name (see `routingPlatform`) serves any.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { parseServedNames, servesHost } from "./served_names.ts";
 * const served = parseServedNames("chat.example.com", null, null);
 * assert.equal(servesHost(served, new URL("http://chat.example.com:8000/")), true);
 * assert.equal(servesHost(served, new URL("http://127.0.0.1:8000/")), true);
 * assert.equal(servesHost(served, new URL("http://evil.example:8000/")), false);
 * ```
 */
export function parseServedNames(
  allowedHosts: string | undefined,
  publicUrl: string | null,
  platform: RoutingPlatform | null,
): ServedNames {
  const entries = (allowedHosts ?? "").split(",").map((e) => e.trim()).filter((e) => e !== "");
  if (entries.includes("*")) return { any: "ALLOWED_HOSTS=*", names: [] };
  const names = entries.map(parseEntry);
  if (publicUrl !== null) {
    names.push({ hostname: new URL(publicUrl).hostname, port: null, subdomains: false });
  }
  // PUBLIC_URL alone keeps a platform's routing: it says the own origin there, as before.
  const any = entries.length === 0 && platform !== null ? platform : null;
  return { any, names };
}

function parseEntry(entry: string): ServedName {
  // Said without the entry: what comes before an `@` may be a credential.
  if (entry.includes("@")) {
    throw new ConfigError("ALLOWED_HOSTS", "holds a user name: name hosts only");
  }
  // `*.example.com` would parse as a name no request has, and serve nothing.
  if (entry.includes("*")) {
    throw new ConfigError(
      "ALLOWED_HOSTS",
      `"${entry.slice(0, 100)}" holds a *: a leading dot serves a name and its subdomains ` +
        "(.example.com), and * alone serves any name",
    );
  }
  const match = entry.match(ENTRY);
  const port = match?.[3] ?? null;
  if (!match || (port !== null && Number(port) > 65535)) {
    throw new ConfigError(
      "ALLOWED_HOSTS",
      `"${entry.slice(0, 100)}" is not a host name like chat.example.com or chat.example.com:8443`,
    );
  }
  try {
    return { hostname: new URL(`http://${match[2]}/`).hostname, port, subdomains: !!match[1] };
  } catch {
    throw new ConfigError("ALLOWED_HOSTS", `"${entry.slice(0, 100)}" is not a host name`);
  }
}

/**
 * Whether the gateway answers to the host of `url` (a request's URL, which the runtime
 * builds from its `Host`): always for `localhost`, `*.localhost` and an IP address.
 */
export function servesHost(served: ServedNames, url: URL): boolean {
  if (served.any !== null || isLocalOrAddress(url.hostname)) return true;
  const port = url.port || (url.protocol === "https:" ? "443" : "80");
  return served.names.some((name) =>
    (name.port === null || name.port === port) &&
    (url.hostname === name.hostname ||
      (name.subdomains && url.hostname.endsWith(`.${name.hostname}`)))
  );
}

/** Names no page on the web can take: loopback names, and addresses (no DNS in between). */
function isLocalOrAddress(hostname: string): boolean {
  return hostname === "localhost" || hostname.endsWith(".localhost") ||
    hostname.startsWith("[") || /^[0-9]+\.[0-9]+\.[0-9]+\.[0-9]+$/.test(hostname);
}

/**
 * The names served, said for the start-up log: what an operator checks, and what a
 * reverse proxy's `Host` must be among.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { describeServedNames, parseServedNames } from "./served_names.ts";
 * assert.equal(
 *   describeServedNames(parseServedNames(".example.com,gw.test:8443", null, null)),
 *   "Serving localhost, *.localhost, IP addresses, example.com and its subdomains, " +
 *     "gw.test:8443; another Host is refused with 421 (ALLOWED_HOSTS, PUBLIC_URL)",
 * );
 * ```
 */
export function describeServedNames(served: ServedNames): string {
  if (served.any !== null) return `Serving any name (${served.any})`;
  const names = served.names.map((name) =>
    `${name.hostname}${name.port === null ? "" : `:${name.port}`}` +
    (name.subdomains ? " and its subdomains" : "")
  );
  return `Serving ${["localhost", "*.localhost", "IP addresses", ...names].join(", ")}; ` +
    "another Host is refused with 421 (ALLOWED_HOSTS, PUBLIC_URL)";
}
