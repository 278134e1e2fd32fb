import assert from "node:assert/strict";
import { clientAddress, keyedClientId } from "../../../lib/gateway/limits/client_identity.ts";

const info = { remoteAddr: { transport: "tcp", hostname: "10.0.0.1", port: 4711 } };
const forged = new Headers({
  "cf-connecting-ip": "198.51.100.9",
  "x-forwarded-for": "198.51.100.8",
});

Deno.test("on Deno the client is the socket's address, whatever headers it sends", () => {
  const options = { trustForwardedFor: false, onWorkers: false };
  assert.equal(clientAddress(forged, info, options), "10.0.0.1");
});

Deno.test("on Workers the client is CF-Connecting-IP, which Cloudflare's edge sets", () => {
  const options = { trustForwardedFor: false, onWorkers: true };
  assert.equal(clientAddress(forged, { API_KEYS: "k" }, options), "198.51.100.9");
});

Deno.test("behind a trusted proxy the client is the first hop of X-Forwarded-For", () => {
  const headers = new Headers({ "x-forwarded-for": " 2001:DB8::1 , 10.0.0.1" });
  assert.equal(
    clientAddress(headers, info, { trustForwardedFor: true, onWorkers: false }),
    "2001:db8::1",
  );
});

Deno.test("a forwarded value that is not an address is ignored", () => {
  const headers = new Headers({ "x-forwarded-for": "ip:../../etc, 10.0.0.2" });
  assert.equal(
    clientAddress(headers, info, { trustForwardedFor: true, onWorkers: false }),
    "10.0.0.1",
  );
});

Deno.test("without any address the clients share one bucket", () => {
  assert.equal(
    clientAddress(new Headers(), undefined, { trustForwardedFor: false, onWorkers: false }),
    "unknown",
  );
});

Deno.test("a keyed client is a digest of its key, never the key", async () => {
  const id = await keyedClientId("sk-secret");
  assert.match(id, /^key:[0-9a-f]{32}$/);
  assert.ok(!id.includes("secret"));
  assert.equal(id, await keyedClientId("sk-secret"));
  assert.notEqual(id, await keyedClientId("sk-other"));
});
