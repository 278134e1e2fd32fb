/**
 * The connect bound over the real `fetch` and Deno's sockets. Loopback cannot drop SYNs
 * (the kernel accepts into the backlog whether or not anyone calls accept), so the site
 * that never lets a connection through is the closest loopback has: a TLS site that takes
 * the TCP connection and never answers the handshake (a stalled TLS terminator, a firewall
 * that accepts and holds). Connect + TLS, never the headers, is what the bound covers.
 */
import assert from "node:assert/strict";
import { ConnectTimeout } from "../../lib/http/connect_timeout.ts";
import { denoProbe } from "../../lib/http/site_probe.ts";
import { fetchClient } from "../../lib/http/upstream_client.ts";
import { AiEngineEmulator } from "../emulator/ai_engine_emulator.ts";
import { SilentSite } from "../support/silent_site.ts";

const client = fetchClient((input, init) => fetch(input, init), { probe: denoProbe(Deno) });

Deno.test("connect bound: a site that never finishes the handshake fails with ConnectTimeout", async () => {
  await using site = new SilentSite();
  const started = performance.now();
  await assert.rejects(
    client(site.url, { method: "POST", headers: {}, body: "{}", connectTimeoutMs: 150 }),
    (error) => error instanceof ConnectTimeout && error.timeoutMs === 150,
  );
  const took = performance.now() - started;
  // The headers' 150 ms, then the probe's own 150 ms of silence.
  assert.ok(took >= 290 && took < 2000, `failed after ${took} ms`);
  // fetch's connection and the probe's: the probe really tried the site.
  assert.equal(site.held.length, 2);
});

Deno.test("connect bound: a site that takes connections but is slow to answer is waited for", async () => {
  await using site = await AiEngineEmulator.start({ headersDelayMs: 600, nonce: "55b8d074d1" });
  const response = await client(`${site.restUrl}/mwai-ui/v1/chats/submit`, {
    method: "POST",
    headers: { "content-type": "application/json", "x-wp-nonce": "55b8d074d1" },
    body: JSON.stringify({ botId: "default", newMessage: "Hi", stream: true }),
    connectTimeoutMs: 100,
  });
  assert.equal(response.status, 200);
  await response.body.cancel();
  // The gateway's connection and the probe's, which found the site taking connections.
  assert.equal(site.connections, 2);
});

Deno.test("connect bound: an answer within the bound costs no probe", async () => {
  await using site = await AiEngineEmulator.start();
  const response = await client(`${site.restUrl}/mwai/v1/start_session`, {
    method: "POST",
    headers: {},
    connectTimeoutMs: 5000,
  });
  assert.equal(response.status, 200);
  await response.body.cancel();
  assert.equal(site.connections, 1);
});

Deno.test("connect bound: a caller that leaves while connecting aborts it, the probe too", async () => {
  await using site = new SilentSite();
  for (const leaveAfter of ["connecting", "probing"] as const) {
    const controller = new AbortController();
    const asked = client(site.url, {
      method: "GET",
      headers: {},
      signal: controller.signal,
      connectTimeoutMs: 100,
    });
    const before = site.held.length;
    await site.connections(before + (leaveAfter === "connecting" ? 1 : 2));
    controller.abort();
    await assert.rejects(
      asked,
      (error) => error instanceof DOMException && error.name === "AbortError",
    );
  }
});
