import assert from "node:assert/strict";
import { denoConnect } from "../../lib/http/runtime_client.ts";
import { type Connect, socketClient } from "../../lib/http/socket_client.ts";
import { LoopbackServer } from "../support/loopback_server.ts";

const utf8 = new TextEncoder();

/** Deno's own sockets: the transport the gateway uses on Deno. */
const connect: Connect = denoConnect(Deno);

/**
 * A site that reads one request head and body, then writes `answer`'s pieces, each its
 * own TCP write, and closes (unless `hold`). It records the request it read.
 */
function site(answer: string[], options: { hold?: boolean } = {}) {
  const seen: { request: string } = { request: "" };
  const closed = Promise.withResolvers<void>();
  const server = new LoopbackServer(async (conn) => {
    const buffer = new Uint8Array(64 * 1024);
    let request = "";
    while (!/\r\n\r\n/.test(request) || !requestComplete(request)) {
      const n = await conn.read(buffer).catch(() => null);
      if (n === null) break;
      request += new TextDecoder().decode(buffer.subarray(0, n));
    }
    seen.request = request;
    for (const piece of answer) await conn.write(utf8.encode(piece)).catch(() => {});
    if (options.hold) await conn.read(buffer).catch(() => null); // until the client closes
    closed.resolve();
    try {
      conn.close();
    } catch { /* closed already */ }
  });
  return { url: `http://127.0.0.1:${server.port}`, seen, closed: closed.promise, server };
}

function requestComplete(request: string): boolean {
  const [head, body = ""] = request.split("\r\n\r\n");
  const length = Number(/content-length: (\d+)/i.exec(head!)?.[1] ?? 0);
  return utf8.encode(body).length >= length;
}

async function text(source: { read(): Promise<Uint8Array | null> }): Promise<string> {
  let out = "";
  const utf8 = new TextDecoder();
  for (let bytes = await source.read(); bytes; bytes = await source.read()) {
    out += utf8.decode(bytes, { stream: true });
  }
  return out;
}

Deno.test("socketClient: a chunked answer, its events two chunks each, reads as its data", async () => {
  const s = site([
    "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\nX-WP-Nonce: n1\r\n\r\n",
    '23\r\ndata: {"type":"live","data":" The"}\r\n2\r\n\n\n\r\n',
    "0\r\n\r\n",
  ]);
  const client = socketClient(connect);
  const response = await client(`${s.url}/wp-json/mwai-ui/v1/chats/submit`, {
    method: "POST",
    headers: { "content-type": "application/json", "x-wp-nonce": "abc" },
    body: '{"newMessage":"Привет"}',
  });
  assert.equal(response.status, 200);
  assert.equal(response.headers.get("x-wp-nonce"), "n1");
  assert.equal(await text(response.body), 'data: {"type":"live","data":" The"}\n\n');
  await s.server.close();
  const [head, body] = s.seen.request.split("\r\n\r\n");
  assert.match(head!, /^POST \/wp-json\/mwai-ui\/v1\/chats\/submit HTTP\/1\.1\r\n/);
  assert.match(head!, new RegExp(`\r\nhost: 127\\.0\\.0\\.1:${new URL(s.url).port}\r\n`));
  assert.match(head!, /\r\nx-wp-nonce: abc\r\n/);
  assert.match(head!, /\r\ncontent-length: 29\r\n/); // bytes (23 characters)
  assert.match(head!, /\r\nconnection: close$/);
  assert.equal(body, '{"newMessage":"Привет"}');
});

Deno.test("socketClient: a Content-Length body ends at its length, a close-delimited one at the close", async () => {
  const sized = site(["HTTP/1.1 403 Forbidden\r\nContent-Length: 5\r\n\r\n", "{}", "{}!garbage"]);
  const client = socketClient(connect);
  const first = await client(sized.url, { method: "POST", headers: {}, body: "" });
  assert.equal(first.status, 403);
  assert.equal(await text(first.body), "{}{}!");
  await sized.server.close();
  const closing = site(["HTTP/1.0 200 OK\r\n\r\nall ", "of it"]);
  const second = await client(closing.url, { method: "GET", headers: {} });
  assert.equal(await text(second.body), "all of it");
  await closing.server.close();
});

Deno.test("socketClient: interim 1xx answers are skipped", async () => {
  const s = site(["HTTP/1.1 100 Continue\r\n\r\nHTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\nok"]);
  const response = await socketClient(connect)(s.url, { method: "GET", headers: {} });
  assert.equal(response.status, 200);
  assert.equal(await text(response.body), "ok");
  await s.server.close();
});

Deno.test("socketClient: a chunked body cut before its last chunk is an error, not an end", async () => {
  const s = site(["HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n", "5\r\nHel"]);
  const response = await socketClient(connect)(s.url, { method: "GET", headers: {} });
  assert.equal(new TextDecoder().decode((await response.body.read())!), "Hel");
  await assert.rejects(response.body.read(), /closed the connection before the body ended/);
  await s.server.close();
});

Deno.test("socketClient: a redirect is an answer like any other, never followed", async () => {
  const s = site([
    "HTTP/1.1 307 Temporary Redirect\r\nLocation: http://elsewhere.invalid/\r\nContent-Length: 0\r\n\r\n",
  ]);
  const response = await socketClient(connect)(s.url, { method: "POST", headers: {}, body: "{}" });
  assert.equal(response.status, 307);
  assert.equal(await response.body.read(), null);
  await s.server.close();
});

Deno.test("socketClient: a header value that could break the request is refused before connecting", async () => {
  let connects = 0;
  const counting: Connect = (url) => (connects++, connect(url));
  for (const value of ["a\r\nX-Injected: 1", "nul\0", "ünïcode", "tab\tok"]) {
    const attempt = socketClient(counting)("http://127.0.0.1:9/", {
      method: "POST",
      headers: { "x-wp-nonce": value },
    });
    if (value === "tab\tok") {
      await assert.rejects(attempt); // nothing listens on port 9: the value itself passed
    } else {
      await assert.rejects(attempt, (error: Error) => {
        assert.equal(error.message, "Invalid value for the header x-wp-nonce");
        assert.ok(!error.message.includes(value), "the value is not quoted");
        return true;
      });
    }
  }
  assert.equal(connects, 1);
});

Deno.test("socketClient: aborting closes the connection, during the head and during the body", async () => {
  const silent = site([], { hold: true });
  const early = new AbortController();
  const waiting = socketClient(connect)(silent.url, {
    method: "GET",
    headers: {},
    signal: early.signal,
  });
  setTimeout(() => early.abort(), 20);
  await assert.rejects(waiting, (error: unknown) => error instanceof DOMException);
  await silent.closed;
  await silent.server.close();

  const slow = site(["HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n2\r\nhi\r\n"], {
    hold: true,
  });
  const late = new AbortController();
  const response = await socketClient(connect)(slow.url, {
    method: "GET",
    headers: {},
    signal: late.signal,
  });
  assert.equal(new TextDecoder().decode((await response.body.read())!), "hi");
  const next = response.body.read();
  late.abort();
  await assert.rejects(next, (error: unknown) => error instanceof DOMException);
  await slow.closed; // the site saw the connection close
  await slow.server.close();
});

Deno.test("socketClient: a URL with credentials is refused", async () => {
  await assert.rejects(
    socketClient(connect)("http://user:secret@127.0.0.1:9/", { method: "GET", headers: {} }),
    (error: Error) => !error.message.includes("secret"),
  );
});
