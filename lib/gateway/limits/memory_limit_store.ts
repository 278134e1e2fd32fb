import {
  type BudgetUse,
  type LimitDecision,
  type LimitSlot,
  type LimitStore,
  windowOf,
} from "./limit_store.ts";

/** Entries kept before expired ones are swept, so many one-off clients cannot grow it forever. */
const SWEEP_AT = 10_000;

/**
 * The zero-configuration store: counters in this isolate's memory. It is exact within one
 * isolate and knows nothing of the others: on Deno Deploy or Workers, where a site's
 * traffic spreads over many isolates, each one counts on its own.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { MemoryLimitStore } from "./memory_limit_store.ts";
 * const store = new MemoryLimitStore();
 * assert.equal((await store.take("ip:203.0.113.7", 1, 60_000)).allowed, true);
 * assert.equal((await store.take("ip:203.0.113.7", 1, 60_000)).allowed, false);
 * ```
 */
export class MemoryLimitStore implements LimitStore {
  #counts = new Map<string, { window: number; used: number; expires: number }>();
  #slots = new Map<string, Map<number, number>>();
  #nextSlot = 0;
  #now: () => number;

  /** A store; `now` is the clock (tests move it). */
  constructor(now: () => number = Date.now) {
    this.#now = now;
  }

  take(key: string, limit: number, windowMs: number): Promise<LimitDecision> {
    const { index, resetMs } = windowOf(this.#now(), windowMs);
    const entry = this.#count(`${windowMs}:${key}`, index, windowMs);
    const allowed = entry.used < limit;
    if (allowed) entry.used++;
    return Promise.resolve({ allowed, limit, remaining: Math.max(0, limit - entry.used), resetMs });
  }

  acquire(key: string, limit: number, leaseMs: number): Promise<LimitSlot> {
    const now = this.#now();
    let slots = this.#slots.get(key);
    if (!slots) this.#slots.set(key, slots = new Map());
    for (const [id, expires] of slots) if (expires <= now) slots.delete(id);
    const allowed = slots.size < limit;
    const id = this.#nextSlot++;
    if (allowed) slots.set(id, now + leaseMs);
    const held = slots;
    const release = () => {
      held.delete(id);
      if (held.size === 0 && this.#slots.get(key) === held) this.#slots.delete(key);
      return Promise.resolve();
    };
    const remaining = Math.max(0, limit - slots.size);
    if (slots.size === 0) this.#slots.delete(key);
    return Promise.resolve({ allowed, limit, remaining, resetMs: 1_000, release });
  }

  spend(key: string, amount: number, windowMs: number): Promise<BudgetUse> {
    const { index, resetMs } = windowOf(this.#now(), windowMs);
    const entry = this.#count(`${windowMs}:${key}`, index, windowMs);
    entry.used += amount;
    return Promise.resolve({ used: entry.used, resetMs });
  }

  #count(id: string, window: number, windowMs: number) {
    let entry = this.#counts.get(id);
    if (!entry || entry.window !== window) {
      if (this.#counts.size >= SWEEP_AT) this.#sweep();
      entry = { window, used: 0, expires: (window + 1) * windowMs };
      this.#counts.set(id, entry);
    }
    return entry;
  }

  #sweep(): void {
    const now = this.#now();
    for (const [id, entry] of this.#counts) if (entry.expires <= now) this.#counts.delete(id);
  }
}
