import assert from "node:assert/strict";
import { socketAddress } from "../../lib/http/socket_address.ts";

Deno.test("socketAddress: the scheme's port unless the URL names one, IPv6 unbracketed", () => {
  assert.deepEqual(socketAddress(new URL("http://site.example/")), {
    hostname: "site.example",
    port: 80,
  });
  assert.deepEqual(socketAddress(new URL("https://site.example/")), {
    hostname: "site.example",
    port: 443,
  });
  assert.deepEqual(socketAddress(new URL("https://[2001:db8::1]:8443/")), {
    hostname: "2001:db8::1",
    port: 8443,
  });
});
