import assert from "node:assert/strict";
import { denoProbe, runtimeProbe } from "../../lib/http/site_probe.ts";

const probe = denoProbe(Deno);

/** A port nothing listens on: one the system gave and took back. */
function closedPort(): number {
  const listener = Deno.listen({ hostname: "127.0.0.1", port: 0 });
  const { port } = listener.addr as Deno.NetAddr;
  listener.close();
  return port;
}

/** A listener on loopback, and the URL of its port with `scheme`. */
function listening(scheme: "http" | "https"): { listener: Deno.TcpListener; url: URL } {
  const listener = Deno.listen({ hostname: "127.0.0.1", port: 0 });
  return { listener, url: new URL(`${scheme}://127.0.0.1:${listener.addr.port}/`) };
}

Deno.test("on Deno the runtime's probe is Deno's sockets", () => {
  assert.equal(typeof runtimeProbe(), "function");
});

Deno.test("a site that takes the connection is connected, and the probe's socket is closed", async () => {
  const { listener, url } = listening("http");
  using _ = listener;
  const accepted = listener.accept();
  const verdict = await probe(url, 5_000, new AbortController().signal);
  assert.equal(verdict, "connected");
  using conn = await accepted;
  // The probe closed its end: the site reads the end of the stream.
  assert.equal(await conn.read(new Uint8Array(1)), null);
});

Deno.test("a port that refuses the connection fails at once", async () => {
  const url = new URL(`http://127.0.0.1:${closedPort()}/`);
  assert.equal(await probe(url, 5_000, new AbortController().signal), "failed");
});

Deno.test("a site that takes TCP but never finishes the TLS handshake is silent past the bound", async () => {
  const { listener, url } = listening("https");
  using _ = listener;
  const accepted = listener.accept();
  const started = performance.now();
  const verdict = await probe(url, 100, new AbortController().signal);
  assert.equal(verdict, "silent");
  assert.ok(performance.now() - started >= 90, "the probe gave up before its bound");
  (await accepted).close();
});

Deno.test("a probe whose caller already aborted fails without connecting", async () => {
  const { listener, url } = listening("http");
  using _ = listener;
  const verdict = await probe(url, 5_000, AbortSignal.abort());
  assert.equal(verdict, "failed");
});
