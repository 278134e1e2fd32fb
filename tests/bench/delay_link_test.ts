import assert from "node:assert/strict";
import { DelayLink } from "../../bench/wide_area/delay_link.ts";

const RTT_MS = 100;
// Timers never fire early; the clocks of one process agree to well under this.
const SLACK_MS = 1;

async function readSome(conn: Deno.Conn): Promise<string> {
  const buffer = new Uint8Array(64);
  const n = await conn.read(buffer);
  return n === null ? "" : new TextDecoder().decode(buffer.subarray(0, n));
}

Deno.test("the delay link holds first bytes 1.5 round trips, then half a round trip each way, and counts connections", async () => {
  using site = Deno.listen({ hostname: "127.0.0.1", port: 0 });
  const link = new DelayLink({ hostname: "127.0.0.1", port: site.addr.port }, RTT_MS);
  try {
    const opened = performance.now();
    using client = await Deno.connect({ hostname: "127.0.0.1", port: link.port });
    await client.write(new TextEncoder().encode("hello"));
    using far = await site.accept();
    assert.equal(await readSome(far), "hello");
    const arrived = performance.now();
    assert.ok(
      arrived - opened >= 1.5 * RTT_MS - SLACK_MS,
      `first bytes after ${arrived - opened} ms`,
    );

    await far.write(new TextEncoder().encode("back"));
    assert.equal(await readSome(client), "back");
    const returned = performance.now();
    assert.ok(returned - arrived >= RTT_MS / 2 - SLACK_MS, `answer after ${returned - arrived} ms`);

    const sent = performance.now();
    await client.write(new TextEncoder().encode("again"));
    assert.equal(await readSome(far), "again");
    assert.ok(performance.now() - sent >= RTT_MS / 2 - SLACK_MS, "later bytes not held");
    assert.equal(link.connections, 1);
  } finally {
    await link.close();
  }
});
