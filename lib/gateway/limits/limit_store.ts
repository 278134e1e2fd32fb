/** What a store answers when asked for one unit of a limit. */
export interface LimitDecision {
  /** Whether the unit was taken: false means the client is over the limit. */
  allowed: boolean;
  /** The limit asked for. */
  limit: number;
  /** What is left of it after this answer (0 when refused). */
  remaining: number;
  /** Milliseconds until a unit comes back (the window's end, or a guess for slots). */
  resetMs: number;
}

/** A concurrency slot: the decision, and how to give the slot back once the answer ends. */
export interface LimitSlot extends LimitDecision {
  /** Gives the slot back; safe to call more than once. Only meaningful when `allowed`. */
  release(): Promise<void>;
}

/** How much of a budget a client has used in the current window. */
export interface BudgetUse {
  /** Units used so far in this window, `amount` included. */
  used: number;
  /** Milliseconds until the window ends and the budget is whole again. */
  resetMs: number;
}

/**
 * The state behind the gateway's limits, keyed by client (`key:…` or `ip:…`). Each method
 * is atomic for its key: two requests racing for the last unit never both get it. A store
 * that cannot answer rejects, and the caller decides whether that lets the request through.
 *
 * Windows are fixed and aligned to the epoch (`floor(now / windowMs)`), so a day's budget
 * is a UTC day whatever isolate counts it.
 */
export interface LimitStore {
  /** Takes one unit of `limit` per `windowMs` for `key`, if one is left. */
  take(key: string, limit: number, windowMs: number): Promise<LimitDecision>;
  /**
   * Takes one of `limit` concurrent slots for `key`. A slot not released within `leaseMs`
   * (an isolate that died mid-answer) lapses by itself.
   */
  acquire(key: string, limit: number, leaseMs: number): Promise<LimitSlot>;
  /** Adds `amount` (0 to only read) to `key`'s use in the current `windowMs`. */
  spend(key: string, amount: number, windowMs: number): Promise<BudgetUse>;
}

/** The current fixed window's number and the milliseconds until it ends. */
export function windowOf(now: number, windowMs: number): { index: number; resetMs: number } {
  const index = Math.floor(now / windowMs);
  return { index, resetMs: (index + 1) * windowMs - now };
}
