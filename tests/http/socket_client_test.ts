import assert from "node:assert/strict";
import { ConnectTimeout } from "../../lib/http/connect_timeout.ts";
import { ConnectionPool } from "../../lib/http/connection_pool.ts";
import { UnsupportedContentEncoding } from "../../lib/http/content_decoding.ts";
import { type Connect, denoConnect } from "../../lib/http/deno_connect.ts";
import { socketClient } from "../../lib/http/socket_client.ts";
import type { ByteSource } from "../../lib/streams/byte_source.ts";
import { BodyCompressor } from "../emulator/body_compressor.ts";
import { type Scene, ScriptedSite } from "../support/scripted_site.ts";
import { SilentSite } from "../support/silent_site.ts";

const OK = (body: string, extra = ""): Scene => ({
  pieces: [`HTTP/1.1 200 OK\r\nContent-Length: ${body.length}\r\n${extra}\r\n${body}`],
});

async function text(source: ByteSource): Promise<string> {
  let out = "";
  const utf8 = new TextDecoder();
  for (let bytes = await source.read(); bytes; bytes = await source.read()) {
    out += utf8.decode(bytes, { stream: true });
  }
  return out;
}

/** A client over a pool of its own, closed with the test. */
function client(connect: Connect = denoConnect(Deno), options = {}) {
  const pool = new ConnectionPool(connect);
  return Object.assign(socketClient(pool, options), {
    pool,
    [Symbol.asyncDispose]: () => pool.close(),
  });
}

const get = { method: "GET", headers: {} } as const;

Deno.test("socketClient: a chunked answer, its events two chunks each, reads as its data", async () => {
  await using site = new ScriptedSite(() => ({
    pieces: [
      "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\nX-WP-Nonce: n1\r\n\r\n",
      '23\r\ndata: {"type":"live","data":" The"}\r\n2\r\n\n\n\r\n',
      "0\r\n\r\n",
    ],
  }));
  await using send = client();
  const response = await send(`${site.url}/wp-json/mwai-ui/v1/chats/submit`, {
    method: "POST",
    headers: { "content-type": "application/json", "x-wp-nonce": "abc" },
    body: '{"newMessage":"Привет"}',
  });
  assert.equal(response.status, 200);
  assert.equal(response.headers.get("x-wp-nonce"), "n1");
  assert.equal(await text(response.body), 'data: {"type":"live","data":" The"}\n\n');
  const { head, body } = site.requests[0]!;
  assert.match(head, /^POST \/wp-json\/mwai-ui\/v1\/chats\/submit HTTP\/1\.1\r\n/);
  assert.match(head, new RegExp(`\r\nhost: 127\\.0\\.0\\.1:${new URL(site.url).port}\r\n`));
  assert.match(head, /\r\nx-wp-nonce: abc\r\n/);
  assert.match(head, /\r\ncontent-length: 29(\r\n|$)/); // bytes (23 characters)
  assert.match(head, /\r\naccept-encoding: gzip, deflate, br\r\n/);
  assert.doesNotMatch(head, /connection:/i, "HTTP/1.1 keeps the connection by default");
  assert.equal(body, '{"newMessage":"Привет"}');
});

Deno.test("socketClient: answers in turn share one connection, whatever their framing", async () => {
  const chunked = "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n2\r\nhi\r\n0\r\n\r\n";
  await using site = new ScriptedSite((_, i) => i % 2 ? OK("sized") : { pieces: [chunked] });
  await using send = client();
  for (const expected of ["hi", "sized", "hi", "sized"]) {
    assert.equal(await text((await send(site.url, get)).body), expected);
  }
  assert.equal(site.connections, 1);
  assert.equal(send.pool.idle, 1);
});

Deno.test("socketClient: one TCP read holding a burst of events is one read of the body", async () => {
  const events = Array.from({ length: 200 }, (_, i) => `data: {"type":"live","data":"${i}"}\n\n`);
  const chunks = events.map((event) =>
    `${(event.length - 2).toString(16)}\r\n${event.slice(0, -2)}\r\n2\r\n\n\n\r\n`
  );
  await using site = new ScriptedSite(() => ({
    pieces: [`HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n${chunks.join("")}0\r\n\r\n`],
  }));
  await using send = client();
  const response = await send(site.url, get);
  const first = await response.body.read();
  assert.equal(new TextDecoder().decode(first!), events.join(""));
  assert.equal(await response.body.read(), null);
});

Deno.test("socketClient: Connection: close, and a body read to its close, are not kept", async () => {
  await using site = new ScriptedSite((_, i) =>
    i === 0
      ? { ...OK("bye", "Connection: close\r\n"), then: "close" }
      : i === 1
      ? { pieces: ["HTTP/1.1 200 OK\r\n\r\nall ", "of it"], then: "close" }
      : OK("fine")
  );
  await using send = client();
  assert.equal(await text((await send(site.url, get)).body), "bye");
  assert.equal(send.pool.idle, 0);
  assert.equal(await text((await send(site.url, get)).body), "all of it");
  assert.equal(await text((await send(site.url, get)).body), "fine");
  assert.equal(site.connections, 3);
  assert.equal(site.requests.length, 3, "no request was sent twice");
});

