import assert from "node:assert/strict";
import { SiteCredentials, splitCredentials } from "../../../lib/ai_engine/site/site_credentials.ts";

Deno.test("credentials are taken out of the URL, which keeps its path as written", () => {
  for (
    const [given, url] of [
      ["https://ann:pw@staging.example", "https://staging.example"],
      ["https://ann:pw@staging.example/", "https://staging.example/"],
      ["https://ann:pw@staging.example:8443/blog/", "https://staging.example:8443/blog/"],
      ["http://ann@127.0.0.1:8080/", "http://127.0.0.1:8080/"],
    ]
  ) {
    const split = splitCredentials(given!);
    assert.equal(split.url, url);
    assert.ok(split.credentials instanceof SiteCredentials);
  }
});

Deno.test("user and password go as typed, percent-escapes and UTF-8 included", () => {
  const { credentials } = splitCredentials("https://J%C3%BCrgen:p%40ss%3Aw%25rd@s.example/");
  const expected = btoa(String.fromCharCode(...new TextEncoder().encode("Jürgen:p@ss:w%rd")));
  assert.equal(credentials?.authorizationFor("https://s.example/x"), `Basic ${expected}`);
  const stray = splitCredentials("https://a%ZZ:b@s.example/").credentials;
  assert.equal(stray?.authorizationFor("https://s.example/"), `Basic ${btoa("a%ZZ:b")}`);
});

Deno.test("credentials go to their own origin only: not another host, port or scheme", () => {
  const { credentials } = splitCredentials("https://ann:pw@staging.example/");
  assert.ok(credentials?.authorizationFor("https://staging.example/wp-json/x"));
  for (
    const other of [
      "https://staging.example.evil/",
      "https://staging.example:444/",
      "http://staging.example/",
      "https://other.example/?https://staging.example/",
    ]
  ) assert.equal(credentials?.authorizationFor(other), null, other);
});

Deno.test("printed by mistake, credentials say their origin and nothing of the secret", () => {
  const { credentials } = splitCredentials("https://ann:s3cret@staging.example/");
  for (
    const printed of [
      JSON.stringify({ credentials }),
      String(credentials),
      Deno.inspect(credentials),
    ]
  ) {
    assert.ok(!printed.includes("s3cret") && !printed.includes("ann"), printed);
    assert.ok(!printed.includes(btoa("ann:s3cret")), printed);
    assert.match(printed, /staging\.example/);
  }
});

Deno.test("a URL without userinfo, or no URL at all, is given back as it is", () => {
  assert.deepEqual(splitCredentials("https://example.com/wp"), {
    url: "https://example.com/wp",
    credentials: null,
  });
  assert.deepEqual(splitCredentials("not a url"), { url: "not a url", credentials: null });
});
