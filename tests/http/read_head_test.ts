import assert from "node:assert/strict";
import type { SiteConnection } from "../../lib/http/deno_connect.ts";
import { KeptConnection } from "../../lib/http/kept_connection.ts";
import { readHead } from "../../lib/http/read_head.ts";

class Nothing extends Error {
  constructor(cause?: unknown) {
    super("nothing", { cause });
  }
}

/** A connection that gives `pieces`, one per read, then the end (or `error`). */
function over(pieces: (string | Uint8Array)[], error?: Error): KeptConnection {
  const queue = pieces.map((p) => typeof p === "string" ? new TextEncoder().encode(p) : p);
  const conn: SiteConnection = {
    read(buffer) {
      const next = queue.shift();
      if (!next) return error ? Promise.reject(error) : Promise.resolve(null);
      buffer.set(next);
      return Promise.resolve(next.length);
    },
    write: () => Promise.resolve(),
    close() {},
    ref() {},
    unref() {},
  };
  return new KeptConnection("http://site.example", conn);
}

const read = (pieces: (string | Uint8Array)[], error?: Error) =>
  readHead(over(pieces, error), "POST", (cause) => new Nothing(cause));

Deno.test("readHead: a head split anywhere, byte by byte too, reads whole, with the body's first bytes", async () => {
  const answer = "HTTP/1.1 200 OK\r\nContent-Length: 4\r\nX-WP-Nonce: n\r\n\r\nbody";
  for (let cut = 1; cut < answer.length; cut++) {
    const { head, rest } = await read([answer.slice(0, cut), answer.slice(cut)]);
    assert.equal(head.headers.get("x-wp-nonce"), "n", `cut at ${cut}`);
    // The body's bytes that came with the head's last read, no more.
    const headLength = answer.length - 4;
    const expected = cut < headLength ? "body" : answer.slice(headLength, cut);
    assert.equal(new TextDecoder().decode(rest), expected);
  }
  const { head } = await read([...answer]);
  assert.equal(head.status, 200);
});

Deno.test("readHead: interim answers are skipped, with or without a reason phrase, 100 and 103", async () => {
  const { head } = await read([
    "HTTP/1.1 100\r\n\r\n",
    "HTTP/1.1 103 Early Hints\r\nLink: </style.css>\r\n\r\nHTTP/1.1 201 Created\r\n\r\n",
  ]);
  assert.equal(head.status, 201);
});

Deno.test("readHead: a close or an error before any byte is the kind that may be sent again", async () => {
  await assert.rejects(read([]), Nothing);
  await assert.rejects(
    read([], new Error("reset")),
    (error) => error instanceof Nothing && (error.cause as Error).message === "reset",
  );
  await assert.rejects(read(["HTTP/1.1 2"]), /before its answer's head ended/);
  await assert.rejects(read(["HTTP/1.1 100\r\n\r\n"]), /before its answer's head ended/);
});

Deno.test("readHead: what is not HTTP, a 101, or a head without end fails without waiting", async () => {
  await assert.rejects(read(["<html>"]), /no status line/);
  await assert.rejects(read(["HTTP/1.1 200 OK\r\n", "X\0: y\r\n\r\n"]), /bad header line/);
  await assert.rejects(read(["HTTP/1.1 101 Switching Protocols\r\n\r\n"]), /101/);
  const long = `HTTP/1.1 200 OK\r\nX: ${"a".repeat(70 * 1024)}`;
  await assert.rejects(read([long.slice(0, 40_000), long.slice(40_000)]), /head too large/);
});
