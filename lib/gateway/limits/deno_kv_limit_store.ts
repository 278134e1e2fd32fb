import {
  type BudgetUse,
  type LimitDecision,
  type LimitSlot,
  type LimitStore,
  windowOf,
} from "./limit_store.ts";

/** How often a write that lost a race is tried again before the store gives up. */
const ATTEMPTS = 64;

/**
 * A store on Deno KV: a SQLite file on one machine (`Deno.openKv(path)`), the managed
 * global store on Deno Deploy, or a self-hosted `denokv` for a fleet. Every change is a
 * check-and-set (`kv.atomic().check(entry)`), retried when another isolate wrote first,
 * so the limits hold across every isolate that opens the same database.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { DenoKvLimitStore } from "./deno_kv_limit_store.ts";
 * const kv = await Deno.openKv(":memory:");
 * const store = new DenoKvLimitStore(kv);
 * assert.equal((await store.take("ip:203.0.113.7", 1, 60_000)).allowed, true);
 * assert.equal((await store.take("ip:203.0.113.7", 1, 60_000)).allowed, false);
 * kv.close();
 * ```
 */
export class DenoKvLimitStore implements LimitStore {
  #kv: Promise<Deno.Kv>;
  #now: () => number;

  /** A store on `kv` (or the promise of one, as `Deno.openKv` gives); `now` is the clock. */
  constructor(kv: Deno.Kv | Promise<Deno.Kv>, now: () => number = Date.now) {
    this.#kv = Promise.resolve(kv);
    // An opening that fails is said by each call; never an unhandled rejection.
    this.#kv.catch(() => {});
    this.#now = now;
  }

  async take(key: string, limit: number, windowMs: number): Promise<LimitDecision> {
    const { index, resetMs } = windowOf(this.#now(), windowMs);
    const id = ["mwai-limits", "count", key, windowMs, index];
    const used = await this.#update<number>(id, windowMs * 2, (now) => {
      const current = now ?? 0;
      return current < limit ? { write: current + 1, result: current + 1 } : { result: limit + 1 };
    });
    return { allowed: used <= limit, limit, remaining: Math.max(0, limit - used), resetMs };
  }

  async acquire(key: string, limit: number, leaseMs: number): Promise<LimitSlot> {
    const id = ["mwai-limits", "slots", key];
    const slot = crypto.randomUUID();
    const held = await this.#update<Record<string, number>>(id, leaseMs, (value) => {
      const now = this.#now();
      const live = Object.fromEntries(Object.entries(value ?? {}).filter(([, t]) => t > now));
      if (Object.keys(live).length >= limit) return { result: live };
      live[slot] = now + leaseMs;
      return { write: live, result: live };
    });
    const allowed = slot in held;
    let released = false;
    const release = async () => {
      if (!allowed || released) return;
      released = true;
      await this.#update<Record<string, number>>(id, leaseMs, (value) => {
        const { [slot]: _, ...rest } = value ?? {};
        return { write: rest, result: rest };
      });
    };
    const remaining = Math.max(0, limit - Object.keys(held).length);
    return { allowed, limit, remaining, resetMs: 1_000, release };
  }

  async spend(key: string, amount: number, windowMs: number): Promise<BudgetUse> {
    const { index, resetMs } = windowOf(this.#now(), windowMs);
    const id = ["mwai-limits", "budget", key, windowMs, index];
    const used = await this.#update<number>(id, windowMs * 2, (value) => {
      const total = (value ?? 0) + amount;
      return amount === 0 ? { result: total } : { write: total, result: total };
    });
    return { used, resetMs };
  }

  /**
   * Reads `id`, lets `change` decide, and writes its value only if nobody wrote since the
   * read; a lost race reads again. Entries expire after `expireMs` (KV deletes them).
   */
  async #update<T>(
    id: Deno.KvKey,
    expireMs: number,
    change: (value: T | null) => { write?: T; result: T },
  ): Promise<T> {
    const kv = await this.#kv;
    for (let attempt = 0; attempt < ATTEMPTS; attempt++) {
      const entry = await kv.get<T>(id);
      const { write, result } = change(entry.value);
      if (write === undefined) return result;
      const done = await commit(kv.atomic().check(entry).set(id, write, { expireIn: expireMs }));
      if (done) return result;
      // Another isolate wrote first: a short random pause spreads the retries.
      await new Promise((resolve) => setTimeout(resolve, Math.random() * 2 * (attempt + 1)));
    }
    throw new Error(`Deno KV: gave up after ${ATTEMPTS} conflicting writes to a limit`);
  }
}

/**
 * Commits `operation`: false when another writer came first. Two processes on one SQLite
 * file also meet as SQLite's "database is locked": the same race, so the same retry.
 */
async function commit(operation: Deno.AtomicOperation): Promise<boolean> {
  try {
    return (await operation.commit()).ok;
  } catch (error) {
    if (error instanceof Error && /database is locked/.test(error.message)) return false;
    throw error;
  }
}
