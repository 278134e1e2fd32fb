import { StoredLimitCounter } from "../../../lib/gateway/limits/stored_limit_counter.ts";
import { limitStoreSuite } from "./limit_store_suite.ts";
import { objectStorageDouble } from "./object_storage_double.ts";

// The Durable Object's logic, on a storage that answers a task later, as a real one does:
// the races of the suite then interleave unless the counter itself keeps them apart.
// (The object itself runs under wrangler dev in tests/contract/limits_test.ts.)
limitStoreSuite("Durable Object counter", (now) => {
  const { storage } = objectStorageDouble();
  return Promise.resolve({ store: new StoredLimitCounter(storage, now), close: () => {} });
});
