import assert from "node:assert/strict";
import { ConfigError } from "../../../lib/variables.ts";
import { DenoKvLimitStore } from "../../../lib/gateway/limits/deno_kv_limit_store.ts";
import { DurableObjectLimitStore } from "../../../lib/gateway/limits/durable_object_limit_store.ts";
import { parseLimitsConfig } from "../../../lib/gateway/limits/limits_config.ts";
import { MemoryLimitStore } from "../../../lib/gateway/limits/memory_limit_store.ts";
import { openLimitStore } from "../../../lib/gateway/limits/open_limit_store.ts";

const noObjects = {
  idFromName: (name: string) => name,
  get: () => ({ fetch: () => Promise.reject(new Error("not asked in this test")) }),
};

Deno.test("unset or memory, LIMITS_STORE is a store in this isolate's memory", () => {
  assert.ok(openLimitStore(parseLimitsConfig({})) instanceof MemoryLimitStore);
  const memory = parseLimitsConfig({ LIMITS_STORE: "memory" });
  assert.ok(openLimitStore(memory) instanceof MemoryLimitStore);
});

Deno.test("durable-object is a store on the LIMITS binding", () => {
  const config = parseLimitsConfig({ LIMITS_STORE: "durable-object" });
  assert.ok(openLimitStore(config, { LIMITS: noObjects }) instanceof DurableObjectLimitStore);
});

Deno.test("durable-object without the LIMITS binding is a configuration error naming it", () => {
  const config = parseLimitsConfig({ LIMITS_STORE: "durable-object" });
  for (const bindings of [undefined, {}, { LIMITS: {} }, { LIMITS: "LimitCounter" }]) {
    assert.throws(() => openLimitStore(config, bindings), (error) => {
      assert.ok(error instanceof ConfigError);
      assert.equal(error.variable, "LIMITS_STORE");
      assert.match(error.message, /LIMITS binding/);
      return true;
    });
  }
});

/** Runs `fn` with `Deno.openKv` replaced by `openKv`, then puts it back. */
async function withOpenKv(openKv: typeof Deno.openKv | undefined, fn: () => Promise<void>) {
  // Deno.openKv is an accessor of the namespace (it needs --unstable-kv): redefined, then restored.
  const original = Object.getOwnPropertyDescriptor(Deno, "openKv")!;
  Object.defineProperty(Deno, "openKv", { value: openKv, configurable: true });
  try {
    await fn();
  } finally {
    Object.defineProperty(Deno, "openKv", original);
  }
}

Deno.test("deno-kv opens the database at DENO_KV_PATH, and the store counts there", async () => {
  const opened: { path: string | undefined; kv: Deno.Kv }[] = [];
  const realOpenKv = Deno.openKv;
  const openKv = async (path?: string) => {
    const kv = await realOpenKv(":memory:");
    opened.push({ path, kv });
    return kv;
  };
  const config = parseLimitsConfig({ LIMITS_STORE: "deno-kv", DENO_KV_PATH: " ./limits.sqlite " });
  await withOpenKv(openKv, async () => {
    const store = openLimitStore(config);
    assert.ok(store instanceof DenoKvLimitStore);
    assert.equal((await store.take("minute:ip:a", 1, 60_000)).allowed, true);
    assert.equal((await store.take("minute:ip:a", 1, 60_000)).allowed, false);
  });
  assert.deepEqual(opened.map((o) => o.path), ["./limits.sqlite"]);
  for (const { kv } of opened) kv.close();
});

Deno.test("deno-kv without DENO_KV_PATH opens the runtime's default database", async () => {
  const paths: (string | undefined)[] = [];
  const openKv = (path?: string) => {
    paths.push(path);
    return Promise.reject(new Error("no database in this test"));
  };
  await withOpenKv(openKv, async () => {
    const store = openLimitStore(parseLimitsConfig({ LIMITS_STORE: "deno-kv" }));
    await assert.rejects(() => store.take("minute:ip:a", 1, 60_000), /no database/);
  });
  assert.deepEqual(paths, [undefined]);
});

Deno.test("deno-kv where KV cannot be opened is a store whose every call rejects, saying why", async () => {
  await withOpenKv(undefined, async () => {
    const store = openLimitStore(parseLimitsConfig({ LIMITS_STORE: "deno-kv" }));
    await assert.rejects(() => store.take("minute:ip:a", 1, 60_000), /--unstable-kv/);
    await assert.rejects(() => store.spend("day:ip:a", 1, 60_000), /Deno KV is not available/);
  });
});
