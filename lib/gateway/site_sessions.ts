import type { ClientIdentity } from "./limits/client_identity.ts";
import { hex } from "../util/hex.ts";

/** The session id's prefix, so a site owner can tell the gateway's visitors from others. */
const PREFIX = "edge-";

/**
 * AI Engine's `mwai_session_id` for each client of the gateway, so the site's
 * Discussions, statistics and uploads count each end user apart instead of one visitor
 * with a new session on every call.
 *
 * An id is `edge-` and 24 hex digits of an HMAC-SHA256 over the client's identity (its
 * key's digest or its address, see {@linkcode ClientIdentity}, and for a keyed client the
 * end user it names): the site never sees an address or a key, and cannot work one back
 * without the key of the HMAC. That key is `SESSION_SECRET`, the same in every isolate;
 * without it, a random key of the isolate's own, so ids hold for the isolate's life (as
 * the plugin's own cookie holds for a browser's) and `stable` is false.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { SiteSessions } from "./site_sessions.ts";
 * const sessions = new SiteSessions("a secret of sixteen or more");
 * const visitor = { keyed: false, id: "ip:198.51.100.4", address: "198.51.100.4" };
 * const id = await sessions.idFor(visitor);
 * assert.match(id, /^edge-[0-9a-f]{24}$/);
 * assert.equal(await new SiteSessions("a secret of sixteen or more").idFor(visitor), id);
 * assert.notEqual(await sessions.idFor({ ...visitor, id: "ip:198.51.100.5" }), id);
 * ```
 */
export class SiteSessions {
  /** Whether ids are the same in every isolate and after a restart (`SESSION_SECRET`). */
  readonly stable: boolean;
  #key: Promise<CryptoKey>;

  /** Ids keyed by `secret`, or by a random key of this instance's own when it is null. */
  constructor(secret: string | null) {
    this.stable = secret !== null;
    const raw = secret === null
      ? crypto.getRandomValues(new Uint8Array(32))
      : new TextEncoder().encode(secret);
    this.#key = crypto.subtle.importKey("raw", raw, { name: "HMAC", hash: "SHA-256" }, false, [
      "sign",
    ]);
  }

  /**
   * The session id of `client`; `endUser`, which only a keyed client may name (OpenAI's
   * `user` or `safety_identifier`), tells the people behind one key apart.
   */
  async idFor(client: ClientIdentity, endUser?: string): Promise<string> {
    const input = JSON.stringify(["mwai-edge session v1", client.id, endUser ?? ""]);
    const mac = await crypto.subtle.sign("HMAC", await this.#key, new TextEncoder().encode(input));
    return PREFIX + hex(new Uint8Array(mac).subarray(0, 12));
  }
}
