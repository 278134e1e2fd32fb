import assert from "node:assert/strict";
import { runtimeClient } from "../../lib/http/runtime_client.ts";
import { LoopbackServer } from "../support/loopback_server.ts";

/** A site that answers every request with 204 and records each request's head. */
function site() {
  const heads: string[] = [];
  const server = new LoopbackServer(async (conn) => {
    const buffer = new Uint8Array(16 * 1024);
    let head = "";
    while (!head.includes("\r\n\r\n")) {
      const n = await conn.read(buffer).catch(() => null);
      if (n === null) break;
      head += new TextDecoder().decode(buffer.subarray(0, n));
    }
    heads.push(head);
    await conn.write(new TextEncoder().encode(
      "HTTP/1.1 204 No Content\r\nConnection: close\r\n\r\n",
    )).catch(() => {});
    conn.close();
  });
  return { url: `http://127.0.0.1:${server.port}/`, heads, server };
}

Deno.test("runtimeClient: on Deno the site is reached through the runtime's sockets", async () => {
  const s = site();
  const response = await runtimeClient({ proxied: false })(s.url, { method: "GET", headers: {} });
  assert.equal(response.status, 204);
  await s.server.close();
  // The socket client's own request: lower-case names, one request per connection, no
  // user agent of fetch's.
  assert.match(s.heads[0]!, /\r\nconnection: close\r\n/);
  assert.doesNotMatch(s.heads[0]!, /user-agent: Deno/i);
});

Deno.test("runtimeClient: with an outbound proxy configured, fetch carries the request", async () => {
  const s = site();
  const response = await runtimeClient({ proxied: true })(s.url, { method: "GET", headers: {} });
  assert.equal(response.status, 204);
  await response.body.cancel();
  await s.server.close();
  assert.match(s.heads[0]!, /user-agent: Deno\//i);
});
