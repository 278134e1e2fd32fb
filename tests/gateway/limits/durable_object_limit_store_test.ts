// The store over a namespace double whose objects are LimitCounters on in-memory storage;
// the real binding runs under wrangler dev in tests/contract/limits_test.ts.
import assert from "node:assert/strict";
import {
  type CounterNamespace,
  DurableObjectLimitStore,
} from "../../../lib/gateway/limits/durable_object_limit_store.ts";
import { LimitCounter } from "../../../lib/gateway/limits/limit_counter_object.ts";
import { objectStorageDouble } from "./object_storage_double.ts";

const MINUTE = 60_000;

/** A namespace of one LimitCounter per name, recording each request by the object's name. */
function namespaceDouble(status = 200) {
  const objects = new Map<string, LimitCounter>();
  const asked: { name: string; request: Record<string, unknown> }[] = [];
  const namespace: CounterNamespace = {
    idFromName: (name) => ({ name }),
    get: (id) => {
      const { name } = id as { name: string };
      return {
        async fetch(input, init) {
          const request = new Request(input, init);
          asked.push({ name, request: await request.clone().json() });
          if (status !== 200) return new Response("down", { status });
          if (!objects.has(name)) {
            objects.set(name, new LimitCounter({ storage: objectStorageDouble().storage }));
          }
          return await objects.get(name)!.fetch(request);
        },
      };
    },
  };
  return { store: new DurableObjectLimitStore(namespace), asked };
}

Deno.test("one object per client: the kind of key is stripped from the object's name", async () => {
  const { store, asked } = namespaceDouble();
  await store.take("minute:ip:203.0.113.7", 5, MINUTE);
  await (await store.acquire("slots:ip:203.0.113.7", 2, MINUTE)).release();
  await store.spend("day:key:4f2a", 10, 86_400_000);
  assert.deepEqual(asked.map((a) => a.name), [
    "ip:203.0.113.7",
    "ip:203.0.113.7",
    "ip:203.0.113.7",
    "key:4f2a",
  ]);
});

Deno.test("each operation is sent whole, with the full key, and its answer comes back", async () => {
  const { store, asked } = namespaceDouble();
  const decision = await store.take("minute:ip:a", 1, MINUTE);
  assert.deepEqual([decision.allowed, decision.remaining], [true, 0]);
  assert.equal((await store.take("minute:ip:a", 1, MINUTE)).allowed, false);
  assert.deepEqual(asked[0]!.request, {
    op: "take",
    key: "minute:ip:a",
    limit: 1,
    windowMs: MINUTE,
  });
  assert.equal((await store.spend("day:ip:a", 7, MINUTE)).used, 7);
});

Deno.test("a slot's release frees it in the object, and a second release sends nothing", async () => {
  const { store, asked } = namespaceDouble();
  const slot = await store.acquire("slots:ip:a", 1, MINUTE);
  assert.equal((await store.acquire("slots:ip:a", 1, MINUTE)).allowed, false);
  await slot.release();
  await slot.release();
  assert.equal(asked.filter((a) => a.request.op === "release").length, 1);
  assert.equal((await store.acquire("slots:ip:a", 1, MINUTE)).allowed, true);
});

Deno.test("a refused slot's release sends nothing: there is nothing to give back", async () => {
  const { store, asked } = namespaceDouble();
  await store.acquire("slots:ip:a", 1, MINUTE);
  const refused = await store.acquire("slots:ip:a", 1, MINUTE);
  await refused.release();
  assert.equal(asked.filter((a) => a.request.op === "release").length, 0);
});

Deno.test("an object that answers with an error status rejects, as a store that is down", async () => {
  const { store } = namespaceDouble(500);
  await assert.rejects(
    () => store.take("minute:ip:a", 1, MINUTE),
    /Durable Object limits: status 500/,
  );
  await assert.rejects(() => store.acquire("slots:ip:a", 1, MINUTE), /status 500/);
  await assert.rejects(() => store.spend("day:ip:a", 1, MINUTE), /status 500/);
});