Deno.test("socketClient: a kept connection the site closes as the request comes is tried once more, on a new one", async () => {
  await using site = new ScriptedSite((request, i) =>
    i === 1 ? { pieces: [], then: "close" } : OK(`answer ${i} on ${request.connection}`)
  );
  await using send = client();
  assert.equal(await text((await send(site.url, get)).body), "answer 0 on 1");
  assert.equal(await text((await send(site.url, get)).body), "answer 2 on 2");
  assert.deepEqual(site.requests.map((r) => r.connection), [1, 1, 2]);
});

Deno.test("socketClient: a kept connection closed after the site read the request for a while is not sent again", async () => {
  // A window of 0 ms: any close after the write came "late", as a site's that read the
  // request and died working on it (a killed PHP worker, a balancer's idle reset).
  await using site = new ScriptedSite((_, i) =>
    i === 1 ? { pieces: [], then: "close" } : OK(`answer ${i}`)
  );
  await using send = client(denoConnect(Deno), { resendWindowMs: 0 });
  assert.equal(await text((await send(site.url, get)).body), "answer 0");
  await assert.rejects(send(site.url, get), (error: Error) => {
    assert.equal(error.name, "ConnectionReset");
    assert.match(error.message, /after reading the request/);
    return true;
  });
  assert.equal(site.requests.length, 2, "the request went once");
});

Deno.test("socketClient: a POST without a body says its length, 0", async () => {
  await using site = new ScriptedSite(() => OK("ok"));
  await using send = client();
  await text((await send(site.url, { method: "POST", headers: {} })).body);
  await text((await send(site.url, get)).body);
  assert.match(site.requests[0]!.head, /\r\ncontent-length: 0(\r\n|$)/);
  assert.doesNotMatch(site.requests[1]!.head, /content-length/i);
});

Deno.test("socketClient: bytes after a chunked body's last chunk cost the connection", async () => {
  await using site = new ScriptedSite((_, i) => ({
    pieces: [`HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n2\r\nhi\r\n0\r\n\r\nJUNK${i}`],
  }));
  await using send = client();
  assert.equal(await text((await send(site.url, get)).body), "hi");
  assert.equal(send.pool.idle, 0, "not kept");
  assert.equal(await text((await send(site.url, get)).body), "hi");
  assert.deepEqual(site.requests.map((r) => r.connection), [1, 2]);
});

