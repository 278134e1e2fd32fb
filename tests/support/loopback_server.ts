/**
 * A TCP server on loopback for the test doubles (the AI Engine emulator, the forward
 * proxy), plain or behind TLS (a certificate of the test CA, `tls/test_ca.ts`): it serves
 * each connection with `serve`, and `close()` stops accepting and waits until every
 * connection's service has ended, so Deno's sanitizers see nothing left.
 *
 * @example
 * ```ts
 * import { LoopbackServer } from "./loopback_server.ts";
 * const server = new LoopbackServer(async (conn) => conn.close());
 * console.log(server.port > 0); // true
 * await server.close();
 * ```
 */
/** A server's certificate and key, as PEM text. */
export interface ServerCertificate {
  certPem: string;
  keyPem: string;
}

export class LoopbackServer {
  /** The port it listens on, on 127.0.0.1. */
  readonly port: number;
  #listener: Deno.Listener;
  #serving = new Set<Promise<void>>();
  #accepting: Promise<void>;

  /** Listens on `port` of 127.0.0.1 (0: a free one), with TLS when given a certificate. */
  constructor(serve: (conn: Deno.Conn) => Promise<void>, port = 0, tls?: ServerCertificate) {
    this.#listener = tls
      ? Deno.listenTls({ hostname: "127.0.0.1", port, cert: tls.certPem, key: tls.keyPem })
      : Deno.listen({ hostname: "127.0.0.1", port, transport: "tcp" });
    this.port = (this.#listener.addr as Deno.NetAddr).port;
    this.#accepting = this.#accept(serve);
  }

  /** Stops accepting, then waits for the services under way (end them first). */
  async close(): Promise<void> {
    this.#listener.close();
    await this.#accepting;
    await Promise.allSettled([...this.#serving]);
  }

  async #accept(serve: (conn: Deno.Conn) => Promise<void>): Promise<void> {
    try {
      for await (const conn of this.#listener) {
        const serving = serve(conn);
        this.#serving.add(serving);
        serving.finally(() => this.#serving.delete(serving));
      }
    } catch {
      // The listener was closed under the loop: that is how close() stops it.
    }
  }
}
