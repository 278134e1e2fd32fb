import { StoredLimitCounter } from "../../../lib/gateway/limits/stored_limit_counter.ts";
import { limitStoreSuite } from "./limit_store_suite.ts";

// The Durable Object's logic, on a storage that answers a task later, as a real one does:
// the races of the suite then interleave unless the counter itself keeps them apart.
// (The object itself runs under wrangler dev in tests/contract/limits_test.ts.)
limitStoreSuite("Durable Object counter", (now) => {
  const map = new Map<string, unknown>();
  const later = <T>(value: T) => new Promise<T>((resolve) => setTimeout(() => resolve(value), 0));
  const storage = {
    get: <T>(key: string) => later(structuredClone(map.get(key)) as T | undefined),
    put: <T>(key: string, value: T) => later(void map.set(key, structuredClone(value))),
  };
  return Promise.resolve({ store: new StoredLimitCounter(storage, now), close: () => {} });
});