Deno.test("socketClient: after a byte of the answer came, a request is never sent again", async () => {
  await using site = new ScriptedSite((_, i) =>
    i === 1 ? { pieces: ["HTTP/1.1 200 OK\r\nContent-"], then: "close" } : OK("first")
  );
  await using send = client();
  await text((await send(site.url, get)).body);
  await assert.rejects(send(site.url, get), /closed the connection before its answer's head ended/);
  assert.equal(site.requests.length, 2);
});

Deno.test("socketClient: a new connection that ends unanswered fails, unsent again", async () => {
  await using site = new ScriptedSite(() => ({ pieces: [], then: "close" }));
  await using send = client();
  await assert.rejects(send(site.url, get), (error: Error) => {
    assert.equal(error.name, "ConnectionReset");
    assert.match(error.message, /closed the connection before answering/);
    return true;
  });
  assert.equal(site.requests.length, 1);
});

Deno.test("socketClient: an idle connection the site closes is dropped before it is used", async () => {
  await using site = new ScriptedSite((_, i) => ({ ...OK(`answer ${i}`), then: "close" }));
  await using send = client();
  assert.equal(await text((await send(site.url, get)).body), "answer 0");
  await site.until((s) => s.ended === 1);
  while (send.pool.idle > 0) await new Promise((resolve) => setTimeout(resolve, 1));
  assert.equal(await text((await send(site.url, get)).body), "answer 1");
  assert.equal(site.requests.length, 2, "each request sent once");
});

Deno.test("socketClient: interim answers, with or without a reason phrase, are skipped", async () => {
  await using site = new ScriptedSite(() => ({
    pieces: [
      "HTTP/1.1 100\r\n\r\nHTTP/1.1 103 Early Hints\r\nLink: </a>\r\n\r\n",
      OK("ok").pieces[0]!,
    ],
  }));
  await using send = client();
  const response = await send(site.url, get);
  assert.equal(response.status, 200);
  assert.equal(await text(response.body), "ok");
});

Deno.test("socketClient: a head with bare LF line ends is read", async () => {
  await using site = new ScriptedSite(() => ({
    pieces: ["HTTP/1.1 200 OK\nContent-Length: 2\nX-WP-Nonce: n\n\nok"],
  }));
  await using send = client();
  const response = await send(site.url, get);
  assert.equal(response.headers.get("x-wp-nonce"), "n");
  assert.equal(await text(response.body), "ok");
});

Deno.test("socketClient: a site that answers with something other than HTTP fails at once", async () => {
  await using site = new ScriptedSite(() => ({ pieces: ["<html>it works"], then: "hold" }));
  await using send = client();
  await assert.rejects(send(site.url, get), /^SyntaxError: Invalid HTTP response: no status line/);
  await site.until((s) => s.closedByClient === 1);
});

Deno.test("socketClient: a chunked body cut before its last chunk is an error, not an end", async () => {
  await using site = new ScriptedSite(() => ({
    pieces: ["HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n", "5\r\nHel"],
    then: "close",
  }));
  await using send = client();
  const response = await send(site.url, get);
  assert.equal(new TextDecoder().decode((await response.body.read())!), "Hel");
  await assert.rejects(response.body.read(), /closed the connection before the body ended/);
});

Deno.test("socketClient: a redirect is an answer like any other, never followed", async () => {
  await using site = new ScriptedSite(() => ({
    pieces: [
      "HTTP/1.1 307 Moved\r\nLocation: http://elsewhere.invalid/\r\nContent-Length: 0\r\n\r\n",
    ],
  }));
  await using send = client();
  const response = await send(site.url, { method: "POST", headers: {}, body: "{}" });
  assert.equal(response.status, 307);
  assert.equal(await response.body.read(), null);
  assert.equal(site.requests.length, 1);
});

Deno.test("socketClient: gzip, deflate and br bodies are decoded; zstd is refused by name", async () => {
  const data = 'data: {"type":"live","data":"Hi"}\n\n';
  for (const coding of ["gzip", "deflate", "br"] as const) {
    const compressor = new BodyCompressor(coding);
    const bytes = [
      await compressor.compress(new TextEncoder().encode(data)),
      await compressor.end(),
    ];
    const length = bytes.reduce((sum, b) => sum + b.length, 0);
    const head =
      `HTTP/1.1 200 OK\r\nContent-Encoding: ${coding}\r\nContent-Length: ${length}\r\n\r\n`;
    await using site = new ScriptedSite(() => ({ pieces: [head, ...bytes] }));
    await using send = client();
    assert.equal(await text((await send(site.url, get)).body), data, coding);
  }
  await using zstd = new ScriptedSite(() => OK("x", "Content-Encoding: zstd\r\n"));
  await using send = client();
  await assert.rejects(send(zstd.url, get), UnsupportedContentEncoding);
});

Deno.test("socketClient: a header that could break the request, or a URL with credentials, is refused before connecting", async () => {
  let connects = 0;
  const connect = denoConnect(Deno);
  await using send = client((url, signal) => (connects++, connect(url, signal)));
  for (const value of ["a\r\nX-Injected: 1", "nul\0", "ünïcode"]) {
    await assert.rejects(
      send("http://127.0.0.1:9/", { ...get, headers: { "x-wp-nonce": value } }),
      (error: Error) => {
        assert.equal(error.message, "Invalid value for the header x-wp-nonce");
        return true;
      },
    );
  }
  await assert.rejects(
    send("http://127.0.0.1:9/", { ...get, headers: { "a b": "c" } }),
    /header name/,
  );
  await assert.rejects(
    send("http://user:secret@127.0.0.1:9/", get),
    (error: Error) => /credentials/.test(error.message) && !error.message.includes("secret"),
  );
  assert.equal(connects, 0);
});

Deno.test("socketClient: aborting closes the connection, during the head and during the body", async () => {
  await using site = new ScriptedSite((_, i) =>
    i === 0 ? { pieces: [], then: "hold" } : {
      pieces: ["HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n2\r\nhi\r\n"],
      then: "hold",
    }
  );
  await using send = client();
  const early = new AbortController();
  const waiting = send(site.url, { ...get, signal: early.signal });
  await site.until((s) => s.requests.length === 1);
  early.abort();
  await assert.rejects(waiting, (error: unknown) => error instanceof DOMException);
  await site.until((s) => s.closedByClient === 1);

  const late = new AbortController();
  const response = await send(site.url, { ...get, signal: late.signal });
  assert.equal(new TextDecoder().decode((await response.body.read())!), "hi");
  const next = response.body.read();
  late.abort();
  await assert.rejects(next, (error: unknown) => error instanceof DOMException);
  await site.until((s) => s.closedByClient === 2);
  assert.equal(send.pool.idle, 0);
});

Deno.test("socketClient: connectTimeoutMs bounds connecting and the TLS handshake", async () => {
  await using site = new SilentSite();
  await using send = client();
  const started = performance.now();
  await assert.rejects(
    send(site.url, { ...get, connectTimeoutMs: 150 }),
    (error) => error instanceof ConnectTimeout && error.timeoutMs === 150,
  );
  const took = performance.now() - started;
  assert.ok(took >= 145 && took < 1500, `failed after ${took} ms`);
  assert.equal(site.held.length, 1);
});

Deno.test("socketClient: a caller that leaves while connecting aborts it", async () => {
  await using site = new SilentSite();
  await using send = client();
  const controller = new AbortController();
  const waiting = send(site.url, { ...get, signal: controller.signal });
  await site.connections(1);
  controller.abort(new Error("left"));
  await assert.rejects(waiting, /left/);
});
