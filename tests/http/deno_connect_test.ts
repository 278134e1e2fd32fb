import assert from "node:assert/strict";
import { denoConnect, type DenoNet } from "../../lib/http/deno_connect.ts";
import { testCertificates } from "../support/tls/test_ca.ts";
import { SilentSite } from "../support/silent_site.ts";

Deno.test("denoConnect: TLS over a TCP connection with TCP_NODELAY, upgraded by startTls", async () => {
  const { caPem, certPem, keyPem } = await testCertificates();
  const listener = Deno.listenTls({ hostname: "127.0.0.1", port: 0, cert: certPem, key: keyPem });
  const calls: string[] = [];
  const deno: DenoNet = {
    async connect(options) {
      const conn = await Deno.connect(options);
      const setNoDelay = conn.setNoDelay.bind(conn);
      conn.setNoDelay = (on) => (calls.push(`setNoDelay(${on})`), setNoDelay(on));
      return conn;
    },
    startTls: (
      conn,
      options,
    ) => (calls.push("startTls"),
      Deno.startTls(conn as Deno.TcpConn, { ...options, caCerts: [caPem] })),
  };
  const accepting = listener.accept();
  const conn = await denoConnect(deno)(
    new URL(`https://127.0.0.1:${listener.addr.port}/`),
    new AbortController().signal,
  );
  const accepted = await accepting;
  assert.deepEqual(calls, ["setNoDelay(true)", "startTls"]);
  await conn.write(new TextEncoder().encode("ping"));
  const buffer = new Uint8Array(8);
  assert.equal(await accepted.read(buffer), 4);
  await accepted.write(new TextEncoder().encode("pong"));
  assert.equal(await conn.read(buffer), 4);
  conn.close();
  conn.close();
  accepted.close();
  listener.close();
});

Deno.test("denoConnect: an abort during the TLS handshake closes the connection with the signal's reason", async () => {
  await using site = new SilentSite();
  const controller = new AbortController();
  const connecting = denoConnect(Deno)(new URL(site.url), controller.signal);
  await site.connections(1);
  controller.abort(new Error("left"));
  await assert.rejects(connecting, /left/);
});

Deno.test("denoConnect: a refused connection fails with the runtime's error", async () => {
  const listener = Deno.listen({ hostname: "127.0.0.1", port: 0 });
  const port = listener.addr.port;
  listener.close();
  await assert.rejects(
    denoConnect(Deno)(new URL(`http://127.0.0.1:${port}/`), new AbortController().signal),
    Deno.errors.ConnectionRefused,
  );
});

Deno.test("denoConnect: when the name's first address fails, its other addresses get their chance", async () => {
  const listener = Deno.listen({ hostname: "127.0.0.1", port: 0 });
  const tried: string[] = [];
  const deno: DenoNet = {
    connect(options) {
      tried.push(options.hostname);
      if (options.hostname !== "127.0.0.1") {
        return Promise.reject(new Deno.errors.ConnectionRefused("refused"));
      }
      return Deno.connect(options);
    },
    startTls: () => Promise.reject(new Error("no TLS here")),
    resolveDns: (_name, type) =>
      Promise.resolve(type === "A" ? ["192.0.2.1", "127.0.0.1"] : ["2001:db8::1"]),
  };
  const accepting = listener.accept();
  const conn = await denoConnect(deno)(
    new URL(`http://site.example:${listener.addr.port}/`),
    new AbortController().signal,
  );
  assert.deepEqual(tried, ["site.example", "192.0.2.1", "127.0.0.1"]);
  conn.close();
  (await accepting).close();
  listener.close();

  tried.length = 0;
  await assert.rejects(
    denoConnect(deno)(new URL("http://[2001:db8::2]:1/"), new AbortController().signal),
    /refused/,
  );
  assert.deepEqual(tried, ["2001:db8::2"], "an address literal has no other address");
});
