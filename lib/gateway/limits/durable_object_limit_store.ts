import type { BudgetUse, LimitDecision, LimitSlot, LimitStore } from "./limit_store.ts";
import type { CounterRequest } from "./limit_counter_object.ts";

/** The parts of a Durable Object namespace binding the store uses. */
export interface CounterNamespace {
  idFromName(name: string): unknown;
  get(id: unknown): { fetch(input: string, init?: RequestInit): Promise<Response> };
}

/**
 * The limits on Cloudflare Durable Objects: each client's units live in one
 * {@linkcode LimitCounter} object named by the client (`ip:…`, `key:…`), which every
 * isolate of the Worker reaches. An object that cannot be reached rejects, as a store
 * that is down.
 */
export class DurableObjectLimitStore implements LimitStore {
  #namespace: CounterNamespace;

  /** A store on the `LIMITS` binding of `wrangler.toml`. */
  constructor(namespace: CounterNamespace) {
    this.#namespace = namespace;
  }

  take(key: string, limit: number, windowMs: number): Promise<LimitDecision> {
    return this.#ask({ op: "take", key, limit, windowMs });
  }

  async acquire(key: string, limit: number, leaseMs: number): Promise<LimitSlot> {
    const slot = await this.#ask<LimitDecision & { id: string }>({
      op: "acquire",
      key,
      limit,
      leaseMs,
    });
    let released = !slot.allowed;
    const release = async () => {
      if (released) return;
      released = true;
      await this.#ask({ op: "release", key, id: slot.id });
    };
    return { ...slot, release };
  }

  spend(key: string, amount: number, windowMs: number): Promise<BudgetUse> {
    return this.#ask({ op: "spend", key, amount, windowMs });
  }

  async #ask<T>(request: CounterRequest): Promise<T> {
    // One object per client: the key's kind (`minute:`, `slots:`, `day:`) is stripped.
    const client = request.key.slice(request.key.indexOf(":") + 1);
    const object = this.#namespace.get(this.#namespace.idFromName(client));
    const response = await object.fetch("https://limits.internal/", {
      method: "POST",
      body: JSON.stringify(request),
    });
    if (!response.ok) throw new Error(`Durable Object limits: status ${response.status}`);
    return await response.json() as T;
  }
}
