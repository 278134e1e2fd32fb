import assert from "node:assert/strict";
import { ConfigError } from "../../lib/variables.ts";
import { parseServedNames, servesHost } from "../../lib/gateway/served_names.ts";

const serves = (served: ReturnType<typeof parseServedNames>, url: string) =>
  servesHost(served, new URL(url));

Deno.test("with nothing set, loopback names and IP addresses are served, and no other name", () => {
  const served = parseServedNames(undefined, null, null);
  for (
    const url of [
      "http://localhost:8000/",
      "http://LOCALHOST/",
      "http://app.localhost:8000/",
      "http://127.0.0.1:8000/",
      "http://127.1/",
      "http://[::1]:8000/",
      "http://192.168.1.20:8000/",
      "http://[fd00::2]/",
    ]
  ) {
    assert.equal(serves(served, url), true, url);
  }
  for (
    const url of [
      "http://evil.example:8000/",
      "http://localhost.evil.example/",
      "http://127.0.0.1.evil.example/",
      "http://mylocalhost/",
    ]
  ) {
    assert.equal(serves(served, url), false, url);
  }
});

Deno.test("ALLOWED_HOSTS names are served on any port, or on the one they name", () => {
  const served = parseServedNames(" chat.example.com , gw.internal:8443,", null, null);
  assert.equal(serves(served, "http://chat.example.com/"), true);
  assert.equal(serves(served, "http://CHAT.example.com:9000/"), true);
  assert.equal(serves(served, "http://gw.internal:8443/"), true);
  assert.equal(serves(served, "http://gw.internal:8000/"), false);
  assert.equal(serves(served, "http://gw.internal/"), false);
  assert.equal(serves(served, "http://sub.chat.example.com/"), false);
});

Deno.test("a name with a leading dot serves it and its subdomains, not names that end alike", () => {
  const served = parseServedNames(".example.com", null, null);
  assert.equal(serves(served, "http://example.com/"), true);
  assert.equal(serves(served, "http://a.example.com/"), true);
  assert.equal(serves(served, "http://a.b.example.com/"), true);
  assert.equal(serves(served, "http://badexample.com/"), false);
});

Deno.test("an international name is compared as the URL writes it", () => {
  const served = parseServedNames("bücher.example", null, null);
  assert.equal(serves(served, "http://xn--bcher-kva.example/"), true);
  assert.equal(serves(served, "http://bücher.example/"), true);
});

Deno.test("PUBLIC_URL's host is served on any port: a proxy in front may say it with or without", () => {
  const served = parseServedNames(undefined, "https://chat.example.com/gateway/", null);
  assert.equal(serves(served, "http://chat.example.com/"), true);
  assert.equal(serves(served, "http://chat.example.com:8000/"), true);
  assert.equal(serves(served, "http://evil.example/"), false);
});

Deno.test("a star serves any name, wherever the gateway runs", () => {
  const served = parseServedNames("chat.example.com, *", null, null);
  assert.equal(served.any, "ALLOWED_HOSTS=*");
  assert.equal(serves(served, "http://evil.example/"), true);
});

Deno.test("on a platform that routes by name, any name is served until ALLOWED_HOSTS says otherwise", () => {
  for (const platform of ["Cloudflare Workers", "Deno Deploy"] as const) {
    assert.equal(parseServedNames(undefined, null, platform).any, platform);
    // PUBLIC_URL alone says the own origin there, as before, and restricts nothing.
    assert.equal(parseServedNames(undefined, "https://chat.example.com", platform).any, platform);
    const named = parseServedNames("chat.example.com", null, platform);
    assert.equal(named.any, null);
    assert.equal(serves(named, "https://other.workers.dev/"), false);
  }
});

Deno.test("an entry that is not a host name is refused, naming ALLOWED_HOSTS", () => {
  for (
    const entry of [
      "https://chat.example.com",
      "chat.example.com/path",
      "user@chat.example.com",
      "chat.example.com:99999",
      "chat.example.com:port",
      "[not-ipv6]",
      "a b",
    ]
  ) {
    assert.throws(() => parseServedNames(entry, null, null), (error) => {
      assert.ok(error instanceof ConfigError, entry);
      assert.equal(error.variable, "ALLOWED_HOSTS");
      return true;
    });
  }
});

Deno.test("a wildcard written with a star is refused, pointing to the leading dot", () => {
  for (const entry of ["*.example.com", "chat.*.example.com", "*example.com:8443"]) {
    assert.throws(() => parseServedNames(entry, null, null), (error) => {
      assert.ok(error instanceof ConfigError, entry);
      assert.equal(error.variable, "ALLOWED_HOSTS");
      assert.match(error.message, /\.example\.com/);
      return true;
    });
  }
});
