/**
 * A "site" that takes TCP connections and holds them, silent: to a TLS client, a site whose
 * handshake never ends (a stalled TLS terminator, a firewall that accepts and holds). The
 * closest loopback has to a site that drops SYNs: the kernel accepts into the backlog
 * whether or not anyone calls accept, so a port that never lets a connection through
 * cannot be made without packet filters.
 *
 * @example
 * ```ts ignore
 * import { SilentSite } from "./silent_site.ts";
 * await using site = new SilentSite();
 * fetch(site.url).catch(() => {}); // never answered
 * await site.connections(1);
 * ```
 */
export class SilentSite implements AsyncDisposable {
  /** An `https:` URL on it, as a site's REST route. */
  readonly url: string;
  /** The connections taken, still open. */
  readonly held: Deno.Conn[] = [];
  #listener = Deno.listen({ hostname: "127.0.0.1", port: 0 });
  #accepting: Promise<void>;
  #arrivals = new Set<() => void>();

  constructor() {
    this.url = `https://127.0.0.1:${(this.#listener.addr as Deno.NetAddr).port}/wp-json/x`;
    this.#accepting = (async () => {
      try {
        for await (const conn of this.#listener) {
          this.held.push(conn);
          for (const wake of this.#arrivals) wake();
        }
      } catch {
        // closed under the loop
      }
    })();
  }

  /** Resolves once `n` connections have come. */
  connections(n: number): Promise<void> {
    return new Promise((resolve) => {
      const check = () => {
        if (this.held.length < n) return;
        this.#arrivals.delete(check);
        resolve();
      };
      this.#arrivals.add(check);
      check();
    });
  }

  async [Symbol.asyncDispose](): Promise<void> {
    this.#listener.close();
    await this.#accepting;
    for (const conn of this.held) conn.close();
  }
}
