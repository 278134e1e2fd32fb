import { MemoryLimitStore } from "../../../lib/gateway/limits/memory_limit_store.ts";
import { limitStoreSuite } from "./limit_store_suite.ts";

limitStoreSuite(
  "memory store",
  (now) => Promise.resolve({ store: new MemoryLimitStore(now), close: () => {} }),
);
