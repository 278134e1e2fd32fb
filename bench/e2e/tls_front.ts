/**
 * TLS in front of a plain loopback server, as a site's web server terminates it: every
 * connection accepted is decrypted and carried to `target`, both sockets with Nagle's
 * algorithm off, as Apache and nginx have it. It is `node:tls` (Deno's Node layer)
 * because a connection from `Deno.listenTls` cannot turn Nagle off: a kept connection's
 * answer would wait for the client's delayed ACK, 40 ms, and the bench would measure that.
 *
 * @module
 */
import net from "node:net";
import tls from "node:tls";
import type { ServerCertificate } from "../../tests/support/loopback_server.ts";

/** The front: the port it listens on (127.0.0.1), and how to stop it. */
export interface TlsFront {
  port: number;
  close(): Promise<void>;
}

/** Listens on a free port of 127.0.0.1 and carries each connection to `targetPort`. */
export function startTlsFront(
  targetPort: number,
  certificate: ServerCertificate,
): Promise<TlsFront> {
  const server = tls.createServer(
    { cert: certificate.certPem, key: certificate.keyPem },
    (socket) => {
      socket.setNoDelay(true);
      const site = net.connect({ host: "127.0.0.1", port: targetPort });
      site.setNoDelay(true);
      socket.pipe(site).pipe(socket);
      socket.on("error", () => site.destroy());
      site.on("error", () => socket.destroy());
    },
  );
  return new Promise((resolve, reject) => {
    server.once("error", reject);
    server.listen(0, "127.0.0.1", () => {
      const { port } = server.address() as net.AddressInfo;
      resolve({ port, close: () => new Promise((done) => server.close(() => done())) });
    });
  });
}
