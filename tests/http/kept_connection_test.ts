import assert from "node:assert/strict";
import type { SiteConnection } from "../../lib/http/deno_connect.ts";
import { KeptConnection } from "../../lib/http/kept_connection.ts";

/** A connection whose reads the test answers, one at a time. */
function scripted() {
  const reads: PromiseWithResolvers<number | null>[] = [];
  const buffers: Uint8Array[] = [];
  const refs: string[] = [];
  let closed = 0;
  const conn: SiteConnection = {
    read(buffer) {
      buffers.push(buffer);
      const read = Promise.withResolvers<number | null>();
      reads.push(read);
      return read.promise;
    },
    write: () => Promise.resolve(),
    close: () => void closed++,
    ref: () => void refs.push("ref"),
    unref: () => void refs.push("unref"),
  };
  return { conn, reads, buffers, refs, closed: () => closed };
}

Deno.test("KeptConnection: the read kept pending while idle is the next answer's first read", async () => {
  const s = scripted();
  const connection = new KeptConnection("http://site.example", s.conn);
  let ended = false;
  connection.park(() => ended = true);
  assert.deepEqual(s.refs, ["unref"], "an idle read keeps no process alive");
  connection.unpark();
  assert.deepEqual(s.refs, ["unref", "ref"]);
  const reading = connection.read();
  assert.equal(s.reads.length, 1, "no second read was started");
  s.buffers[0]!.set([104, 105]);
  s.reads[0]!.resolve(2);
  assert.equal(new TextDecoder().decode((await reading)!), "hi");
  assert.equal(ended, false);
});

Deno.test("KeptConnection: an end while idle is told; one after it was taken is the answer's", async () => {
  const s = scripted();
  const connection = new KeptConnection("http://site.example", s.conn);
  let ended = 0;
  connection.park(() => ended++);
  s.reads[0]!.resolve(null);
  await Promise.resolve();
  assert.equal(ended, 1);
  connection.park(() => ended++);
  connection.unpark();
  s.reads[1]!.reject(new Error("reset"));
  await assert.rejects(connection.read(), /reset/);
  assert.equal(ended, 1);
});

Deno.test("KeptConnection: parking reads into a fresh buffer; the last answer's bytes stay", async () => {
  const s = scripted();
  const connection = new KeptConnection("http://site.example", s.conn);
  const reading = connection.read();
  s.buffers[0]!.set([1, 2, 3]);
  s.reads[0]!.resolve(3);
  const last = (await reading)!;
  connection.park(() => {});
  assert.notEqual(s.buffers[1]!.buffer, s.buffers[0]!.buffer);
  s.buffers[1]!.set([9, 9, 9]);
  assert.deepEqual([...last], [1, 2, 3]);
});

Deno.test("KeptConnection: close() ends it and waits for the pending read", async () => {
  const s = scripted();
  const connection = new KeptConnection("http://site.example", s.conn);
  connection.park(() => {});
  let done = false;
  const closing = connection.close().then(() => done = true);
  assert.equal(connection.closed, true);
  assert.equal(s.closed(), 1);
  await Promise.resolve();
  assert.equal(done, false, "the read has not ended yet");
  s.reads[0]!.reject(new Error("closed"));
  await closing;
  assert.equal(done, true);
});
