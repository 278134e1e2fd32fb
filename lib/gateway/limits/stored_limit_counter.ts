import {
  type BudgetUse,
  type LimitDecision,
  type LimitSlot,
  type LimitStore,
  windowOf,
} from "./limit_store.ts";

/** The storage a counter keeps its state in: a Durable Object's `ctx.storage`, or a Map. */
export interface CounterStorage {
  get<T>(key: string): Promise<T | undefined>;
  put<T>(key: string, value: T): Promise<void>;
}

interface Count {
  window: number;
  used: number;
}

/**
 * A {@linkcode LimitStore} over a key-value storage that one owner reads and writes: the
 * state of a Durable Object, one per client. Its operations run one after another (a
 * queue), so each read-change-write is atomic without relying on the object's input gates.
 * One entry per key, overwritten when its window changes: a client's state stays small.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { StoredLimitCounter } from "./stored_limit_counter.ts";
 * const map = new Map<string, unknown>();
 * const storage = {
 *   get: <T>(key: string) => Promise.resolve(map.get(key) as T | undefined),
 *   put: <T>(key: string, value: T) => Promise.resolve(void map.set(key, value)),
 * };
 * const counter = new StoredLimitCounter(storage);
 * assert.equal((await counter.take("minute:ip:a", 1, 60_000)).allowed, true);
 * assert.equal((await counter.take("minute:ip:a", 1, 60_000)).allowed, false);
 * ```
 */
export class StoredLimitCounter implements LimitStore {
  #storage: CounterStorage;
  #now: () => number;
  #queue: Promise<unknown> = Promise.resolve();

  /** A counter on `storage`; `now` is the clock. */
  constructor(storage: CounterStorage, now: () => number = Date.now) {
    this.#storage = storage;
    this.#now = now;
  }

  take(key: string, limit: number, windowMs: number): Promise<LimitDecision> {
    return this.#serially(async () => {
      const { index, resetMs } = windowOf(this.#now(), windowMs);
      const count = await this.#count(key, index);
      const allowed = count.used < limit;
      if (allowed) await this.#storage.put<Count>(key, { window: index, used: count.used + 1 });
      const used = count.used + (allowed ? 1 : 0);
      return { allowed, limit, remaining: Math.max(0, limit - used), resetMs };
    });
  }

  acquire(key: string, limit: number, leaseMs: number): Promise<LimitSlot & { id: string }> {
    const id = crypto.randomUUID();
    return this.#serially(async () => {
      const now = this.#now();
      const held = await this.#storage.get<Record<string, number>>(key) ?? {};
      const live = Object.fromEntries(Object.entries(held).filter(([, t]) => t > now));
      const allowed = Object.keys(live).length < limit;
      if (allowed) live[id] = now + leaseMs;
      await this.#storage.put(key, live);
      const remaining = Math.max(0, limit - Object.keys(live).length);
      return {
        allowed,
        limit,
        remaining,
        resetMs: 1_000,
        id,
        release: () => this.release(key, id),
      };
    });
  }

  /** Gives back the slot `id` of `key` (what `LimitSlot.release` does, by name). */
  release(key: string, id: string): Promise<void> {
    return this.#serially(async () => {
      const held = await this.#storage.get<Record<string, number>>(key);
      if (!held || !(id in held)) return;
      delete held[id];
      await this.#storage.put(key, held);
    });
  }

  spend(key: string, amount: number, windowMs: number): Promise<BudgetUse> {
    return this.#serially(async () => {
      const { index, resetMs } = windowOf(this.#now(), windowMs);
      const count = await this.#count(key, index);
      const used = count.used + amount;
      if (amount !== 0) await this.#storage.put<Count>(key, { window: index, used });
      return { used, resetMs };
    });
  }

  async #count(key: string, window: number): Promise<Count> {
    const count = await this.#storage.get<Count>(key);
    return count?.window === window ? count : { window, used: 0 };
  }

  #serially<T>(operation: () => Promise<T>): Promise<T> {
    const result = this.#queue.then(operation);
    this.#queue = result.catch(() => {});
    return result;
  }
}
