/**
 * HTTP basic auth for one site: the `Authorization` value, and the only origin it may go
 * to. Its `toJSON` and `toString` say nothing of the secret, so a log or an error that
 * prints it by mistake prints no password.
 */
export class SiteCredentials {
  /** The origin (`https://staging.example`) whose calls carry the credentials. */
  readonly origin: string;
  readonly #authorization: string;

  /** Credentials for `origin`; `user` and `password` as typed, not percent-encoded. */
  constructor(origin: string, user: string, password: string) {
    this.origin = origin;
    const bytes = new TextEncoder().encode(`${user}:${password}`);
    this.#authorization = `Basic ${btoa(String.fromCharCode(...bytes))}`;
  }

  /** The `Authorization` header for `url`, or null when it is on another origin. */
  authorizationFor(url: string): string | null {
    return new URL(url).origin === this.origin ? this.#authorization : null;
  }

  /** Said instead of the secret wherever the credentials are printed. */
  toJSON(): string {
    return `[credentials for ${this.origin}]`;
  }

  /** Said instead of the secret wherever the credentials are printed. */
  toString(): string {
    return this.toJSON();
  }
}

/**
 * A site URL with its userinfo taken out: the URL to print and call, and the credentials
 * (`https://user:pass@staging.example`) for `Authorization: Basic`, or null when it has
 * none. A URL that does not parse is given back as it is.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { splitCredentials } from "./site_credentials.ts";
 * const { url, credentials } = splitCredentials("https://ann:p%40ss@staging.example/wp");
 * assert.equal(url, "https://staging.example/wp");
 * assert.equal(
 *   credentials?.authorizationFor("https://staging.example/wp-json/x"),
 *   `Basic ${btoa("ann:p@ss")}`,
 * );
 * assert.equal(credentials?.authorizationFor("https://other.example/"), null);
 * assert.deepEqual(splitCredentials("https://example.com"), { url: "https://example.com", credentials: null });
 * ```
 */
export function splitCredentials(
  site: string,
): { url: string; credentials: SiteCredentials | null } {
  let parsed: URL;
  try {
    parsed = new URL(site);
  } catch {
    return { url: site, credentials: null };
  }
  if (!parsed.username && !parsed.password) return { url: site, credentials: null };
  const credentials = new SiteCredentials(
    parsed.origin,
    decoded(parsed.username),
    decoded(parsed.password),
  );
  parsed.username = "";
  parsed.password = "";
  // `new URL` adds a slash to a bare origin: keep the path as it was written.
  const url = /^[^:/?#]+:\/\/[^/?#]*$/.test(site) ? parsed.origin : parsed.href;
  return { url, credentials };
}

/** Userinfo as typed: URLs keep it percent-encoded; a stray `%` stays as it is. */
function decoded(text: string): string {
  try {
    return decodeURIComponent(text);
  } catch {
    return text;
  }
}
