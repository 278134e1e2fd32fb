import assert from "node:assert/strict";
import {
  addressBucket,
  clientAddress,
  keyedClientId,
} from "../../../lib/gateway/limits/client_identity.ts";

const info = { remoteAddr: { transport: "tcp", hostname: "10.0.0.1", port: 4711 } };
const forged = new Headers({
  "cf-connecting-ip": "198.51.100.9",
  "x-forwarded-for": "198.51.100.8",
});

Deno.test("on Deno the client is the socket's address, whatever headers it sends", () => {
  const options = { forwardedHops: 0, onWorkers: false };
  assert.equal(clientAddress(forged, info, options), "10.0.0.1");
});

Deno.test("on Workers the client is CF-Connecting-IP, which Cloudflare's edge sets", () => {
  const options = { forwardedHops: 0, onWorkers: true };
  assert.equal(clientAddress(forged, { API_KEYS: "k" }, options), "198.51.100.9");
});

Deno.test("behind trusted proxies the client is what the outermost saw, from the right", () => {
  // The client wrote the first entry itself; each proxy appended the address it saw.
  const headers = new Headers({ "x-forwarded-for": "198.51.100.66, 2001:DB8::1 , 10.0.0.2" });
  const hops = (forwardedHops: number) =>
    clientAddress(headers, info, { forwardedHops, onWorkers: false });
  assert.equal(hops(1), "10.0.0.2");
  assert.equal(hops(2), "2001:db8::1");
  assert.equal(hops(3), "198.51.100.66");
  // Fewer entries than proxies: the request came round them, so no entry is trusted.
  assert.equal(hops(5), "10.0.0.1");
  const trailing = new Headers({ "x-forwarded-for": "198.51.100.7, " });
  assert.equal(
    clientAddress(trailing, info, { forwardedHops: 1, onWorkers: false }),
    "198.51.100.7",
    "an empty entry is not a hop",
  );
});

Deno.test("a port a proxy writes after the address is dropped", () => {
  const cases: [string, string][] = [
    ["198.51.100.4:5678", "198.51.100.4"],
    ["[2001:db8::1]:443", "2001:db8::1"],
    ["[2001:db8::2]", "2001:db8::2"],
  ];
  for (const [forwarded, address] of cases) {
    const headers = new Headers({ "x-forwarded-for": forwarded });
    assert.equal(clientAddress(headers, info, { forwardedHops: 1, onWorkers: false }), address);
  }
});

Deno.test("a forwarded value that is not an address is ignored", () => {
  const headers = new Headers({ "x-forwarded-for": "ip:../../etc, 10.0.0.2" });
  assert.equal(
    clientAddress(headers, info, { forwardedHops: 2, onWorkers: false }),
    "10.0.0.1",
  );
});

Deno.test("without any address the clients share one bucket", () => {
  assert.equal(
    clientAddress(new Headers(), undefined, { forwardedHops: 0, onWorkers: false }),
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

Deno.test("an IPv6 client counts by its /64, however the address is written", () => {
  const network = "2001:db8:0:1::/64";
  for (
    const address of [
      "2001:db8:0:1::1",
      "2001:0DB8:0000:0001:ffff:ffff:ffff:ffff",
      "[2001:db8:0:1::2]",
      "2001:db8:0:1:0:0:0:1",
      "2001:db8:0:1:aaaa::%eth0",
    ]
  ) assert.equal(addressBucket(address), network, address);
  assert.equal(addressBucket("2001:db8:0:2::1"), "2001:db8:0:2::/64");
  assert.equal(addressBucket("1::2:3:4:5:1.2.3.4"), "1:0:2:3::/64", "a dotted tail is two groups");
  assert.equal(addressBucket("::1"), "0:0:0:0::/64", "loopback is no IPv4 address");
  assert.equal(addressBucket("::"), "0:0:0:0::/64");
});

Deno.test("IPv4 counts address by address, mapped into IPv6 or not", () => {
  assert.equal(addressBucket("198.51.100.4"), "198.51.100.4");
  assert.equal(addressBucket("::ffff:198.51.100.4"), "198.51.100.4");
  assert.equal(addressBucket("0:0:0:0:0:ffff:198.51.100.4"), "198.51.100.4");
});

Deno.test("every IPv6 form that carries an IPv4 address counts as that address", () => {
  for (
    const form of [
      "::ffff:c633:6404", // mapped, as URL serializers write it
      "::ffff:0:198.51.100.4", // translated
      "::198.51.100.4", // compatible
      "64:ff9b::198.51.100.4", // NAT64
      "64:ff9b::c633:6404",
    ]
  ) assert.equal(addressBucket(form), "198.51.100.4", form);
  assert.equal(addressBucket("64:ff9b::c633:6405"), "198.51.100.5");
});

Deno.test("what is not an IPv6 address stays as it is", () => {
  for (
    const odd of ["unknown", "1:2:3", "1::2::3", "1:2:3:4:5:6:7:8:9", "g::1", "::ffff:999.1.1.1"]
  ) {
    assert.equal(addressBucket(odd), odd);
  }
});
