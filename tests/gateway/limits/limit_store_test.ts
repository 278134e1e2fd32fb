// limit_store.ts is the stores' interface (its specification, run against every store, is
// limit_store_suite.ts) and windowOf, which every store counts by: tested here.
import assert from "node:assert/strict";
import { windowOf } from "../../../lib/gateway/limits/limit_store.ts";

const MINUTE = 60_000;
const DAY = 86_400_000;

Deno.test("a window is the epoch's n-th, and resets at its end", () => {
  assert.deepEqual(windowOf(30_000, MINUTE), { index: 0, resetMs: 30_000 });
  assert.deepEqual(windowOf(1_800_000_030_000, MINUTE), { index: 30_000_000, resetMs: 30_000 });
});

Deno.test("the first millisecond of a window belongs to it, whole; the last has 1 ms left", () => {
  assert.deepEqual(windowOf(2 * MINUTE, MINUTE), { index: 2, resetMs: MINUTE });
  assert.deepEqual(windowOf(2 * MINUTE - 1, MINUTE), { index: 1, resetMs: 1 });
});

Deno.test("a day's window is a UTC day, whatever the clock's time zone", () => {
  const noon = Date.UTC(2026, 11, 6, 12);
  const { index, resetMs } = windowOf(noon, DAY);
  assert.equal(new Date(index * DAY).toISOString(), "2026-12-06T00:00:00.000Z");
  assert.equal(resetMs, 12 * 3_600_000);
});
