import { ConfigError } from "../../variables.ts";
import { DenoKvLimitStore } from "./deno_kv_limit_store.ts";
import { type CounterNamespace, DurableObjectLimitStore } from "./durable_object_limit_store.ts";
import type { LimitsConfig } from "./limits_config.ts";
import type { LimitStore } from "./limit_store.ts";
import { MemoryLimitStore } from "./memory_limit_store.ts";

interface DenoKvOpener {
  openKv?(path?: string): Promise<Deno.Kv>;
}

/**
 * The store `LIMITS_STORE` names: memory (per isolate), Deno KV at `DENO_KV_PATH` (the
 * runtime's default database without it: the managed one on Deno Deploy), or the Durable
 * Objects of the Workers binding `LIMITS` (in `bindings`, the Worker's `env`). A KV that
 * cannot be opened (no `--unstable-kv`, not on Deno) makes every call reject, which the
 * limits treat as a store that is down; a missing binding is a configuration error.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { openLimitStore } from "./open_limit_store.ts";
 * import { parseLimitsConfig } from "./limits_config.ts";
 * import { MemoryLimitStore } from "./memory_limit_store.ts";
 * assert.ok(openLimitStore(parseLimitsConfig({})) instanceof MemoryLimitStore);
 * ```
 */
export function openLimitStore(config: LimitsConfig, bindings?: unknown): LimitStore {
  if (config.store === "memory") return new MemoryLimitStore();
  if (config.store === "durable-object") {
    const namespace = (bindings as { LIMITS?: CounterNamespace } | undefined)?.LIMITS;
    if (typeof namespace?.idFromName !== "function") {
      throw new ConfigError(
        "LIMITS_STORE",
        "durable-object needs the LIMITS binding (wrangler.toml)",
      );
    }
    return new DurableObjectLimitStore(namespace);
  }
  const deno = (globalThis as { Deno?: DenoKvOpener }).Deno;
  const kv = deno?.openKv
    ? deno.openKv(config.denoKvPath ?? undefined)
    : Promise.reject(new Error("Deno KV is not available: run on Deno with --unstable-kv"));
  return new DenoKvLimitStore(kv);
}
