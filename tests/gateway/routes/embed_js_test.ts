import assert from "node:assert/strict";
import { appOverSite } from "../../support/app_over_site.ts";

const CACHE_HEADERS = ["cache-control", "etag", "vary", "cross-origin-resource-policy"];

Deno.test("the script is cached for an hour by anyone, under an ETag of this version", async () => {
  await using gw = await appOverSite();
  const response = await gw.app.request("/embed.js");
  assert.equal(response.headers.get("cache-control"), "public, max-age=3600");
  assert.equal(response.headers.get("x-content-type-options"), "nosniff");
  assert.match(response.headers.get("etag") ?? "", /^"[0-9]+\.[0-9]+\.[0-9]+[^"]*-[^"]+"$/);
  assert.ok((await response.text()).length > 0);
});

Deno.test("If-None-Match: * or a list that holds the tag is a 304 with no body and the same headers", async () => {
  await using gw = await appOverSite();
  const whole = await gw.app.request("/embed.js");
  await whole.body?.cancel();
  const etag = whole.headers.get("etag")!;
  for (const tag of ["*", `"a", W/${etag} , "b"`]) {
    const response = await gw.app.request("/embed.js", { headers: { "if-none-match": tag } });
    assert.equal(response.status, 304, tag);
    assert.equal(await response.text(), "");
    for (const name of CACHE_HEADERS) {
      assert.equal(response.headers.get(name), whole.headers.get(name), name);
    }
  }
});

Deno.test("a tag of another script, or of another version, gets the script", async () => {
  await using gw = await appOverSite();
  for (const tag of ['"0.0.1-abc"', 'W/"0.0.1-abc"', ""]) {
    const response = await gw.app.request("/embed.js", { headers: { "if-none-match": tag } });
    assert.equal(response.status, 200, tag);
    await response.body?.cancel();
  }
});

Deno.test("with Turnstile, the script carries its site key, under a tag of its own", async () => {
  await using plain = await appOverSite();
  await using guarded = await appOverSite({
    TURNSTILE_SITE_KEY: "1x00000000000000000000AA",
    TURNSTILE_SECRET_KEY: "s",
  });
  const [without, withKey] = [
    await plain.app.request("/embed.js"),
    await guarded.app.request("/embed.js"),
  ];
  assert.ok(!(await without.text()).includes("1x00000000000000000000AA"));
  assert.ok((await withKey.text()).includes("1x00000000000000000000AA"));
  assert.notEqual(without.headers.get("etag"), withKey.headers.get("etag"));
});
