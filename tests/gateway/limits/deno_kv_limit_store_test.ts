import assert from "node:assert/strict";
import { DenoKvLimitStore } from "../../../lib/gateway/limits/deno_kv_limit_store.ts";
import { limitStoreSuite } from "./limit_store_suite.ts";

/** A KV database in a temporary SQLite file (in the repo: the tests may write only there). */
async function tempKvPath(): Promise<{ path: string; remove(): Promise<void> }> {
  const dir = await Deno.makeTempDir({ dir: ".", prefix: ".limits-kv-" });
  return { path: `${dir}/limits.sqlite`, remove: () => Deno.remove(dir, { recursive: true }) };
}

limitStoreSuite("Deno KV store", async (now) => {
  const file = await tempKvPath();
  const kv = await Deno.openKv(file.path);
  let closed = false;
  const close = () => {
    if (!closed) kv.close();
    closed = true;
  };
  return {
    store: new DenoKvLimitStore(kv, now),
    close: async () => {
      close();
      await file.remove();
    },
    breakIt: close,
  };
});

Deno.test("Deno KV store: two isolates on one database share the limit", async () => {
  const file = await tempKvPath();
  const one = await Deno.openKv(file.path);
  const two = await Deno.openKv(file.path);
  try {
    const stores = [new DenoKvLimitStore(one), new DenoKvLimitStore(two)];
    const decisions = await Promise.all(
      Array.from({ length: 12 }, (_, i) => stores[i % 2]!.take("ip:a", 5, 60_000)),
    );
    assert.equal(decisions.filter((d) => d.allowed).length, 5);
    const slots = await Promise.all(
      Array.from({ length: 6 }, (_, i) => stores[i % 2]!.acquire("ip:a", 2, 60_000)),
    );
    assert.equal(slots.filter((s) => s.allowed).length, 2);
  } finally {
    one.close();
    two.close();
    await file.remove();
  }
});

Deno.test("Deno KV store: a database that cannot be opened makes every call reject", async () => {
  const store = new DenoKvLimitStore(Promise.reject(new Error("KV is down")));
  await assert.rejects(store.take("ip:a", 1, 60_000), /KV is down/);
});
