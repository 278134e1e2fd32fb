import { type CounterStorage, StoredLimitCounter } from "./stored_limit_counter.ts";

/** How long a client's object keeps its state after its last request: past any window. */
const KEEP_MS = 2 * 86_400_000;

/** The parts of a Durable Object's state the counter uses (`DurableObjectState`). */
interface ObjectState {
  storage: CounterStorage & {
    setAlarm(at: number): Promise<void>;
    deleteAll(): Promise<void>;
  };
}

/** One operation, as the gateway sends it to a client's object (see `DurableObjectLimitStore`). */
export type CounterRequest =
  | { op: "take"; key: string; limit: number; windowMs: number }
  | { op: "acquire"; key: string; limit: number; leaseMs: number }
  | { op: "release"; key: string; id: string }
  | { op: "spend"; key: string; amount: number; windowMs: number };

/**
 * The Durable Object behind the limits on Workers (`LIMITS_STORE=durable-object`): one
 * object per client, named by its id, so every isolate anywhere asks the same one, which
 * runs its requests one at a time. Its state is in the object's storage, deleted by an
 * alarm two days after the client's last request. Declared in `wrangler.toml` and
 * exported by `main.ts`.
 */
export class LimitCounter {
  #counter: StoredLimitCounter;
  #storage: ObjectState["storage"];

  /** The object, as the Workers runtime makes it. */
  constructor(state: ObjectState, _env?: unknown) {
    this.#storage = state.storage;
    this.#counter = new StoredLimitCounter(state.storage);
  }

  /** Answers one {@linkcode CounterRequest} with its result as JSON. */
  async fetch(request: Request): Promise<Response> {
    const asked = await request.json() as CounterRequest;
    await this.#storage.setAlarm(Date.now() + KEEP_MS);
    return Response.json(await this.#answer(asked));
  }

  /** The client was quiet for two days: nothing of its state is worth keeping. */
  async alarm(): Promise<void> {
    await this.#storage.deleteAll();
  }

  async #answer(asked: CounterRequest): Promise<unknown> {
    switch (asked.op) {
      case "take":
        return await this.#counter.take(asked.key, asked.limit, asked.windowMs);
      case "acquire": {
        const { release: _, ...slot } = await this.#counter.acquire(
          asked.key,
          asked.limit,
          asked.leaseMs,
        );
        return slot;
      }
      case "release":
        return await this.#counter.release(asked.key, asked.id) ?? null;
      case "spend":
        return await this.#counter.spend(asked.key, asked.amount, asked.windowMs);
    }
  }
}
