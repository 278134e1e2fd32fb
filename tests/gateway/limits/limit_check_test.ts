import assert from "node:assert/strict";
import { HttpError } from "../../../lib/gateway/http_error.ts";
import { checkLimits } from "../../../lib/gateway/limits/limit_check.ts";
import { parseLimitsConfig } from "../../../lib/gateway/limits/limits_config.ts";
import { MemoryLimitStore } from "../../../lib/gateway/limits/memory_limit_store.ts";

const ANONYMOUS = { keyed: false, id: "ip:203.0.113.7", address: "203.0.113.7" };
const KEYED = { keyed: true, id: "key:abc", address: "203.0.113.7" };

Deno.test("each limit checked is an item, in order: minute, day, concurrent", async () => {
  const rules = parseLimitsConfig({
    ANON_REQUESTS_PER_MINUTE: "5",
    ANON_ANSWER_BUDGET_PER_DAY: "1000",
    ANON_CONCURRENT_ANSWERS: "2",
  }).anonymous;
  const { items, slot } = await checkLimits(new MemoryLimitStore(), ANONYMOUS, rules, 60_000);
  assert.deepEqual(items.map((item) => [item.name, item.quota, item.remaining]), [
    ["minute", 5, 4],
    ["day", 1000, 1000],
    ["concurrent", 2, 1],
  ]);
  assert.ok(slot);
  await slot.release();
});

Deno.test("over requests a minute: a 429 to retry after the window, naming who is counted", async () => {
  const rules = parseLimitsConfig({ KEY_REQUESTS_PER_MINUTE: "1" }).keyed;
  const store = new MemoryLimitStore();
  await checkLimits(store, KEYED, rules, 60_000);
  await assert.rejects(checkLimits(store, KEYED, rules, 60_000), (error) => {
    assert.ok(error instanceof HttpError);
    assert.equal(error.status, 429);
    assert.equal(error.code, "rate_limit_exceeded");
    assert.equal(error.retry, true);
    assert.match(error.message, /^Gateway limit: 1 requests a minute per key; try again in \d+ s$/);
    assert.match(error.headers["retry-after"] ?? "", /^\d+$/);
    assert.match(error.headers["ratelimit-policy"] ?? "", /"minute";q=1/);
    return true;
  });
});

Deno.test("a budget spent for the day is a 429 that says retrying cannot help", async () => {
  const rules = parseLimitsConfig({ ANON_ANSWER_BUDGET_PER_DAY: "10" }).anonymous;
  const store = new MemoryLimitStore();
  await store.spend(`day:${ANONYMOUS.id}`, 10, 86_400_000);
  await assert.rejects(checkLimits(store, ANONYMOUS, rules, 60_000), (error) => {
    assert.ok(error instanceof HttpError);
    assert.equal(error.retry, false);
    assert.match(error.message, /answer budget of 10 a day per client address/);
    return true;
  });
});

Deno.test("concurrent answers: a slot is refused while others hold them all", async () => {
  const rules = parseLimitsConfig({
    ANON_REQUESTS_PER_MINUTE: "off",
    ANON_CONCURRENT_ANSWERS: "1",
  }).anonymous;
  const store = new MemoryLimitStore();
  const held = await checkLimits(store, ANONYMOUS, rules, 60_000);
  await assert.rejects(checkLimits(store, ANONYMOUS, rules, 60_000), /1 answers at once/);
  await held.slot!.release();
  const again = await checkLimits(store, ANONYMOUS, rules, 60_000);
  await again.slot!.release();
});
