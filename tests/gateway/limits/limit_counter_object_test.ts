// The object's logic on an in-memory storage double; the real object runs under wrangler dev
// in tests/contract/limits_test.ts, and its counting is specified in stored_limit_counter_test.ts.
import assert from "node:assert/strict";
import {
  type CounterRequest,
  LimitCounter,
} from "../../../lib/gateway/limits/limit_counter_object.ts";
import { objectStorageDouble } from "./object_storage_double.ts";

const MINUTE = 60_000;
const TWO_DAYS = 2 * 86_400_000;

function counterObject() {
  const double = objectStorageDouble();
  const object = new LimitCounter({ storage: double.storage });
  const ask = async (request: CounterRequest) => {
    const response = await object.fetch(
      new Request("https://limits.internal/", { method: "POST", body: JSON.stringify(request) }),
    );
    assert.equal(response.status, 200);
    assert.match(response.headers.get("content-type") ?? "", /^application\/json/);
    return await response.json();
  };
  return { object, ask, ...double };
}

Deno.test("take answers the decision as JSON, and refuses past the limit", async () => {
  const { ask } = counterObject();
  const take = { op: "take", key: "minute:ip:a", limit: 1, windowMs: MINUTE } as const;
  const first = await ask(take);
  assert.deepEqual([first.allowed, first.limit, first.remaining], [true, 1, 0]);
  assert.ok(first.resetMs > 0 && first.resetMs <= MINUTE);
  assert.equal((await ask(take)).allowed, false);
});

Deno.test("acquire answers the slot with its id, which release gives back", async () => {
  const { ask } = counterObject();
  const acquire = { op: "acquire", key: "slots:ip:a", limit: 1, leaseMs: MINUTE } as const;
  const slot = await ask(acquire);
  assert.equal(slot.allowed, true);
  assert.equal(typeof slot.id, "string");
  assert.ok(!("release" in slot), "a function does not cross the wire");
  assert.equal((await ask(acquire)).allowed, false);
  assert.equal(await ask({ op: "release", key: "slots:ip:a", id: slot.id }), null);
  assert.equal((await ask(acquire)).allowed, true);
});

Deno.test("spend adds to the day's use and answers the total", async () => {
  const { ask } = counterObject();
  const spend = (amount: number) => ask({ op: "spend", key: "day:ip:a", amount, windowMs: MINUTE });
  assert.equal((await spend(40)).used, 40);
  assert.equal((await spend(2)).used, 42);
  assert.equal((await spend(0)).used, 42);
});

Deno.test("every request moves the alarm to two days after it", async () => {
  const { ask, alarm } = counterObject();
  assert.equal(alarm(), null);
  const before = Date.now();
  await ask({ op: "spend", key: "day:ip:a", amount: 1, windowMs: MINUTE });
  const after = Date.now();
  const at = alarm()!;
  assert.ok(at >= before + TWO_DAYS && at <= after + TWO_DAYS, `${at - before}`);
});

Deno.test("the alarm deletes the client's whole state", async () => {
  const { object, ask, entries } = counterObject();
  const take = { op: "take", key: "minute:ip:a", limit: 1, windowMs: MINUTE } as const;
  await ask(take);
  assert.equal(entries.size, 1);
  await object.alarm();
  assert.equal(entries.size, 0);
  assert.equal((await ask(take)).allowed, true);
});
