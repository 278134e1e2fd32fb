import assert from "node:assert/strict";
import { headEnd, notHttp, parseResponseHead } from "../../lib/http/response_head.ts";

const utf8 = new TextEncoder();
const parse = (head: string, method = "POST") => parseResponseHead(utf8.encode(head), method);

Deno.test("parseResponseHead: Apache's recorded head reads as chunked, its headers kept", async () => {
  const raw = await Deno.readFile(
    new URL("../fixtures/ai-engine-3.6.2-apache/d-stream.raw", import.meta.url),
  );
  const end = headEnd(raw);
  assert.ok(end > 0);
  const head = parseResponseHead(raw.subarray(0, end), "POST");
  assert.equal(head.status, 200);
  assert.deepEqual(head.framing, { kind: "chunked" });
  assert.equal(head.headers.get("x-wp-nonce"), "00fbbfc281");
  assert.equal(head.headers.get("content-type"), "text/event-stream;charset=UTF-8");
});

Deno.test("parseResponseHead: the body's end follows RFC 9112 §6.3", () => {
  assert.deepEqual(parse("HTTP/1.1 200 OK\r\nContent-Length: 12\r\n\r\n").framing, {
    kind: "length",
    length: 12,
  });
  assert.deepEqual(parse("HTTP/1.0 200 OK\r\n\r\n").framing, { kind: "close" });
  assert.deepEqual(parse("HTTP/1.1 204 No Content\r\nContent-Length: 5\r\n\r\n").framing, {
    kind: "length",
    length: 0,
  });
  assert.deepEqual(parse("HTTP/1.1 200 OK\r\nContent-Length: 5\r\n\r\n", "HEAD").framing, {
    kind: "length",
    length: 0,
  });
  // Transfer-Encoding wins over Content-Length; a coding that does not end in chunked reads to close.
  assert.deepEqual(
    parse("HTTP/1.1 200 OK\r\nContent-Length: 5\r\nTransfer-Encoding: gzip, chunked\r\n\r\n")
      .framing,
    { kind: "chunked" },
  );
  assert.deepEqual(parse("HTTP/1.1 200 OK\r\nTransfer-Encoding: gzip\r\n\r\n").framing, {
    kind: "close",
  });
});

Deno.test("parseResponseHead: repeated headers are joined, names are case-blind", () => {
  const head = parse("HTTP/1.1 200 OK\r\nVary: Origin\r\nvary: Accept\r\n\r\n");
  assert.equal(head.headers.get("VARY"), "Origin, Accept");
});

for (
  const [name, head] of [
    ["not HTTP", "SSH-2.0-OpenSSH\r\n\r\n"],
    ["a status of two digits", "HTTP/1.1 20 OK\r\n\r\n"],
    ["a header line without a colon", "HTTP/1.1 200 OK\r\nbroken\r\n\r\n"],
    ["a Content-Length that is not a number", "HTTP/1.1 200 OK\r\nContent-Length: 1e3\r\n\r\n"],
  ] as const
) {
  Deno.test(`parseResponseHead: ${name} is a SyntaxError`, () => {
    assert.throws(() => parse(head), SyntaxError);
  });
}

Deno.test("headEnd: finds the blank line, or -1 while it has not come", () => {
  assert.equal(headEnd(utf8.encode("HTTP/1.1 200 OK\r\n")), -1);
  assert.equal(headEnd(utf8.encode("HTTP/1.1 200 OK\r\n\r\nrest")), 19);
});

Deno.test("parseResponseHead: a header value with bytes outside printable ASCII is left out, the rest kept", () => {
  const bytes = new Uint8Array([
    ...new TextEncoder().encode("HTTP/1.1 200 OK\r\nX-WP-Nonce: EVIL-"),
    0xc3,
    0xa9,
    0x85,
    0x9f, // UTF-8 é, then bytes windows-1252 would turn into U+20xx
    ...new TextEncoder().encode("\r\nContent-Type: text/event-stream\r\n\r\n"),
  ]);
  const head = parseResponseHead(bytes, "POST");
  assert.equal(head.headers.get("x-wp-nonce"), null);
  assert.equal(head.headers.get("content-type"), "text/event-stream");
});

Deno.test("headEnd: a head with bare LF line ends ends at its blank line", () => {
  assert.equal(headEnd(utf8.encode("HTTP/1.1 200 OK\nA: b\n")), -1);
  assert.equal(headEnd(utf8.encode("HTTP/1.1 200 OK\nA: b\n\nrest")), 22);
  assert.equal(headEnd(utf8.encode("HTTP/1.1 200 OK\nA: b\n\r\nrest")), 23);
});

Deno.test("parseResponseHead: bare LF line ends read as CRLF ones", () => {
  const head = parse("HTTP/1.1 200 OK\nContent-Length: 2\nX-WP-Nonce: n\n\n");
  assert.equal(head.headers.get("x-wp-nonce"), "n");
  assert.deepEqual(head.framing, { kind: "length", length: 2 });
});

Deno.test("parseResponseHead: a status line without a reason phrase is read", () => {
  assert.equal(parse("HTTP/1.1 100\r\n\r\n").status, 100);
  assert.equal(parse("HTTP/1.1 200 \r\nContent-Length: 0\r\n\r\n").status, 200);
});

Deno.test("parseResponseHead: the connection is kept unless the site says otherwise", () => {
  assert.equal(parse("HTTP/1.1 200 OK\r\nContent-Length: 0\r\n\r\n").keepAlive, true);
  const closing = "HTTP/1.1 200 OK\r\nConnection: Close\r\nContent-Length: 0\r\n\r\n";
  assert.equal(parse(closing).keepAlive, false);
  assert.equal(parse("HTTP/1.1 200 OK\r\n\r\n").keepAlive, false, "read to its close");
  assert.equal(parse("HTTP/1.0 200 OK\r\nContent-Length: 0\r\n\r\n").keepAlive, false);
  const kept = "HTTP/1.0 200 OK\r\nConnection: keep-alive\r\nContent-Length: 0\r\n\r\n";
  assert.equal(parse(kept).keepAlive, true);
});

Deno.test("notHttp: what cannot begin a status line is told at its first bytes", () => {
  assert.equal(notHttp(utf8.encode("H")), false);
  assert.equal(notHttp(utf8.encode("HTTP/1.1 200")), false);
  assert.equal(notHttp(utf8.encode("HTTP/2 200")), true);
  assert.equal(notHttp(utf8.encode("\x16\x03\x01")), true, "a TLS record on a plain connection");
});
