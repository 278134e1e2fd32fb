import assert from "node:assert/strict";
import type { SiteConnection } from "../../lib/http/deno_connect.ts";
import { KeptConnection } from "../../lib/http/kept_connection.ts";
import { parseResponseHead } from "../../lib/http/response_head.ts";
import { SocketBody } from "../../lib/http/socket_body.ts";

const utf8 = new TextEncoder();

function body(head: string, first: string, reads: string[]) {
  const conn: SiteConnection = {
    read(buffer) {
      const next = reads.shift();
      if (next === undefined) return Promise.resolve(null);
      buffer.set(utf8.encode(next));
      return Promise.resolve(utf8.encode(next).length);
    },
    write: () => Promise.resolve(),
    close() {},
    ref() {},
    unref() {},
  };
  const finished: boolean[] = [];
  const source = new SocketBody(
    new KeptConnection("http://site.example", conn),
    parseResponseHead(utf8.encode(head), "POST"),
    utf8.encode(first),
    undefined,
    (keep) => finished.push(keep),
  );
  return { source, finished };
}

async function all(source: SocketBody): Promise<string[]> {
  const out: string[] = [];
  for (let bytes = await source.read(); bytes; bytes = await source.read()) {
    out.push(new TextDecoder().decode(bytes));
  }
  return out;
}

const CHUNKED = "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n";

Deno.test("SocketBody: each read of the connection is one read of the body, chunks joined", async () => {
  const { source, finished } = body(CHUNKED, "3\r\nabc\r\n2\r\n\n\n\r\n", [
    "3\r\ndef\r\n0\r\n\r\n",
  ]);
  assert.deepEqual(await all(source), ["abc\n\n", "def"]);
  assert.deepEqual(finished, [true]);
});

Deno.test("SocketBody: a sized body ends at its length; bytes past it cost the connection", async () => {
  const head = "HTTP/1.1 200 OK\r\nContent-Length: 4\r\n\r\n";
  const exact = body(head, "ab", ["cd"]);
  assert.deepEqual(await all(exact.source), ["ab", "cd"]);
  assert.deepEqual(exact.finished, [true]);
  const over = body(head, "ab", ["cdEXTRA"]);
  assert.deepEqual(await all(over.source), ["ab", "cd"]);
  assert.deepEqual(over.finished, [false]);
});

Deno.test("SocketBody: an empty body finishes at once; Connection: close is not kept", async () => {
  const empty = body("HTTP/1.1 204 No Content\r\n\r\n", "", []);
  assert.deepEqual(empty.finished, [true]);
  assert.equal(await empty.source.read(), null);
  const closing = body(
    "HTTP/1.1 200 OK\r\nConnection: close\r\nContent-Length: 1\r\n\r\n",
    "x",
    [],
  );
  assert.deepEqual(await all(closing.source), ["x"]);
  assert.deepEqual(closing.finished, [false]);
});

Deno.test("SocketBody: a body read to the close ends there; a framed one cut short is an error", async () => {
  const toClose = body("HTTP/1.1 200 OK\r\n\r\n", "all ", ["of it"]);
  assert.deepEqual(await all(toClose.source), ["all ", "of it"]);
  assert.deepEqual(toClose.finished, [false]);
  const cut = body(CHUNKED, "5\r\nHel", []);
  assert.equal(new TextDecoder().decode((await cut.source.read())!), "Hel");
  await assert.rejects(cut.source.read(), /before the body ended/);
  assert.deepEqual(cut.finished, [false]);
});

Deno.test("SocketBody: bad chunked coding is an error that gives the connection up", async () => {
  const bad = body(CHUNKED, "zz\r\n", []);
  await assert.rejects(bad.source.read(), /Invalid chunked body/);
  assert.deepEqual(bad.finished, [false]);
});

Deno.test("SocketBody: a cancel before the end gives the connection up, once", async () => {
  const { source, finished } = body(CHUNKED, "3\r\nabc\r\n", ["0\r\n\r\n"]);
  await source.read();
  await source.cancel();
  await source.cancel();
  assert.deepEqual(finished, [false]);
  assert.equal(await source.read(), null);
});
