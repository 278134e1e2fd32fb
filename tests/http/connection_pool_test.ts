import assert from "node:assert/strict";
import { ConnectTimeout } from "../../lib/http/connect_timeout.ts";
import { ConnectionPool, IDLE_MS } from "../../lib/http/connection_pool.ts";
import { denoConnect } from "../../lib/http/deno_connect.ts";
import { ScriptedSite } from "../support/scripted_site.ts";
import { SilentSite } from "../support/silent_site.ts";

const connect = denoConnect(Deno);

function pool(idleMs?: number) {
  const made = new ConnectionPool(connect, idleMs === undefined ? {} : { idleMs });
  return Object.assign(made, { [Symbol.asyncDispose]: () => made.close() });
}

Deno.test("ConnectionPool: keeps idle connections below Apache's 5 s KeepAliveTimeout", () => {
  assert.ok(IDLE_MS < 5000 && IDLE_MS >= 1000);
});

Deno.test("ConnectionPool: a released connection is taken again, the last released first", async () => {
  await using site = new ScriptedSite(() => ({ pieces: [] }));
  await using connections = pool();
  const url = new URL(site.url);
  const a = await connections.take(url);
  const b = await connections.take(url);
  assert.equal(a.reused || b.reused, false);
  connections.release(a.connection);
  connections.release(b.connection);
  assert.equal(connections.idle, 2);
  const again = await connections.take(url);
  assert.equal(again.connection, b.connection);
  assert.equal(again.reused, true);
  const fresh = await connections.take(url, { fresh: true });
  assert.notEqual(fresh.connection, a.connection, "fresh never takes a kept one");
  assert.equal(connections.idle, 1);
  await Promise.all([again.connection.close(), fresh.connection.close()]);
});

Deno.test("ConnectionPool: connections are kept per origin", async () => {
  await using one = new ScriptedSite(() => ({ pieces: [] }));
  await using two = new ScriptedSite(() => ({ pieces: [] }));
  await using connections = pool();
  const first = await connections.take(new URL(one.url));
  connections.release(first.connection);
  const other = await connections.take(new URL(two.url));
  assert.equal(other.reused, false);
  assert.equal(two.connections, 1);
  await other.connection.close();
});

Deno.test("ConnectionPool: an idle connection is closed when its time is up", async () => {
  await using site = new ScriptedSite(() => ({ pieces: [] }));
  await using connections = pool(30);
  const { connection } = await connections.take(new URL(site.url));
  connections.release(connection);
  await site.until((s) => s.closedByClient === 1);
  assert.equal(connections.idle, 0);
  assert.equal(connection.closed, true);
});

Deno.test("ConnectionPool: an idle connection the site closes, or sends bytes on, is dropped", async () => {
  for (const then of ["close", "bytes"] as const) {
    const accepted = Promise.withResolvers<Deno.Conn>();
    const listener = Deno.listen({ hostname: "127.0.0.1", port: 0 });
    listener.accept().then(accepted.resolve);
    await using connections = pool();
    const { connection } = await connections.take(
      new URL(`http://127.0.0.1:${listener.addr.port}`),
    );
    connections.release(connection);
    const conn = await accepted.promise;
    if (then === "bytes") {
      await conn.write(new TextEncoder().encode("HTTP/1.1 408 Timeout\r\n\r\n"));
    }
    conn.close();
    while (!connection.closed) await new Promise((resolve) => setTimeout(resolve, 1));
    assert.equal(connections.idle, 0, then);
    listener.close();
  }
});

Deno.test("ConnectionPool: close() closes every idle connection and waits for them", async () => {
  await using site = new ScriptedSite(() => ({ pieces: [] }));
  const connections = pool();
  const url = new URL(site.url);
  const taken = [await connections.take(url), await connections.take(url)];
  taken.forEach(({ connection }) => connections.release(connection));
  await connections.close();
  assert.equal(connections.idle, 0);
  assert.ok(taken.every(({ connection }) => connection.closed));
  await site.until((s) => s.closedByClient === 2);
});

Deno.test("ConnectionPool: a connection in use when close() runs is closed when its answer ends, not kept", async () => {
  await using site = new ScriptedSite(() => ({ pieces: [] }));
  const connections = pool();
  const url = new URL(site.url);
  const busy = await connections.take(url);
  await connections.close();
  connections.release(busy.connection);
  assert.equal(connections.idle, 0);
  assert.ok(busy.connection.closed);
  const later = await connections.take(url);
  assert.equal(later.reused, false, "a new one for a later answer");
  connections.release(later.connection);
  assert.equal(connections.idle, 1, "which is kept");
  await connections.close();
  await site.until((s) => s.closedByClient === 2);
});

Deno.test("ConnectionPool: connecting is bounded by connectTimeoutMs and by the signal", async () => {
  await using site = new SilentSite();
  await using connections = pool();
  const url = new URL(site.url);
  await assert.rejects(connections.take(url, { connectTimeoutMs: 50 }), ConnectTimeout);
  const controller = new AbortController();
  const taking = connections.take(url, { signal: controller.signal });
  await site.connections(2);
  controller.abort(new Error("gone"));
  await assert.rejects(taking, /gone/);
});

Deno.test("ConnectionPool: an idle connection and its timer do not keep a process alive", async () => {
  await using site = new ScriptedSite(() => ({ pieces: [] }));
  const script = `
    import { ConnectionPool } from ${
    JSON.stringify(new URL("../../lib/http/connection_pool.ts", import.meta.url).href)
  };
    import { denoConnect } from ${
    JSON.stringify(new URL("../../lib/http/deno_connect.ts", import.meta.url).href)
  };
    const pool = new ConnectionPool(denoConnect(Deno), { idleMs: 600_000 });
    const { connection } = await pool.take(new URL(${JSON.stringify(site.url)}));
    pool.release(connection);
    console.log("idle", pool.idle);
  `;
  const child = new Deno.Command(Deno.execPath(), {
    args: ["eval", script],
    stdout: "piped",
    stderr: "piped",
  }).spawn();
  // A bound on a hang only: the process ends as soon as its script does.
  const hang = setTimeout(() => child.kill(), 20_000);
  const { code, stdout, stderr } = await child.output();
  clearTimeout(hang);
  assert.equal(code, 0, new TextDecoder().decode(stderr));
  assert.equal(new TextDecoder().decode(stdout).trim(), "idle 1");
});
