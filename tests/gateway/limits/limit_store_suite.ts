/**
 * The specification every {@linkcode LimitStore} meets, run against each store for real
 * (memory, Deno KV on a file): the same tests, so the stores are interchangeable.
 */
import assert from "node:assert/strict";
import type { LimitStore } from "../../../lib/gateway/limits/limit_store.ts";

/** A store under test, on a clock the test moves, and how to end it (or break it). */
export interface StoreUnderTest {
  store: LimitStore;
  close(): Promise<void> | void;
  /** Makes the store unable to answer, as a database that is down; absent where it cannot be. */
  breakIt?(): Promise<void> | void;
}

const MINUTE = 60_000;

/** Registers the suite for one kind of store; `open` makes a fresh, empty one. */
export function limitStoreSuite(
  kind: string,
  open: (now: () => number) => Promise<StoreUnderTest>,
): void {
  const test = (name: string, fn: (t: StoreUnderTest, clock: { now: number }) => Promise<void>) =>
    Deno.test(`${kind}: ${name}`, async () => {
      // The middle of a minute window, so a test's steps stay in one window.
      const clock = { now: 1_800_000_030_000 };
      const underTest = await open(() => clock.now);
      try {
        await fn(underTest, clock);
      } finally {
        await underTest.close();
      }
    });

  test("units are taken up to the limit, then refused until the window ends", async ({ store }) => {
    const taken = [];
    for (let i = 0; i < 4; i++) taken.push(await store.take("ip:a", 3, MINUTE));
    assert.deepEqual(taken.map((d) => [d.allowed, d.remaining]), [
      [true, 2],
      [true, 1],
      [true, 0],
      [false, 0],
    ]);
    assert.equal(taken[3]!.limit, 3);
    assert.equal(taken[3]!.resetMs, 30_000);
  });

  test("a new window gives every unit back", async ({ store }, clock) => {
    await store.take("ip:a", 1, MINUTE);
    assert.equal((await store.take("ip:a", 1, MINUTE)).allowed, false);
    clock.now += 30_000;
    assert.equal((await store.take("ip:a", 1, MINUTE)).allowed, true);
  });

  test("each client has its own units", async ({ store }) => {
    assert.equal((await store.take("ip:a", 1, MINUTE)).allowed, true);
    assert.equal((await store.take("ip:b", 1, MINUTE)).allowed, true);
    assert.equal((await store.take("key:a", 1, MINUTE)).allowed, true);
  });

  test("twenty requests racing for the last five units: exactly five get one", async ({ store }) => {
    const decisions = await Promise.all(
      Array.from({ length: 20 }, () => store.take("ip:race", 5, MINUTE)),
    );
    assert.equal(decisions.filter((d) => d.allowed).length, 5);
  });

  test("slots are held up to the limit, and a released one is free again", async ({ store }) => {
    const first = await store.acquire("ip:a", 2, MINUTE);
    const second = await store.acquire("ip:a", 2, MINUTE);
    const third = await store.acquire("ip:a", 2, MINUTE);
    assert.deepEqual([first.allowed, second.allowed, third.allowed], [true, true, false]);
    assert.equal(second.remaining, 0);
    await first.release();
    await first.release(); // a second release frees nothing more
    const fourth = await store.acquire("ip:a", 2, MINUTE);
    const fifth = await store.acquire("ip:a", 2, MINUTE);
    assert.deepEqual([fourth.allowed, fifth.allowed], [true, false]);
  });

  test("ten answers racing for the last two slots: exactly two get one", async ({ store }) => {
    await store.acquire("ip:race", 3, MINUTE);
    const slots = await Promise.all(
      Array.from({ length: 10 }, () => store.acquire("ip:race", 3, MINUTE)),
    );
    assert.equal(slots.filter((s) => s.allowed).length, 2);
  });

  test("a slot never released lapses after its lease", async ({ store }, clock) => {
    await store.acquire("ip:a", 1, 10_000);
    assert.equal((await store.acquire("ip:a", 1, 10_000)).allowed, false);
    clock.now += 10_001;
    assert.equal((await store.acquire("ip:a", 1, 10_000)).allowed, true);
  });

  test(
    "a budget adds up within its window and is whole again in the next",
    async ({ store }, clock) => {
      assert.deepEqual(await store.spend("key:a", 0, 86_400_000), {
        used: 0,
        resetMs: 86_400_000 - (clock.now % 86_400_000),
      });
      await store.spend("key:a", 120, 86_400_000);
      assert.equal((await store.spend("key:a", 30, 86_400_000)).used, 150);
      assert.equal((await store.spend("key:b", 0, 86_400_000)).used, 0);
      clock.now += 86_400_000;
      assert.equal((await store.spend("key:a", 0, 86_400_000)).used, 0);
    },
  );

  test("concurrent spending loses nothing", async ({ store }) => {
    await Promise.all(Array.from({ length: 20 }, () => store.spend("key:a", 7, 86_400_000)));
    assert.equal((await store.spend("key:a", 0, 86_400_000)).used, 140);
  });

  test("a store that is down rejects every call, so the gateway can decide", async (t) => {
    if (!t.breakIt) return; // the memory store cannot be down
    await t.breakIt();
    await assert.rejects(t.store.take("ip:a", 1, MINUTE));
    await assert.rejects(t.store.acquire("ip:a", 1, MINUTE));
    await assert.rejects(t.store.spend("ip:a", 1, MINUTE));
  });
}
